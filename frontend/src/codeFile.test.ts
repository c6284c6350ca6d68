import { describe, expect, it } from 'vitest'
import { codeFileName, EXTENSIONS, extensionFor } from './codeFile'
import { LANGUAGES } from './languages'

describe('the code as a file', () => {
  it('has an extension for every language', () => {
    for (const language of LANGUAGES) expect(EXTENSIONS[language.id], language.id).toMatch(/^[a-z]+$/)
    expect(extensionFor('python')).toBe('py')
    expect(extensionFor('cpp')).toBe('cpp')
    expect(extensionFor('postgresql')).toBe('sql')
    expect(extensionFor('nope')).toBe('txt')
  })

  it('is named after the session', () => {
    expect(codeFileName('Two sum', 'python')).toBe('two-sum.py')
    expect(codeFileName('Café – LRU cache!', 'cpp')).toBe('cafe-lru-cache.cpp')
    expect(codeFileName('Untitled session', 'typescript')).toBe('solution.ts')
    expect(codeFileName('???', 'plaintext')).toBe('solution.txt')
  })
})
