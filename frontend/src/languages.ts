// The languages the pad offers. This is the one list: the ids are the server's ids
// (sessions store them; sessions_app/languages.py is the server's copy). A language runs
// in the browser when a runtime of src/run/registry.ts runs it, on the server when the
// registry's server runtime does (and a runner with its toolchain is up: GET /api/languages/).

import { isRunnableLanguage, runsOn } from './run/registry'

export interface Language {
  /** Server id, stored in the session and in the shared `meta.language`. */
  id: string
  /** Human name shown in selects. */
  label: string
  /** Monaco language id used for highlighting. */
  monacoId: string
  /** Whether the pad can run code in this language in the browser (src/run/registry.ts). */
  runnable: boolean
  /** Where its programs run: `browser`, `server` (the sandboxed runner), or null (highlighted only). */
  runsOn: 'browser' | 'server' | null
}

const LIST: readonly Omit<Language, 'runnable' | 'runsOn'>[] = [
  { id: 'python', label: 'Python', monacoId: 'python' },
  { id: 'javascript', label: 'JavaScript', monacoId: 'javascript' },
  { id: 'typescript', label: 'TypeScript', monacoId: 'typescript' },
  { id: 'c', label: 'C', monacoId: 'c' },
  { id: 'cpp', label: 'C++', monacoId: 'cpp' },
  { id: 'ruby', label: 'Ruby', monacoId: 'ruby' },
  { id: 'php', label: 'PHP', monacoId: 'php' },
  { id: 'lua', label: 'Lua', monacoId: 'lua' },
  { id: 'sql', label: 'SQL (SQLite)', monacoId: 'sql' },
  { id: 'postgresql', label: 'PostgreSQL', monacoId: 'pgsql' },
  { id: 'java', label: 'Java', monacoId: 'java' },
  { id: 'csharp', label: 'C#', monacoId: 'csharp' },
  { id: 'go', label: 'Go', monacoId: 'go' },
  { id: 'rust', label: 'Rust', monacoId: 'rust' },
  { id: 'kotlin', label: 'Kotlin', monacoId: 'kotlin' },
  { id: 'swift', label: 'Swift', monacoId: 'swift' },
  { id: 'plaintext', label: 'Plain text', monacoId: 'plaintext' },
]

export const LANGUAGES: readonly Language[] = LIST.map((language) => ({
  ...language,
  runnable: isRunnableLanguage(language.id),
  runsOn: runsOn(language.id),
}))

export const DEFAULT_LANGUAGE = 'python'
export const FALLBACK_LANGUAGE = 'plaintext'

const BY_ID = new Map(LANGUAGES.map((language) => [language.id, language]))

export function isKnownLanguage(id: unknown): id is string {
  return typeof id === 'string' && BY_ID.has(id)
}

export function getLanguage(id: string | null | undefined): Language | undefined {
  return id == null ? undefined : BY_ID.get(id)
}

/** Monaco id for a session language; unknown ids (a newer server) fall back to plain text. */
export function monacoLanguageFor(id: string | null | undefined): string {
  return getLanguage(id)?.monacoId ?? FALLBACK_LANGUAGE
}

/** Label for any id, including ones this build does not know. */
export function languageLabel(id: string | null | undefined): string {
  if (!id) return getLanguage(FALLBACK_LANGUAGE)!.label
  return getLanguage(id)?.label ?? id
}

export function isRunnable(id: string | null | undefined): boolean {
  return getLanguage(id)?.runnable ?? false
}

/**
 * Options for a language <select>: the known list, plus the current value when the
 * server uses an id this build does not know, so the select never lies about it.
 */
export function languageOptions(current?: string | null): { id: string; label: string }[] {
  const options = LANGUAGES.map(({ id, label }) => ({ id, label }))
  if (current && !BY_ID.has(current)) options.push({ id: current, label: current })
  return options
}
