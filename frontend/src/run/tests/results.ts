// Reading a test run: the harness's marker lines out of the program's output, each case's
// value compared with the expected one, stdout compared for stdin/stdout questions, and the
// per-case results in the shape the shared run record holds (`tests` of a run entry).

/** One case's outcome, as stored in a run record (`tests: [...]`; text fields at most 2,000 characters). */
export interface CaseResult {
  name: string
  passed: boolean
  /** Visible cases only: what was expected and what came back, as text. */
  expected?: string
  got?: string
  ms?: number
  /** Why it failed when it did not return (an exception, the time limit). */
  error?: string
}

export const MAX_CASE_TEXT = 2000
export const MAX_CASES = 100

/** What the harness printed for one case. */
export interface HarnessCase {
  i: number
  ms?: number
  /** The returned value as JSON text. */
  got?: string
  /** The returned value's repr when JSON cannot hold it. */
  repr?: string
  error?: string
}

export interface HarnessOutput {
  /** The program's own output, the marker lines taken out. */
  stdout: string
  cases: Map<number, HarnessCase>
  /** The function is not defined (under any of its names). */
  missing: boolean
  /** The program failed before the tests could run (a syntax error, an exception at top level). */
  fatal: string | null
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Take the harness's lines out of a run's stdout. A marker line's leading newline is the harness's too. */
export function parseHarnessOutput(stdout: string, marker: string): HarnessOutput {
  const cases = new Map<number, HarnessCase>()
  let missing = false
  let fatal: string | null = null
  const pattern = new RegExp(`\\n?${escapeRegExp(marker)}([^\\n]*)(?:\\n|$)`, 'g')
  const clean = stdout.replace(pattern, (_, json: string) => {
    try {
      const record = JSON.parse(json) as Record<string, unknown>
      if (record.missing === true) missing = true
      else if (typeof record.fatal === 'string') fatal = record.fatal
      else if (typeof record.i === 'number' && Number.isInteger(record.i)) {
        cases.set(record.i, {
          i: record.i,
          ms: typeof record.ms === 'number' && Number.isFinite(record.ms) ? record.ms : undefined,
          got: typeof record.got === 'string' ? record.got : undefined,
          repr: typeof record.repr === 'string' ? record.repr : undefined,
          error: typeof record.error === 'string' ? record.error : undefined,
        })
      }
    } catch {
      // A cut line (the output cap): that case has no result.
    }
    return ''
  })
  return { stdout: clean, cases, missing, fatal }
}

/** Two JSON values equal: numbers within a relative 1e-9 (floats), arrays in order, objects by keys. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return true
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const other = b as unknown[]
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]))
  }
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const keys = Object.keys(left)
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]))
}

/** Text for a record field, cut to its limit. */
export function clip(text: string, limit = MAX_CASE_TEXT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`
}

/** A JSON value as compact text (how expected and returned values are shown). */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value)
  return text === undefined ? String(value) : text
}

/** Outputs compare as text without trailing spaces on lines, and without blank lines or spaces at either end. */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim()
}

export function outputsMatch(expected: string, got: string): boolean {
  return normalizeOutput(expected) === normalizeOutput(got)
}

const roundMs = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms * 100) / 100)

/**
 * Per-case results of a function question's run. `ended` says why the run stopped early (the
 * time limit, Stop, a crash): the cases without a result get it as their error.
 */
export function functionResults(
  cases: readonly { name: string; expected: unknown }[],
  output: HarnessOutput,
  ended: string | null,
  functionName: string,
): CaseResult[] {
  return cases.slice(0, MAX_CASES).map((testCase, i) => {
    const expected = clip(showValue(testCase.expected))
    const name = clip(testCase.name, 100)
    const found = output.cases.get(i)
    if (!found) {
      const error = output.missing
        ? `${functionName} is not defined: the tests call a function named ${functionName}`
        : output.fatal
          ? `The program failed before the tests ran: ${output.fatal}`
          : ended ?? 'No result (the output limit was reached?)'
      return { name, passed: false, expected, error: clip(error) }
    }
    const ms = roundMs(found.ms)
    if (found.error !== undefined) return { name, passed: false, expected, ms, error: clip(found.error) }
    if (found.got === undefined) return { name, passed: false, expected, got: clip(found.repr ?? 'undefined'), ms }
    let value: unknown
    try {
      value = JSON.parse(found.got)
    } catch {
      return { name, passed: false, expected, got: clip(found.got), ms }
    }
    return { name, passed: jsonEqual(testCase.expected, value), expected, got: clip(showValue(value)), ms }
  })
}

/** One stdin/stdout case's result from its own run. */
export function outputResult(
  testCase: { name: string; expected: unknown },
  run: { stdout: string; status: string; message?: string; durationMs: number },
): CaseResult {
  const expected = typeof testCase.expected === 'string' ? testCase.expected : showValue(testCase.expected)
  const result: CaseResult = {
    name: clip(testCase.name, 100),
    passed: run.status === 'ok' && outputsMatch(expected, run.stdout),
    expected: clip(expected),
    got: clip(run.stdout),
    ms: roundMs(run.durationMs),
  }
  if (run.status !== 'ok') result.error = clip(run.message || (run.status === 'timeout' ? 'Time limit exceeded' : run.status))
  return result
}

/** `passed` of `total`. */
export function tally(results: readonly CaseResult[]): { passed: number; total: number } {
  return { passed: results.filter((r) => r.passed).length, total: results.length }
}

/** What of a result may go into the shared document for a hidden case: its name, pass/fail and time. */
export function redactHidden(result: CaseResult): CaseResult {
  const redacted: CaseResult = { name: result.name, passed: result.passed }
  if (result.ms !== undefined) redacted.ms = result.ms
  return redacted
}
