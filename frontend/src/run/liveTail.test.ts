import { describe, expect, it } from 'vitest'
import { liveTail, parseRunningState, tailOf, TAIL_BYTES } from './liveTail'

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length

describe('live output tails', () => {
  it('keeps short output whole', () => {
    expect(liveTail('a\nb\n', 'oops\n')).toEqual({ stdout: 'a\nb\n', stderr: 'oops\n', cut: false })
  })

  it('keeps the end of a flood within the byte budget, from a line start', () => {
    const flood = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n') + '\n'
    const tail = liveTail(flood, '')
    expect(tail.cut).toBe(true)
    expect(bytes(tail.stdout) + bytes(tail.stderr)).toBeLessThanOrEqual(TAIL_BYTES + 2)
    expect(tail.stdout.endsWith('line 4999\n')).toBe(true)
    expect(tail.stdout.startsWith('line ')).toBe(true)
  })

  it('counts JSON escapes and multi-byte characters', () => {
    const nasty = '\u0001é😀'.repeat(2000)
    const tail = tailOf(nasty, 500)
    expect(bytes(tail)).toBeLessThanOrEqual(500)
    expect(tail.length).toBeGreaterThan(0)
    expect(/^[\uDC00-\uDFFF]/.test(tail)).toBe(false)
  })

  it('gives stderr room when both streams are long', () => {
    const tail = liveTail('o'.repeat(10_000), 'e'.repeat(10_000))
    expect(tail.stderr.length).toBeGreaterThan(500)
    expect(tail.stdout.length).toBeGreaterThan(500)
    expect(bytes(tail.stdout) + bytes(tail.stderr)).toBeLessThanOrEqual(TAIL_BYTES + 2)
  })

  it('reads a running field defensively', () => {
    expect(parseRunningState(null)).toBeNull()
    expect(parseRunningState({ language: 'python' })).toMatchObject({ language: 'python', stdout: '', cut: false, started: 0 })
    expect(parseRunningState({ stdout: 5, started: 'x', cut: 'yes' })).toMatchObject({ stdout: '', started: 0, cut: false })
  })
})
