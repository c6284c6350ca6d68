import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { camelCase, functionNames, functionProgram, LOCKDOWN_JS, newMarker, snakeCase, testSupport } from './harness'
import { parseHarnessOutput } from './results'

const MARK = '@@pad-test-unit@@'
// Node's process (the tests run in Node; the app's types are the browser's).
const node = (globalThis as unknown as { process: { execPath: string; env: Record<string, string | undefined> } }).process

/** Run a JavaScript test program the way the JS runtime does (inside an async wrapper), in a child Node. */
function runJs(program: string): string {
  const wrapped = `(async()=>{${program}\n})()\n//# sourceURL=main.js`
  return execFileSync(node.execPath, ['--input-type=module', '-e', `await (0, eval)(${JSON.stringify(wrapped)})`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Run a Python test program with the machine's CPython (Pyodide runs the same source). */
function runPython(program: string): string {
  return execFileSync(node.env.PYTHON ?? 'python3', ['-c', program], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

const CASES = [
  [[2, 7, 11, 15], 9],
  [[3, 3], 6],
  [['é "quoted" \\ \u2028 line'], 1],
]

describe('names', () => {
  it('maps between snake_case and camelCase', () => {
    expect(camelCase('two_sum')).toBe('twoSum')
    expect(camelCase('parse_http_2_line')).toBe('parseHttp2Line')
    expect(snakeCase('twoSum')).toBe('two_sum')
    expect(functionNames('two_sum', 'javascript')).toEqual(['twoSum', 'two_sum'])
    expect(functionNames('two_sum', 'python')).toEqual(['two_sum'])
    expect(functionNames('merge', 'typescript')).toEqual(['merge'])
    // Only identifiers end up in generated code.
    expect(functionNames('x"); alert(1); ("', 'javascript')).toEqual([])
  })

  it('says which languages can run which questions', () => {
    expect(testSupport('python', 'two_sum')).toEqual({ ok: true })
    expect(testSupport('ruby', '')).toEqual({ ok: true })
    expect(testSupport('ruby', 'two_sum').ok).toBe(false)
    expect(testSupport('java', '').ok).toBe(false)
  })

  it('makes a fresh marker each time', () => {
    expect(newMarker()).toMatch(/^@@pad-test-[0-9a-z]{12}@@$/)
    expect(newMarker()).not.toBe(newMarker())
  })
})

describe('the JavaScript harness', () => {
  it('calls the function with each case and reports values, errors and times', () => {
    const code = [
      'function twoSum(nums, target) {',
      '  const seen = new Map()',
      '  for (let i = 0; i < nums.length; i++) {',
      '    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i]',
      '    seen.set(nums[i], i)',
      '  }',
      "  console.log('no pair in', nums.length)",
      "  throw new RangeError('no pair')",
      '}',
    ].join('\n')
    const out = parseHarnessOutput(runJs(functionProgram('javascript', code, 'two_sum', CASES, MARK).code), MARK)
    expect(out.missing).toBe(false)
    expect(out.cases.get(0)).toMatchObject({ i: 0, got: '[0,1]' })
    expect(out.cases.get(1)).toMatchObject({ got: '[0,1]' })
    expect(out.cases.get(2)?.error).toBe('RangeError: no pair (line 8)')
    expect(out.cases.get(0)?.ms).toBeGreaterThanOrEqual(0)
    // The candidate's own output stays, without the harness's lines.
    expect(out.stdout).toBe('no pair in 1\n')
  })

  it('finds const arrow functions, async functions and Solution classes', () => {
    for (const code of [
      'const twoSum = (a, b) => a.length + b',
      'async function two_sum(a, b) { return a.length + b }',
      'class Solution { twoSum(a, b) { return a.length + b } }',
    ]) {
      const out = parseHarnessOutput(runJs(functionProgram('javascript', code, 'two_sum', [[[1, 2], 3]], MARK).code), MARK)
      expect(out.cases.get(0)?.got, code).toBe('5')
    }
  })

  it('reports a missing function, and values JSON cannot hold', () => {
    const missing = parseHarnessOutput(runJs(functionProgram('javascript', 'function other() {}', 'two_sum', [[1]], MARK).code), MARK)
    expect(missing.missing).toBe(true)
    const undef = parseHarnessOutput(runJs(functionProgram('javascript', 'function f() {}', 'f', [[1]], MARK).code), MARK)
    expect(undef.cases.get(0)).toMatchObject({ repr: 'undefined' })
  })

  it('takes the network away before the candidate code runs, keeping its line numbers', () => {
    const code = "function f() { return [typeof fetch, typeof WebSocket, typeof XMLHttpRequest, typeof Worker] }\nfunction g() { throw new Error('x') }"
    const program = functionProgram('javascript', code, 'f', [[]], MARK).code
    expect(program.split('\n')[1]).toBe("function g() { throw new Error('x') }")
    const out = parseHarnessOutput(runJs(program), MARK)
    expect(JSON.parse(out.cases.get(0)!.got!)).toEqual(['undefined', 'undefined', 'undefined', 'undefined'])
    const thrown = parseHarnessOutput(runJs(functionProgram('javascript', code, 'g', [[]], MARK).code), MARK)
    expect(thrown.cases.get(0)?.error).toBe('Error: x (line 2)')
  })

  it('pins what it removed so the program cannot put it back', () => {
    const out = runJs(`${LOCKDOWN_JS}globalThis.fetch = () => 1; console.log(typeof fetch)`)
    expect(out.trim()).toBe('undefined')
  })
})

describe('the Python harness', () => {
  it('calls the function with each case and reports values, errors and times', () => {
    const code = [
      'def two_sum(nums, target):',
      '    seen = {}',
      '    for i, n in enumerate(nums):',
      '        if target - n in seen:',
      '            return (seen[target - n], i)',
      '        seen[n] = i',
      '    print("no pair in", len(nums))',
      '    raise ValueError("no pair")',
    ].join('\n')
    const out = parseHarnessOutput(runPython(functionProgram('python', code, 'two_sum', [...CASES.slice(0, 2), [[5], 1]], MARK).code), MARK)
    expect(out.fatal).toBeNull()
    expect(JSON.parse(out.cases.get(0)!.got!)).toEqual([0, 1]) // a tuple comes back as a list
    expect(JSON.parse(out.cases.get(1)!.got!)).toEqual([0, 1])
    expect(out.cases.get(2)?.error).toBe('ValueError: no pair (line 8)')
    expect(out.stdout).toBe('no pair in 1\n')
  })

  it('finds a Solution method, reports a missing function and values JSON cannot hold', () => {
    const method = parseHarnessOutput(runPython(functionProgram('python', 'class Solution:\n    def f(self, x):\n        return x * 2\n', 'f', [[21]], MARK).code), MARK)
    expect(method.cases.get(0)?.got).toBe('42')
    const missing = parseHarnessOutput(runPython(functionProgram('python', 'x = 1\n', 'f', [[1]], MARK).code), MARK)
    expect(missing.missing).toBe(true)
    const odd = parseHarnessOutput(runPython(functionProgram('python', 'def f():\n    return {1, 2}\n', 'f', [[]], MARK).code), MARK)
    expect(odd.cases.get(0)?.repr).toBe('{1, 2}')
    const nan = parseHarnessOutput(runPython(functionProgram('python', 'def f():\n    return float("nan")\n', 'f', [[]], MARK).code), MARK)
    expect(nan.cases.get(0)?.repr).toBe('nan')
  })

  it('reports a program that fails before the tests, at its own line', () => {
    const syntax = parseHarnessOutput(runPython(functionProgram('python', 'def f(:\n    pass\n', 'f', [[]], MARK).code), MARK)
    expect(syntax.fatal).toMatch(/^SyntaxError: .* \(line 1\)$/)
    const top = parseHarnessOutput(runPython(functionProgram('python', 'x = 1\ny = {}["k"]\n', 'f', [[]], MARK).code), MARK)
    expect(top.fatal).toBe("KeyError: 'k' (line 2)")
  })

  it('passes text arguments through exactly', () => {
    const text = (CASES[2][0] as string[])[0]
    const out = parseHarnessOutput(runPython(functionProgram('python', 'def echo(s):\n    return s\n', 'echo', [[text]], MARK).code), MARK)
    expect(JSON.parse(out.cases.get(0)!.got!)).toBe(text)
  })

  it('keeps harness names out of the candidate namespace', () => {
    const out = parseHarnessOutput(runPython(functionProgram('python', 'def f():\n    return sorted(k for k in globals() if k.startswith("_pad") or k.startswith("_P"))\n', 'f', [[]], MARK).code), MARK)
    expect(JSON.parse(out.cases.get(0)!.got!)).toEqual([])
  })
})
