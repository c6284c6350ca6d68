// "Run tests" in the output panel's toolbar (sessions with a question): runs the visible
// cases in this browser with the same time limit and Stop as Run; while it runs, which case.

import type { TestProgress } from '../hooks/useTestRuns'
import { CheckIcon } from './Icons'

interface Props {
  /** Why it is off (no question, the language, the session's state), or null. */
  blocked: string | null
  /** The pad is synced and the runner exists. */
  ready: boolean
  /** Something runs in this browser now (a run, tests, a hidden check). */
  busy: boolean
  progress: TestProgress | null
  visibleCount: number
  hiddenCount: number
  onRun: () => void
}

export function RunTestsButton({ blocked, ready, busy, progress, visibleCount, hiddenCount, onRun }: Props) {
  const label = progress
    ? progress.kind === 'hidden'
      ? 'Checking hidden…'
      : progress.total > 1 && progress.done < progress.total
        ? `Testing ${progress.done + 1}/${progress.total}…`
        : 'Testing…'
    : 'Run tests'
  const what = `${visibleCount} visible test${visibleCount === 1 ? '' : 's'}${hiddenCount ? `, ${hiddenCount} hidden (checked by the interviewer's browser)` : ''}`
  return (
    <button
      type="button"
      className="button run-tests-button"
      data-testid="run-tests"
      data-phase={progress ? progress.kind : 'idle'}
      onClick={onRun}
      disabled={blocked !== null || !ready || busy}
      title={blocked ?? `Run the question's tests: ${what}`}
    >
      <CheckIcon />
      <span>{label}</span>
    </button>
  )
}
