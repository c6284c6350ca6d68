import { describe, expect, it } from 'vitest'
import { hashWithoutKey, keyFromHash } from './keyLink'

describe('secret link fragments', () => {
  it('finds the key of #key=...', () => {
    expect(keyFromHash('#key=abc_DEF-123')).toBe('abc_DEF-123')
    expect(keyFromHash('key=abc')).toBe('abc')
    expect(keyFromHash('#x=1&key=abc&y=2')).toBe('abc')
    expect(keyFromHash('#key=a%2Db')).toBe('a-b')
  })

  it('has none without a key', () => {
    expect(keyFromHash('')).toBeNull()
    expect(keyFromHash('#')).toBeNull()
    expect(keyFromHash('#section')).toBeNull()
    expect(keyFromHash('#key=')).toBeNull()
    expect(keyFromHash('#keys=abc')).toBeNull()
  })

  it('leaves a malformed key for the server to refuse', () => {
    expect(keyFromHash('#key=%E0%A4%A')).toBe('%E0%A4%A')
    expect(keyFromHash('#key=not the key')).toBe('not the key')
  })

  it('drops only the key from the fragment', () => {
    expect(hashWithoutKey('#key=abc')).toBe('')
    expect(hashWithoutKey('#x=1&key=abc&y=2')).toBe('#x=1&y=2')
    expect(hashWithoutKey('#section')).toBe('#section')
    expect(hashWithoutKey('')).toBe('')
  })
})
