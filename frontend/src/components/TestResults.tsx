// A test run in the output panel: "3/4 passed", each case with pass/fail, expected vs got
// and its time, and the hidden cases' check ("hidden: 2/3 passed"). The same for everyone,
// since it is read from the shared run entry; an interviewer also sees the hidden cases'
// details of the checks their own browser ran, and can check again.

import { createContext, useContext, type ReactNode } from 'react'
import type { RunEntry } from '../run/runs'
import { passedText, type ShownRun } from '../run/tests/records'
import type { CaseResult } from '../run/tests/results'
import { formatDuration } from '../run/runs'
import type { SessionQuestion } from '../questions/types'
import { caseInputText } from '../questions/format'

export interface TestsView {
  question: SessionQuestion | null
  /** An interviewer's page: may check hidden cases, sees the details of its own checks. */
  interviewer: boolean
  interviewerPresent: boolean
  hiddenDetails: ReadonlyMap<string, CaseResult[]>
  checkHidden: (runId: string) => void
  busy: boolean
}

const NO_VIEW: TestsView = {
  question: null,
  interviewer: false,
  interviewerPresent: false,
  hiddenDetails: new Map(),
  checkHidden: () => {},
  busy: false,
}

export const TestsViewContext = createContext<TestsView>(NO_VIEW)

export function TestsViewProvider({ value, children }: { value: TestsView; children: ReactNode }) {
  return <TestsViewContext.Provider value={value}>{children}</TestsViewContext.Provider>
}

/** How long after a test run its hidden check is still awaited (then: "not checked"). */
const CHECK_WAIT_MS = 120_000

export function TestRunView({ run }: { run: ShownRun }) {
  const view = useContext(TestsViewContext)
  if (run.for_run !== undefined) return <HiddenCheck check={run} orphan />
  const results = run.tests ?? []
  const passed = results.filter((r) => r.passed).length
  const all = results.length > 0 && passed === results.length
  const question = view.question
  const hiddenTotal = question?.hidden_tests ?? 0
  const recent = run.at ? Date.now() - new Date(run.at).getTime() < CHECK_WAIT_MS : false
  return (
    <div className="test-run" data-testid="test-run">
      <div className={`test-summary ${all ? 'all-passed' : 'some-failed'}`} data-testid="test-summary" data-passed={passed} data-total={results.length}>
        <span className="test-summary-icon" aria-hidden="true">
          {all ? '✓' : '✗'}
        </span>
        <strong>{results.length ? passedText(passed, results.length) : 'No visible test cases'}</strong>
        {run.hiddenCheck ? (
          <HiddenCheck check={run.hiddenCheck} />
        ) : hiddenTotal > 0 ? (
          <span className="hidden-summary pending" data-testid="hidden-summary" data-state={view.interviewerPresent && recent ? 'pending' : 'unchecked'}>
            hidden: {view.interviewerPresent && recent ? 'checking…' : `${hiddenTotal} not checked (they run in an interviewer's browser)`}
          </span>
        ) : null}
        {view.interviewer && hiddenTotal > 0 && (
          <button type="button" className="link-button small" data-testid="check-hidden" disabled={view.busy} onClick={() => view.checkHidden(run.id)}>
            {run.hiddenCheck ? 'Check hidden again' : 'Check hidden tests'}
          </button>
        )}
      </div>
      {results.length > 0 && (
        <ul className="test-cases">
          {results.map((result) => (
            <CaseRow key={result.name} result={result} input={caseInputText(question, result.name, result.expected)} />
          ))}
        </ul>
      )}
      {view.interviewer && run.hiddenCheck && <HiddenDetails check={run.hiddenCheck} />}
    </div>
  )
}

function CaseRow({ result, input }: { result: CaseResult; input: string | null }) {
  const detail = result.expected !== undefined || result.got !== undefined || result.error !== undefined
  return (
    <li className={`test-case ${result.passed ? 'passed' : 'failed'}`} data-testid="test-case" data-name={result.name} data-passed={result.passed ? 'true' : 'false'}>
      <details open={!result.passed && detail}>
        <summary>
          <span className="test-case-icon" aria-label={result.passed ? 'passed' : 'failed'}>
            {result.passed ? '✓' : '✗'}
          </span>
          <span className="test-case-name">{result.name}</span>
          {result.ms !== undefined && <span className="muted small">{formatDuration(result.ms)}</span>}
        </summary>
        {detail && (
          <dl className="test-case-detail">
            {input !== null && (
              <>
                <dt>Input</dt>
                <dd>
                  <pre>{input}</pre>
                </dd>
              </>
            )}
            {result.expected !== undefined && (
              <>
                <dt>Expected</dt>
                <dd>
                  <pre data-testid="test-expected">{result.expected}</pre>
                </dd>
              </>
            )}
            {result.got !== undefined && (
              <>
                <dt>Got</dt>
                <dd>
                  <pre data-testid="test-got">{result.got}</pre>
                </dd>
              </>
            )}
            {result.error !== undefined && (
              <>
                <dt>Error</dt>
                <dd>
                  <pre className="test-error" data-testid="test-error">
                    {result.error}
                  </pre>
                </dd>
              </>
            )}
          </dl>
        )}
      </details>
    </li>
  )
}

/** "hidden: 2/3 passed" (inline under its run, or on its own when the run is gone). */
function HiddenCheck({ check, orphan = false }: { check: RunEntry; orphan?: boolean }) {
  const counts = check.hidden ?? { passed: 0, total: 0 }
  const ok = counts.total > 0 && counts.passed === counts.total
  const summary = (
    <span
      className={`hidden-summary ${ok ? 'passed' : 'failed'}`}
      data-testid="hidden-summary"
      data-state={ok ? 'passed' : 'failed'}
      data-passed={counts.passed}
      data-total={counts.total}
      title={`Checked in ${check.by.name}'s browser`}
    >
      hidden: {passedText(counts.passed, counts.total)}
      {check.status !== 'ok' && check.status !== 'error' ? ` (${check.status === 'timeout' ? 'time limit' : check.status})` : ''}
    </span>
  )
  if (!orphan) return summary
  return <div className="test-run">{summary}</div>
}

/** The interviewer's own view of a check it ran: each hidden case's expected vs got. */
function HiddenDetails({ check }: { check: RunEntry }) {
  const view = useContext(TestsViewContext)
  const details = view.hiddenDetails.get(check.id)
  if (!details) return null
  return (
    <details className="hidden-details" data-testid="hidden-details">
      <summary className="small muted">Hidden cases (only you see these details)</summary>
      <ul className="test-cases">
        {details.map((result) => (
          <CaseRow key={result.name} result={result} input={caseInputText(view.question, result.name, result.expected)} />
        ))}
      </ul>
    </details>
  )
}
