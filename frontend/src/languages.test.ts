import { describe, expect, it } from 'vitest'
import {
  DEFAULT_LANGUAGE,
  LANGUAGES,
  getLanguage,
  isKnownLanguage,
  isRunnable,
  languageLabel,
  languageOptions,
  monacoLanguageFor,
} from './languages'

describe('languages', () => {
  it('offers exactly the agreed ids, each once', () => {
    expect(LANGUAGES.map((l) => l.id).sort()).toEqual(
      ['c', 'cpp', 'csharp', 'go', 'java', 'javascript', 'kotlin', 'lua', 'php', 'plaintext', 'postgresql', 'python', 'ruby', 'rust', 'sql', 'swift', 'typescript'].sort(),
    )
    expect(new Set(LANGUAGES.map((l) => l.id)).size).toBe(LANGUAGES.length)
  })

  it('marks the languages a browser runtime runs as runnable', () => {
    expect(LANGUAGES.filter((l) => l.runnable).map((l) => l.id).sort()).toEqual(
      ['c', 'cpp', 'javascript', 'lua', 'php', 'postgresql', 'python', 'ruby', 'sql', 'typescript'].sort(),
    )
    expect(LANGUAGES.filter((l) => !l.runnable).map((l) => l.id).sort()).toEqual(['csharp', 'go', 'java', 'kotlin', 'plaintext', 'rust', 'swift'])
    expect(isRunnable('python')).toBe(true)
    expect(isRunnable('java')).toBe(false)
    expect(isRunnable(undefined)).toBe(false)
  })

  it('says where each language runs: Java, Go, Rust, C# and Kotlin on the server', () => {
    const where = (on: string | null) => LANGUAGES.filter((l) => l.runsOn === on).map((l) => l.id).sort()
    expect(where('browser')).toEqual(LANGUAGES.filter((l) => l.runnable).map((l) => l.id).sort())
    expect(where('server')).toEqual(['csharp', 'go', 'java', 'kotlin', 'rust'])
    expect(where(null)).toEqual(['plaintext', 'swift'])
  })

  it('looks languages up by id', () => {
    expect(getLanguage('cpp')?.label).toBe('C++')
    expect(getLanguage('nope')).toBeUndefined()
    expect(getLanguage(null)).toBeUndefined()
    expect(isKnownLanguage('go')).toBe(true)
    expect(isKnownLanguage('cobol')).toBe(false)
    expect(isKnownLanguage(42)).toBe(false)
    expect(isKnownLanguage(DEFAULT_LANGUAGE)).toBe(true)
  })

  it('maps to Monaco ids, falling back to plain text', () => {
    expect(monacoLanguageFor('csharp')).toBe('csharp')
    expect(monacoLanguageFor('c')).toBe('c')
    expect(monacoLanguageFor('brainfuck')).toBe('plaintext')
    expect(monacoLanguageFor(undefined)).toBe('plaintext')
  })

  it('labels unknown ids by their id', () => {
    expect(languageLabel('typescript')).toBe('TypeScript')
    expect(languageLabel('zig')).toBe('zig')
    expect(languageLabel('')).toBe('Plain text')
  })

  it('keeps an unknown current value among the options', () => {
    expect(languageOptions('python')).toHaveLength(LANGUAGES.length)
    const withUnknown = languageOptions('zig')
    expect(withUnknown).toHaveLength(LANGUAGES.length + 1)
    expect(withUnknown.at(-1)).toEqual({ id: 'zig', label: 'zig' })
  })
})
