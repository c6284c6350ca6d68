import { describe, expect, it } from 'vitest'
import { capText, OutputSink, TRUNCATED_MARKER, truncateUtf8, utf8Length, type OutputBatch } from './output'

describe('utf8Length and truncateUtf8', () => {
  it('count UTF-8 bytes', () => {
    expect(utf8Length('abc')).toBe(3)
    expect(utf8Length('é')).toBe(2)
    expect(utf8Length('€')).toBe(3)
    expect(utf8Length('😀')).toBe(4)
    expect(utf8Length('a😀b')).toBe(6)
    expect(utf8Length('a😀b')).toBe(new TextEncoder().encode('a😀b').length)
  })

  it('never split a character', () => {
    expect(truncateUtf8('héllo', 2)).toBe('h')
    expect(truncateUtf8('héllo', 3)).toBe('hé')
    expect(truncateUtf8('😀😀', 5)).toBe('😀')
    expect(truncateUtf8('😀😀', 3)).toBe('')
    expect(truncateUtf8('short', 100)).toBe('short')
    expect(truncateUtf8('abc', 0)).toBe('')
  })
})

describe('capText', () => {
  it('keeps text that fits', () => {
    expect(capText('hello\n', 100)).toBe('hello\n')
  })

  it('cuts long text and marks it, within the byte budget', () => {
    const text = 'x'.repeat(1000)
    const capped = capText(text, 100)
    expect(capped.endsWith(`\n${TRUNCATED_MARKER}\n`)).toBe(true)
    expect(utf8Length(capped)).toBeLessThanOrEqual(100)
  })

  it('marks output the runner already stopped collecting, even when short', () => {
    expect(capText('abc\n', 100, true)).toBe(`abc\n${TRUNCATED_MARKER}\n`)
    // ...and does not mark it twice.
    expect(capText(`abc\n${TRUNCATED_MARKER}\n`, 100, true)).toBe(`abc\n${TRUNCATED_MARKER}\n`)
  })
})

function sink(options: Partial<ConstructorParameters<typeof OutputSink>[0]> = {}) {
  const batches: OutputBatch[] = []
  let now = 0
  const out = new OutputSink({
    maxBytes: 100,
    immediateWrites: 0,
    flushBytes: 30,
    flushMs: 50,
    now: () => now,
    send: (batch) => batches.push(batch),
    ...options,
  })
  return { out, batches, tick: (ms: number) => (now += ms) }
}

describe('OutputSink', () => {
  it('sends the first writes at once, so output before a hang is never held back', () => {
    const { out, batches } = sink({ immediateWrites: 2 })
    out.write('stdout', 'one\n')
    expect(batches).toEqual([{ stdout: 'one\n', stderr: '' }])
    out.write('stderr', 'two\n')
    expect(batches).toHaveLength(2)
    out.write('stdout', 'three\n') // a chatty program: batched from here on
    expect(batches).toHaveLength(2)
    out.flush()
    expect(batches[2]).toEqual({ stdout: 'three\n', stderr: '' })
  })

  it('batches small writes and sends them once enough text waits', () => {
    const { out, batches } = sink()
    out.write('stdout', 'one\n')
    out.write('stderr', 'two\n')
    expect(batches).toEqual([])
    out.write('stdout', 'x'.repeat(30))
    expect(batches).toEqual([{ stdout: `one\n${'x'.repeat(30)}`, stderr: 'two\n' }])
  })

  it('sends waiting text once it is old enough, even from a busy loop', () => {
    const { out, batches, tick } = sink()
    out.write('stdout', 'a')
    tick(60)
    out.write('stdout', 'b')
    expect(batches).toEqual([{ stdout: 'ab', stderr: '' }])
  })

  it('asks for a later flush when text waits', () => {
    const scheduled: Array<() => void> = []
    const { out, batches } = sink({ schedule: (flush) => scheduled.push(flush) })
    out.write('stdout', 'a')
    out.write('stdout', 'b')
    expect(scheduled).toHaveLength(1)
    scheduled[0]()
    expect(batches).toEqual([{ stdout: 'ab', stderr: '' }])
  })

  it('stops collecting a stream at the cap and reports it truncated', () => {
    const { out, batches } = sink()
    for (let i = 0; i < 1000; i++) out.write('stdout', `${i}\n`)
    expect(out.accepting('stdout')).toBe(false)
    expect(out.accepting('stderr')).toBe(true)
    const truncated = out.close()
    expect(truncated).toEqual({ stdout: true, stderr: false })
    const all = batches.map((batch) => batch.stdout).join('')
    expect(utf8Length(all)).toBe(100)
    expect(all.startsWith('0\n1\n2\n')).toBe(true)
    expect(out.dropped('stdout')).toBeGreaterThan(0)
  })

  it('sends nothing after close', () => {
    const { out, batches } = sink()
    out.write('stdout', 'a')
    out.close()
    out.write('stdout', 'b')
    out.flush()
    expect(batches).toEqual([{ stdout: 'a', stderr: '' }])
  })
})
