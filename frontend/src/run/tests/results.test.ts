import { describe, expect, it } from 'vitest'
import { functionResults, jsonEqual, normalizeOutput, outputResult, outputsMatch, parseHarnessOutput, redactHidden, tally } from './results'

const M = '@@pad-test-x@@'

describe('parseHarnessOutput', () => {
  it('takes the marker lines out and keeps the program output around them', () => {
    const stdout = `hello\n\n${M}{"i": 0, "ms": 1.5, "got": "[0, 1]"}\npartial\n${M}{"i": 1, "error": "ValueError: x (line 3)"}\nbye\n`
    const out = parseHarnessOutput(stdout, M)
    expect(out.stdout).toBe('hello\npartialbye\n')
    expect(out.cases.get(0)).toEqual({ i: 0, ms: 1.5, got: '[0, 1]', repr: undefined, error: undefined })
    expect(out.cases.get(1)?.error).toBe('ValueError: x (line 3)')
    expect(out.missing).toBe(false)
    expect(out.fatal).toBeNull()
  })

  it('reads missing and fatal, and ignores a line cut by the output cap', () => {
    expect(parseHarnessOutput(`\n${M}{"missing": true}\n`, M).missing).toBe(true)
    expect(parseHarnessOutput(`\n${M}{"fatal": "SyntaxError (line 1)"}\n`, M).fatal).toBe('SyntaxError (line 1)')
    const cut = parseHarnessOutput(`\n${M}{"i": 0, "got": "[1, 2`, M)
    expect(cut.cases.size).toBe(0)
    expect(cut.stdout).toBe('')
  })

  it('is not fooled by another marker (a program cannot forge results without the run’s marker)', () => {
    const out = parseHarnessOutput('@@pad-test-other@@{"i": 0, "got": "1"}\n', M)
    expect(out.cases.size).toBe(0)
  })
})

describe('comparing', () => {
  it('compares JSON values deeply, floats within a tolerance', () => {
    expect(jsonEqual([0, 1], [0, 1])).toBe(true)
    expect(jsonEqual([0, 1], [1, 0])).toBe(false)
    expect(jsonEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true)
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(jsonEqual(0.1 + 0.2, 0.3)).toBe(true)
    expect(jsonEqual(1, 1.001)).toBe(false)
    expect(jsonEqual('1', 1)).toBe(false)
    expect(jsonEqual([], {})).toBe(false)
    expect(jsonEqual(null, 0)).toBe(false)
  })

  it('compares printed output without trailing spaces and blank lines at the ends', () => {
    expect(normalizeOutput('the 4  \r\nand 2\n\n\n')).toBe('the 4\nand 2')
    expect(outputsMatch('the 4\nand 2\n', '\nthe 4 \nand 2')).toBe(true)
    expect(outputsMatch('a\nb', 'a\n\nb')).toBe(false)
    expect(outputsMatch('A', 'a')).toBe(false)
  })
})

describe('functionResults', () => {
  const cases = [
    { name: 'example', expected: [0, 1] },
    { name: 'floats', expected: 0.3 },
    { name: 'raises', expected: 1 },
    { name: 'odd value', expected: [1, 2] },
    { name: 'not reached', expected: 5 },
  ]

  it('gives each case pass/fail, expected vs got, time and error', () => {
    const out = parseHarnessOutput(
      [
        `${M}{"i": 0, "ms": 0.1234, "got": "[0, 1]"}`,
        `${M}{"i": 1, "ms": 2, "got": "0.30000000000000004"}`,
        `${M}{"i": 2, "ms": 3, "error": "ZeroDivisionError: division by zero (line 4)"}`,
        `${M}{"i": 3, "ms": 4, "repr": "{1, 2}"}`,
      ].join('\n'),
      M,
    )
    const results = functionResults(cases, out, 'Time limit exceeded: the program was stopped after 10 s.', 'f')
    expect(results).toEqual([
      { name: 'example', passed: true, expected: '[0,1]', got: '[0,1]', ms: 0.12 },
      { name: 'floats', passed: true, expected: '0.3', got: '0.30000000000000004', ms: 2 },
      { name: 'raises', passed: false, expected: '1', ms: 3, error: 'ZeroDivisionError: division by zero (line 4)' },
      { name: 'odd value', passed: false, expected: '[1,2]', got: '{1, 2}', ms: 4 },
      { name: 'not reached', passed: false, expected: '5', error: 'Time limit exceeded: the program was stopped after 10 s.' },
    ])
    expect(tally(results)).toEqual({ passed: 2, total: 5 })
  })

  it('explains cases without results: a missing function, a program that failed first', () => {
    const missing = functionResults(cases.slice(0, 1), parseHarnessOutput(`${M}{"missing": true}`, M), null, 'two_sum')
    expect(missing[0].error).toMatch(/two_sum is not defined/)
    const fatal = functionResults(cases.slice(0, 1), parseHarnessOutput(`${M}{"fatal": "SyntaxError: bad (line 2)"}`, M), null, 'f')
    expect(fatal[0]).toMatchObject({ passed: false, error: 'The program failed before the tests ran: SyntaxError: bad (line 2)' })
  })

  it('cuts long values to the record’s limit', () => {
    const long = 'x'.repeat(5000)
    const results = functionResults([{ name: 'n'.repeat(300), expected: long }], parseHarnessOutput(`${M}{"i": 0, "got": ${JSON.stringify(JSON.stringify(long))}}`, M), null, 'f')
    expect(results[0].passed).toBe(true)
    expect(results[0].name.length).toBe(100)
    expect(results[0].expected!.length).toBe(2000)
    expect(results[0].got!.length).toBe(2000)
  })
})

describe('outputResult', () => {
  it('passes on matching output, fails with the reason otherwise', () => {
    expect(outputResult({ name: 'a', expected: 'the 4\n' }, { stdout: 'the 4', status: 'ok', durationMs: 12.345 })).toEqual({
      name: 'a',
      passed: true,
      expected: 'the 4\n',
      got: 'the 4',
      ms: 12.35,
    })
    expect(outputResult({ name: 'a', expected: 'x' }, { stdout: 'x', status: 'error', message: 'EOFError (line 2)', durationMs: 1 })).toMatchObject({
      passed: false,
      error: 'EOFError (line 2)',
    })
    expect(outputResult({ name: 'a', expected: 'x' }, { stdout: '', status: 'timeout', durationMs: 1 }).error).toBe('Time limit exceeded')
  })
})

describe('redactHidden', () => {
  it('keeps only the name, pass/fail and time of a hidden case', () => {
    expect(redactHidden({ name: 'big', passed: false, expected: '[secret]', got: '[wrong]', ms: 3, error: 'KeyError: secret' })).toEqual({
      name: 'big',
      passed: false,
      ms: 3,
    })
  })
})
