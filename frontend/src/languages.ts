// The languages the pad offers. This is the one list: the ids are the server's ids
// (sessions store them) and Monaco's language ids.

export interface Language {
  /** Server id, stored in the session and in the shared `meta.language`. */
  id: string
  /** Human name shown in selects. */
  label: string
  /** Monaco language id used for highlighting. */
  monacoId: string
  /** Whether the pad can run code in this language in the browser (a later task). */
  runnable: boolean
}

export const LANGUAGES: readonly Language[] = [
  { id: 'python', label: 'Python', monacoId: 'python', runnable: true },
  { id: 'javascript', label: 'JavaScript', monacoId: 'javascript', runnable: true },
  { id: 'typescript', label: 'TypeScript', monacoId: 'typescript', runnable: true },
  { id: 'java', label: 'Java', monacoId: 'java', runnable: false },
  { id: 'c', label: 'C', monacoId: 'c', runnable: false },
  { id: 'cpp', label: 'C++', monacoId: 'cpp', runnable: false },
  { id: 'csharp', label: 'C#', monacoId: 'csharp', runnable: false },
  { id: 'go', label: 'Go', monacoId: 'go', runnable: false },
  { id: 'rust', label: 'Rust', monacoId: 'rust', runnable: false },
  { id: 'ruby', label: 'Ruby', monacoId: 'ruby', runnable: false },
  { id: 'kotlin', label: 'Kotlin', monacoId: 'kotlin', runnable: false },
  { id: 'swift', label: 'Swift', monacoId: 'swift', runnable: false },
  { id: 'php', label: 'PHP', monacoId: 'php', runnable: false },
  { id: 'sql', label: 'SQL', monacoId: 'sql', runnable: false },
  { id: 'plaintext', label: 'Plain text', monacoId: 'plaintext', runnable: false },
]

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
