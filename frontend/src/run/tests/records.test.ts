import { describe, expect, it } from 'vitest'
import { parseRunEntry, type RunEntry } from '../runs'
import { hiddenCheckEntry, testsEntry } from './entries'
import { attachHiddenChecks, hasHiddenCheck, parseTestFields } from './records'
import type { SuiteResult } from './runTests'

const by = { name: 'Ada', color: '#4f5df0' }
const at = new Date('2026-11-26T10:00:00Z')

function suite(overrides: Partial<SuiteResult> = {}): SuiteResult {
  return {
    results: [
      { name: 'example', passed: true, expected: '[0,1]', got: '[0,1]', ms: 0.4 },
      { name: 'secret', passed: false, expected: '[4,5]', got: '[1,2]', ms: 1, error: 'KeyError: 99' },
    ],
    passed: 1,
    total: 2,
    stdout: 'printed [4, 5]\n',
    stderr: 'Traceback: 99\n',
    status: 'ok',
    message: '1/2 tests passed',
    durationMs: 12,
    truncated: { stdout: false, stderr: false },
    ...overrides,
  }
}

describe('test run entries', () => {
  it('a visible run keeps expected vs got and the program output', () => {
    const entry = testsEntry({ id: 't1', by, language: 'python', at }, suite())
    expect(entry).toMatchObject({ id: 't1', kind: 'tests', status: 'ok', message: '1/2 tests passed', stdout: 'printed [4, 5]\n' })
    expect(entry.tests).toHaveLength(2)
    // What other pages read back is the same.
    const read = parseRunEntry(JSON.parse(JSON.stringify(entry)))!
    expect(read.tests).toEqual(entry.tests)
    expect(read.kind).toBe('tests')
  })

  it('a hidden check carries counts, names and pass/fail only: no values, output or error text', () => {
    const entry = hiddenCheckEntry({ id: 'h1', by, language: 'python', at }, 't1', suite())
    expect(entry).toMatchObject({ kind: 'tests', for_run: 't1', stdout: '', stderr: '' })
    // Its counts, as every page reads them back.
    expect(parseRunEntry(JSON.parse(JSON.stringify(entry)))?.hidden).toEqual({ passed: 1, total: 2 })
    expect(entry.tests).toEqual([
      { name: 'example', passed: true, ms: 0.4 },
      { name: 'secret', passed: false, ms: 1 },
    ])
    const text = JSON.stringify(entry)
    for (const secret of ['[4,5]', '[4, 5]', '99', '[1,2]']) expect(text).not.toContain(secret)
  })
})

describe('parseTestFields', () => {
  it('keeps valid fields and drops what does not fit', () => {
    expect(parseTestFields({})).toEqual({})
    expect(
      parseTestFields({
        kind: 'tests',
        tests: [{ name: 'a', passed: true, ms: 2, expected: 'x'.repeat(3000) }, { passed: true }, 'junk', { name: 'b', passed: 'yes', ms: -1 }],
        hidden: { passed: 2, total: 3 },
        for_run: 'r1',
      }),
    ).toEqual({
      kind: 'tests',
      tests: [
        { name: 'a', passed: true, ms: 2, expected: `${'x'.repeat(1999)}…` },
        { name: 'b', passed: false },
      ],
      hidden: { passed: 2, total: 3 },
      for_run: 'r1',
    })
    expect(parseTestFields({ kind: 'other', hidden: { passed: 4, total: 3 } })).toEqual({})
    expect(parseTestFields({ hidden: { passed: 1.5, total: 3 } })).toEqual({})
  })
})

describe('attachHiddenChecks', () => {
  const run = (id: string, extra: Partial<RunEntry> = {}): RunEntry => ({
    id,
    by,
    language: 'python',
    stdout: '',
    stderr: '',
    status: 'ok',
    duration_ms: 1,
    at: '',
    ...extra,
  })

  it('puts the newest check of a run under it and lists orphans on their own', () => {
    // Newest first, as the panel lists them.
    const runs = [
      run('h2', { kind: 'tests', for_run: 't1', hidden: { passed: 3, total: 3 } }),
      run('orphan', { kind: 'tests', for_run: 'gone', hidden: { passed: 0, total: 1 } }),
      run('t2', { kind: 'tests' }),
      run('h1', { kind: 'tests', for_run: 't1', hidden: { passed: 1, total: 3 } }),
      run('t1', { kind: 'tests' }),
      run('plain'),
    ]
    const shown = attachHiddenChecks(runs)
    expect(shown.map((r) => r.id)).toEqual(['orphan', 't2', 't1', 'plain'])
    expect(shown[2].hiddenCheck?.id).toBe('h2')
    expect(shown[1].hiddenCheck).toBeUndefined()
  })

  it('tells whether a run already has a check (so one interviewer runs it)', () => {
    expect(hasHiddenCheck([{ id: 't1' }, { id: 'h1', for_run: 't1' }], 't1')).toBe(true)
    expect(hasHiddenCheck([{ id: 't1' }, null, 'x'], 't1')).toBe(false)
  })
})
