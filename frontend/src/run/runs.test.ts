import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { TRUNCATED_MARKER, utf8Length } from './output'
import {
  appendRun,
  clearRuns,
  formatDuration,
  makeRunEntry,
  MAX_OUTPUT_BYTES,
  MAX_RUNS,
  parseRunEntry,
  runsNewestFirst,
  type RunResultInput,
} from './runs'

function input(overrides: Partial<RunResultInput> = {}): RunResultInput {
  return {
    id: 'r1',
    by: { name: 'Ada', color: '#4f5df0' },
    language: 'python',
    stdout: '45\n',
    stderr: '',
    status: 'ok',
    durationMs: 12.4,
    at: new Date('2026-11-26T10:00:00Z'),
    ...overrides,
  }
}

describe('makeRunEntry', () => {
  it('builds a plain JSON entry', () => {
    expect(makeRunEntry(input())).toEqual({
      id: 'r1',
      by: { name: 'Ada', color: '#4f5df0' },
      language: 'python',
      stdout: '45\n',
      stderr: '',
      status: 'ok',
      duration_ms: 12,
      at: '2026-11-26T10:00:00.000Z',
    })
    expect(makeRunEntry(input({ status: 'timeout', message: 'Time limit' })).message).toBe('Time limit')
  })

  it('keeps the program input, when there was one, and reads it back', () => {
    expect(makeRunEntry(input())).not.toHaveProperty('stdin')
    expect(makeRunEntry(input({ stdin: '' }))).not.toHaveProperty('stdin')
    const entry = makeRunEntry(input({ stdin: 'Ada\n1 2\n' }))
    expect(entry.stdin).toBe('Ada\n1 2\n')
    expect(parseRunEntry(JSON.parse(JSON.stringify(entry)))?.stdin).toBe('Ada\n1 2\n')
    expect(utf8Length(makeRunEntry(input({ stdin: 'x'.repeat(100_000) })).stdin!)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES)
  })

  it('caps each stream at 64 KiB with a visible marker', () => {
    const entry = makeRunEntry(input({ stdout: 'x'.repeat(200_000), stderr: 'é'.repeat(100_000) }))
    for (const text of [entry.stdout, entry.stderr]) {
      expect(utf8Length(text)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES)
      expect(text.endsWith(`${TRUNCATED_MARKER}\n`)).toBe(true)
    }
  })

  it('marks a stream the runner cut, even when what was kept is short', () => {
    const entry = makeRunEntry(input({ stdout: 'partial', truncated: { stdout: true } }))
    expect(entry.stdout).toBe(`partial\n${TRUNCATED_MARKER}\n`)
  })
})

describe('appendRun', () => {
  it('appends in one transaction and never removes a run (the server trims the oldest)', () => {
    const doc = new Y.Doc()
    const runs = doc.getArray<unknown>('runs')
    let transactions = 0
    let deletions = 0
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      transactions++
      deletions += transaction.deleteSet.clients.size
    })
    for (let i = 0; i < MAX_RUNS + 5; i++) appendRun(doc, runs, makeRunEntry(input({ id: `r${i}` })))
    expect(transactions).toBe(MAX_RUNS + 5)
    expect(deletions).toBe(0)
    expect(runs.length).toBe(MAX_RUNS + 5)
    // Shown: the newest, at most MAX_RUNS of them.
    const shown = runsNewestFirst(runs.toArray())
    expect(shown).toHaveLength(MAX_RUNS)
    expect(shown[0].id).toBe(`r${MAX_RUNS + 4}`)
  })

  it('reaches another replica as one update', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const updates: Uint8Array[] = []
    a.on('update', (update: Uint8Array) => updates.push(update))
    const runsA = a.getArray<unknown>('runs')
    appendRun(a, runsA, makeRunEntry(input({ id: 'newest' })))
    expect(updates).toHaveLength(1)
    Y.applyUpdate(b, updates[0])
    expect(runsNewestFirst(b.getArray<unknown>('runs').toArray())[0].id).toBe('newest')
  })

  it('clears every run', () => {
    const doc = new Y.Doc()
    const runs = doc.getArray<unknown>('runs')
    appendRun(doc, runs, makeRunEntry(input()))
    clearRuns(doc, runs)
    expect(runs.length).toBe(0)
  })
})

describe('reading entries written by others', () => {
  it('lists runs newest first', () => {
    const values = [makeRunEntry(input({ id: 'old' })), makeRunEntry(input({ id: 'new' }))]
    expect(runsNewestFirst(values).map((run) => run.id)).toEqual(['new', 'old'])
  })

  it('repairs or skips malformed entries', () => {
    expect(parseRunEntry(null)).toBeNull()
    expect(parseRunEntry('text')).toBeNull()
    expect(parseRunEntry([1, 2])).toBeNull()
    const repaired = parseRunEntry({ status: 'exploded', stdout: 5, by: 'x', duration_ms: 'slow' }, 3)!
    expect(repaired).toMatchObject({ id: 'run-3', status: 'error', stdout: '', by: { name: 'Someone' }, duration_ms: 0 })
    const huge = parseRunEntry({ id: 'h', status: 'ok', stdout: 'z'.repeat(500_000) })!
    expect(utf8Length(huge.stdout)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES)
  })
})

describe('formatDuration', () => {
  it('reads well', () => {
    expect(formatDuration(42.4)).toBe('42 ms')
    expect(formatDuration(1340)).toBe('1.3 s')
    expect(formatDuration(12_400)).toBe('12 s')
  })
})
