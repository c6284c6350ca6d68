// Running a question's cases through the page's CodeRunner (the same workers, time limits
// and Stop as Run). A function question is one run of the harness program (harness.ts); a
// stdin/stdout question is one run per case, its input as stdin (SQL: as a setup script).

import type { RunOptions, RunResult } from '../codeRunner'
import type { RunStatus } from '../runs'
import { functionProgram, isSqlLanguage, newMarker } from './harness'
import { functionResults, outputResult, parseHarnessOutput, tally, type CaseResult } from './results'

/** The part of CodeRunner that running tests needs. */
export interface TestRunner {
  run(language: string, code: string, options?: RunOptions): Promise<RunResult>
}

export interface SuiteCase {
  name: string
  input: unknown
  expected: unknown
}

export interface SuiteInput {
  language: string
  code: string
  /** '' for stdin/stdout questions. */
  functionName: string
  cases: readonly SuiteCase[]
  /** Cases finished so far (stdin/stdout questions report after each case). */
  onProgress?: (done: number, total: number) => void
  marker?: string
}

export interface SuiteResult {
  results: CaseResult[]
  passed: number
  total: number
  /** The program's own output (function questions: the harness's lines taken out). */
  stdout: string
  stderr: string
  status: RunStatus
  message: string
  durationMs: number
  truncated: { stdout: boolean; stderr: boolean }
}

const ENDINGS: Partial<Record<RunStatus, string>> = { timeout: 'Time limit exceeded', stopped: 'Stopped' }

function summary(passed: number, total: number): string {
  return total === 0 ? 'No test cases' : `${passed}/${total} tests passed`
}

/** The arguments of a function question's case (a lone non-list value is one argument). */
function argumentsOf(input: unknown): unknown[] {
  return Array.isArray(input) ? input : [input]
}

export async function runSuite(runner: TestRunner, input: SuiteInput): Promise<SuiteResult> {
  return input.functionName ? runFunctionSuite(runner, input) : runOutputSuite(runner, input)
}

async function runFunctionSuite(runner: TestRunner, input: SuiteInput): Promise<SuiteResult> {
  const marker = input.marker ?? newMarker()
  const program = functionProgram(input.language, input.code, input.functionName, input.cases.map((c) => argumentsOf(c.input)), marker)
  const run = await runner.run(input.language, program.code)
  const output = parseHarnessOutput(run.stdout, marker)
  const ended = run.status === 'ok' ? null : run.message || ENDINGS[run.status] || 'The program failed'
  const results = functionResults(input.cases, output, ended, input.functionName)
  const { passed, total } = tally(results)
  input.onProgress?.(total, total)
  let status = run.status
  let message = summary(passed, total)
  if (status === 'ok' && output.fatal) {
    status = 'error'
    message = `${output.fatal}: ${message}`
  } else if (status === 'ok' && output.missing) {
    message = `${input.functionName} is not defined: ${message}`
  } else if (ended) message = `${ended}: ${message}`
  return { results, passed, total, stdout: output.stdout, stderr: run.stderr, status, message, durationMs: run.durationMs, truncated: run.truncated }
}

async function runOutputSuite(runner: TestRunner, input: SuiteInput): Promise<SuiteResult> {
  const sql = isSqlLanguage(input.language)
  const results: CaseResult[] = []
  const stderr: string[] = []
  let durationMs = 0
  let status: RunStatus = 'ok'
  const total = input.cases.length
  for (const [index, testCase] of input.cases.entries()) {
    const text = typeof testCase.input === 'string' ? testCase.input : ''
    const run = sql ? await runner.run(input.language, `${text}\n${input.code}`) : await runner.run(input.language, input.code, { stdin: text })
    durationMs += run.durationMs
    results.push(outputResult(testCase, run))
    if (run.stderr.trim()) stderr.push(`--- ${testCase.name} ---\n${run.stderr.replace(/\n?$/, '\n')}`)
    input.onProgress?.(index + 1, total)
    if (run.status === 'stopped') {
      // Stop ends the whole test run: the cases not run yet fail as stopped.
      status = 'stopped'
      for (const rest of input.cases.slice(index + 1)) results.push({ ...outputResult(rest, { stdout: '', status: 'stopped', message: 'Stopped', durationMs: 0 }), got: undefined, ms: undefined })
      break
    }
    if (run.status === 'timeout') status = 'timeout'
    else if (run.status === 'error' && status === 'ok') status = 'error'
  }
  for (const result of results) {
    if (result.got === undefined) delete result.got
    if (result.ms === undefined) delete result.ms
  }
  const { passed } = tally(results)
  const ending = status === 'stopped' ? 'Stopped: ' : ''
  return {
    results,
    passed,
    total,
    stdout: '',
    stderr: stderr.join(''),
    status,
    message: ending + summary(passed, total),
    durationMs,
    truncated: { stdout: false, stderr: false },
  }
}
