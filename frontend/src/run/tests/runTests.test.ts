import { describe, expect, it } from 'vitest'
import type { RunOptions, RunResult } from '../codeRunner'
import { runSuite, type TestRunner } from './runTests'

type Reply = (language: string, code: string, options: RunOptions) => Partial<RunResult>

/** A runner that answers each run from a script, and records what it was asked. */
function fakeRunner(reply: Reply): TestRunner & { calls: { language: string; code: string; stdin?: string }[] } {
  const calls: { language: string; code: string; stdin?: string }[] = []
  return {
    calls,
    async run(language, code, options = {}) {
      calls.push({ language, code, stdin: options.stdin })
      return {
        id: `r${calls.length}`,
        language,
        stdout: '',
        stderr: '',
        status: 'ok',
        durationMs: 5,
        truncated: { stdout: false, stderr: false },
        stdin: options.stdin ?? '',
        ...reply(language, code, options),
      }
    },
  }
}

const M = '@@pad-test-fake@@'

describe('function questions', () => {
  it('runs once, with the cases in the program, and reads the marker lines', async () => {
    const runner = fakeRunner(() => ({ stdout: `hi\n\n${M}{"i": 0, "ms": 1, "got": "[0, 1]"}\n\n${M}{"i": 1, "ms": 1, "got": "[9]"}\n` }))
    const suite = await runSuite(runner, {
      language: 'python',
      code: 'def two_sum(a, t):\n    pass\n',
      functionName: 'two_sum',
      cases: [
        { name: 'a', input: [[2, 7], 9], expected: [0, 1] },
        { name: 'b', input: [[3, 3], 6], expected: [0, 1] },
      ],
      marker: M,
    })
    expect(runner.calls).toHaveLength(1)
    expect(runner.calls[0].code).toContain('def two_sum(a, t):')
    expect(runner.calls[0].code).not.toContain('"expected"') // expected values never enter the worker
    expect(suite).toMatchObject({ passed: 1, total: 2, stdout: 'hi\n', status: 'ok', message: '1/2 tests passed' })
  })

  it('reports the time limit on the cases it did not reach', async () => {
    const runner = fakeRunner(() => ({ stdout: `\n${M}{"i": 0, "got": "1"}\n`, status: 'timeout', message: 'Time limit exceeded: the program was stopped after 5 s.' }))
    const suite = await runSuite(runner, {
      language: 'javascript',
      code: 'function f() {}',
      functionName: 'f',
      cases: [
        { name: 'a', input: [], expected: 1 },
        { name: 'b', input: [], expected: 2 },
      ],
      marker: M,
    })
    expect(suite.status).toBe('timeout')
    expect(suite.results[1]).toMatchObject({ passed: false, error: 'Time limit exceeded: the program was stopped after 5 s.' })
    expect(suite.message).toBe('Time limit exceeded: the program was stopped after 5 s.: 1/2 tests passed')
  })

  it('a program failing before the tests is an error', async () => {
    const runner = fakeRunner(() => ({ stdout: `\n${M}{"fatal": "SyntaxError: x (line 1)"}\n` }))
    const suite = await runSuite(runner, { language: 'python', code: 'def', functionName: 'f', cases: [{ name: 'a', input: [], expected: 1 }], marker: M })
    expect(suite.status).toBe('error')
    expect(suite.message).toMatch(/^SyntaxError: x \(line 1\)/)
  })
})

describe('stdin/stdout questions', () => {
  const cases = [
    { name: 'one', input: 'a b a\n', expected: 'a 2\nb 1\n' },
    { name: 'two', input: 'c\n', expected: 'c 1\n' },
    { name: 'three', input: 'd\n', expected: 'd 1\n' },
  ]

  it('runs each case with its input as stdin and compares the output', async () => {
    const runner = fakeRunner((_, __, options) => (options.stdin === 'c\n' ? { stdout: 'wrong\n' } : { stdout: options.stdin === 'a b a\n' ? 'a 2\nb 1' : 'd 1\n' }))
    const progress: number[] = []
    const suite = await runSuite(runner, { language: 'ruby', code: 'puts 1', functionName: '', cases, onProgress: (done) => progress.push(done) })
    expect(runner.calls.map((c) => c.stdin)).toEqual(['a b a\n', 'c\n', 'd\n'])
    expect(suite.results.map((r) => r.passed)).toEqual([true, false, true])
    expect(suite.results[1]).toMatchObject({ expected: 'c 1\n', got: 'wrong\n' })
    expect(suite).toMatchObject({ passed: 2, total: 3, status: 'ok', durationMs: 15 })
    expect(progress).toEqual([1, 2, 3])
  })

  it('SQL takes the input as a setup script before the query', async () => {
    const runner = fakeRunner(() => ({ stdout: ' n\n---\n 1\n(1 row)\n' }))
    await runSuite(runner, { language: 'sql', code: 'select n from t;', functionName: '', cases: [{ name: 's', input: 'create table t(n);\ninsert into t values (1);', expected: '' }] })
    expect(runner.calls[0]).toEqual({ language: 'sql', code: 'create table t(n);\ninsert into t values (1);\nselect n from t;', stdin: undefined })
  })

  it('Stop ends the whole test run', async () => {
    const runner = fakeRunner((_, __, options) => (options.stdin === 'c\n' ? { status: 'stopped', message: 'Stopped.' } : { stdout: 'a 2\nb 1\n' }))
    const suite = await runSuite(runner, { language: 'python', code: '', functionName: '', cases })
    expect(runner.calls).toHaveLength(2)
    expect(suite.status).toBe('stopped')
    expect(suite.results.map((r) => [r.passed, r.error])).toEqual([
      [true, undefined],
      [false, 'Stopped.'],
      [false, 'Stopped'],
    ])
    expect(suite.results[2]).not.toHaveProperty('got')
  })

  it('a time limit fails that case and goes on; stderr names the case', async () => {
    const runner = fakeRunner((_, __, options) =>
      options.stdin === 'a b a\n' ? { status: 'timeout', message: 'Time limit exceeded', stderr: 'loop' } : { stdout: options.stdin === 'c\n' ? 'c 1' : 'd 1' },
    )
    const suite = await runSuite(runner, { language: 'lua', code: '', functionName: '', cases })
    expect(suite.status).toBe('timeout')
    expect(suite.passed).toBe(2)
    expect(suite.stderr).toBe('--- one ---\nloop\n')
  })
})
