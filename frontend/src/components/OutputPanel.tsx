// The output panel under the editor: Run / Stop, Python's loading progress, and every
// participant's runs from the shared document, newest first.

import { memo } from 'react'
import type { RemoteRunner } from '../hooks/useRunner'
import { languageLabel } from '../languages'
import { safeColor } from '../presence'
import type { LiveRun, PythonState } from '../run/codeRunner'
import { formatDuration, STATUS_LABELS, type RunEntry } from '../run/runs'
import { PlayIcon, StopIcon } from './Icons'

interface Props {
  language: string
  runnable: boolean
  /** The editor is bound and synced: there is something to run. */
  ready: boolean
  runs: RunEntry[]
  live: LiveRun | null
  python: PythonState
  remoteRunners: RemoteRunner[]
  limitSeconds: number
  /** Why this person may not run code now (ended, observer, turned off), or null. */
  runBlocked?: string | null
  /** Clear empties the shared output for everyone (else it hides the runs in this view only). */
  clearForEveryone?: boolean
  onRun: () => void
  onStop: () => void
  onClear: () => void
}

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

export function OutputPanel({
  language,
  runnable,
  ready,
  runs,
  live,
  python,
  remoteRunners,
  limitSeconds,
  runBlocked = null,
  clearForEveryone = true,
  onRun,
  onStop,
  onClear,
}: Props) {
  const busy = live !== null
  const label = languageLabel(language)
  const blocked = runBlocked !== null
  return (
    <section className="output-panel" data-testid="output-panel" aria-label="Output">
      <div className="output-toolbar">
        <button
          type="button"
          className="button primary run-button"
          data-testid="run-button"
          onClick={onRun}
          disabled={!runnable || !ready || busy || blocked}
          title={
            blocked ? runBlocked : runnable ? `Run (${IS_MAC ? '⌘' : 'Ctrl'}+Enter)` : `Running ${label} is not available`
          }
          aria-describedby={blocked ? 'run-blocked' : undefined}
        >
          {busy ? <span className="spinner tiny" aria-hidden="true" /> : <PlayIcon />}
          <span>{busy ? (live.phase === 'loading' ? 'Loading…' : 'Running…') : 'Run'}</span>
        </button>
        {busy && (
          <button type="button" className="button danger" data-testid="stop-button" onClick={onStop} disabled={live.phase === 'stopping'}>
            <StopIcon />
            <span>Stop</span>
          </button>
        )}
        {runnable && !blocked && (
          <span className="muted small toolbar-hint">
            <kbd>{IS_MAC ? '⌘' : 'Ctrl'}</kbd>+<kbd>Enter</kbd> · limit {limitSeconds} s
          </span>
        )}
        <span className="toolbar-spacer" />
        {remoteRunners.map((other) => (
          <span key={other.clientId} className="remote-runner small" data-testid="remote-runner">
            <span className="swatch" style={{ background: other.color }} />
            {other.name} is running {languageLabel(other.language)}…
          </span>
        ))}
        <span className="panel-title output-title">
          Output <span className="count">{runs.length}</span>
        </span>
        <button
          type="button"
          className="link-button"
          data-testid="clear-runs"
          data-scope={clearForEveryone ? 'everyone' : 'self'}
          onClick={onClear}
          disabled={runs.length === 0}
          title={clearForEveryone ? 'Clear the output for everyone' : 'Hide these runs in your view (others still see them)'}
        >
          Clear
        </button>
      </div>

      {blocked && (
        <div className="output-note" id="run-blocked" data-testid="run-blocked" role="note">
          {runBlocked}
        </div>
      )}
      {!runnable && !blocked && (
        <div className="output-note" data-testid="not-runnable" role="note">
          Running {label} is not available: the pad runs JavaScript, TypeScript and Python, in your browser. {label} is highlighted
          only.
        </div>
      )}
      <PythonLoading python={python} waiting={live?.phase === 'loading'} />

      <div className="output-list" aria-live="polite">
        {live && <LiveRunView live={live} />}
        {runs.map((run) => (
          <RunEntryView key={run.id} run={run} />
        ))}
        {!live && runs.length === 0 && (
          <p className="output-empty muted">
            {runnable ? 'Run the program to see its output here. Everyone in the session sees every run.' : 'No runs yet.'}
          </p>
        )}
      </div>
    </section>
  )
}

const STAGE_LABELS = {
  runtime: 'Downloading the Python runtime',
  stdlib: 'Downloading the standard library',
  starting: 'Starting Python',
} as const

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1)
}

function PythonLoading({ python, waiting }: { python: PythonState; waiting: boolean }) {
  if (python.status === 'failed' && python.error) {
    return (
      <div className="output-note note-danger" data-testid="python-error" role="alert">
        Python could not be loaded: {python.error}
      </div>
    )
  }
  if (python.status !== 'loading') return null
  const fraction = python.totalBytes > 0 ? Math.min(1, python.loadedBytes / python.totalBytes) : 0
  const percent = Math.round((python.stage === 'starting' ? 1 : fraction) * 100)
  const title = python.restarting ? 'Restarting Python' : waiting ? 'Loading Python (first run only)' : 'Loading Python'
  return (
    <div className="python-loading" data-testid="python-loading" data-stage={python.stage ?? ''} role="status">
      <div className="python-loading-text">
        <strong>{title}…</strong>{' '}
        <span className="muted">
          {python.stage ? STAGE_LABELS[python.stage] : 'Preparing'}
          {python.stage !== 'starting' && python.totalBytes > 0 && ` · ${megabytes(python.loadedBytes)} / ${megabytes(python.totalBytes)} MB`}
        </span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={title}>
        <div className={`progress-bar${python.stage === 'starting' ? ' indeterminate' : ''}`} style={{ width: `${percent}%` }} />
      </div>
    </div>
  )
}

function LiveRunView({ live }: { live: LiveRun }) {
  return (
    <article className="run-entry run-live" data-testid="run-live" data-phase={live.phase}>
      <header className="run-header">
        <span className="run-lang">{languageLabel(live.language)}</span>
        <span className="run-status status-running">{live.phase === 'loading' ? 'loading Python' : live.phase === 'stopping' ? 'stopping' : 'running'}</span>
      </header>
      {live.stdout && <pre className="run-output run-stdout">{live.stdout}</pre>}
      {live.stderr && <pre className="run-output run-stderr">{live.stderr}</pre>}
    </article>
  )
}

function timeOfDay(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

const RunEntryView = memo(function RunEntryView({ run }: { run: RunEntry }) {
  const empty = !run.stdout && !run.stderr
  return (
    <article className={`run-entry run-${run.status}`} data-testid="run-entry" data-status={run.status} data-run-id={run.id}>
      <header className="run-header">
        <span className="swatch" style={{ background: safeColor(run.by.color, run.by.name) }} />
        <span className="run-by" data-testid="run-by">
          {run.by.name}
        </span>
        <span className="run-lang">{languageLabel(run.language)}</span>
        <span className={`run-status status-${run.status}`}>{STATUS_LABELS[run.status]}</span>
        <span className="run-meta muted">
          {formatDuration(run.duration_ms)}
          {run.at && (
            <>
              {' · '}
              <time dateTime={run.at}>{timeOfDay(run.at)}</time>
            </>
          )}
        </span>
      </header>
      {run.stdout && (
        <pre className="run-output run-stdout" data-testid="run-stdout">
          {run.stdout}
        </pre>
      )}
      {run.stderr && (
        <pre className="run-output run-stderr" data-testid="run-stderr">
          {run.stderr}
        </pre>
      )}
      {run.message && run.status !== 'ok' && (
        <p className={`run-message message-${run.status}`} data-testid="run-message">
          {run.message}
        </p>
      )}
      {empty && !run.message && <p className="run-empty muted small">(no output)</p>}
    </article>
  )
})
