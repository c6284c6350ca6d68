// The output panel under the editor: Run / Stop, the program's input, a runtime's loading
// progress, and every participant's runs from the shared document, newest first. A run on
// the server (run/serverRuns.ts) looks the same: Run turns into Running… with Stop, and its
// live output is the server's card, shown to everyone like another person's run.

import { memo, useState, type ReactNode } from 'react'
import type { RemoteRunner } from '../hooks/useRunner'
import { languageLabel, LANGUAGES } from '../languages'
import { safeColor } from '../presence'
import type { LiveRun, RuntimeState } from '../run/codeRunner'
import { LANGUAGE_NOTES, NOT_RUNNABLE_REASONS, runsOn, runtimeById, runtimeFor, SERVER_RUNTIME } from '../run/registry'
import type { ServerAvailability } from '../run/serverRuns'
import { formatDuration, STATUS_LABELS, type RunEntry } from '../run/runs'
import { PlayIcon, StopIcon } from './Icons'
import { TestRunView } from './TestResults'
import { RemoteLiveRun } from './RemoteLiveRun'
import { findErrorEcho } from '../run/errorEcho'

/** This page's run on the server while it is pending. */
export interface ServerRunView {
  id: string
  /** Stop was pressed. */
  stopping: boolean
  /** The server's phase, once it publishes the run (`queued`, `compiling`, `running`, `stopping`). */
  phase: string | null
}

interface Props {
  language: string
  /** Run is offered: the browser runs the language, or the server does and a runner is not known to be down. */
  runnable: boolean
  /** A server language: whether a runner for it is up (null: not known). */
  server?: ServerAvailability | null
  /** This page's pending run on the server. */
  serverRun?: ServerRunView | null
  /** Why this page's last server run ended without a result here (refused, connection lost). */
  runNotice?: string | null
  /** The editor is bound and synced: there is something to run. */
  ready: boolean
  runs: RunEntry[]
  live: LiveRun | null
  /** Loading state of each runtime (registry.ts ids). */
  runtimes: Record<string, RuntimeState>
  remoteRunners: RemoteRunner[]
  limitSeconds: number
  /** The program's input for the next run (this browser's). */
  stdin?: string
  onStdinChange?: (text: string) => void
  /** Why this person may not run code now (ended, observer, turned off), or null. */
  runBlocked?: string | null
  /** Clear empties the shared output for everyone (else it hides the runs in this view only). */
  clearForEveryone?: boolean
  onRun: () => void
  onStop: () => void
  /** Stop someone else's run on the server (interviewers); absent: not offered. */
  onStopOther?: (runId: string) => void
  onClear: () => void
  /** More toolbar controls after Run / Stop (the question's Run tests). */
  toolbarExtra?: ReactNode
}

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

export function OutputPanel({
  language,
  runnable,
  server = null,
  serverRun = null,
  runNotice = null,
  ready,
  runs,
  live,
  runtimes,
  remoteRunners,
  limitSeconds,
  stdin = '',
  onStdinChange,
  runBlocked = null,
  clearForEveryone = true,
  onRun,
  onStop,
  onStopOther,
  onClear,
  toolbarExtra,
}: Props) {
  const busy = live !== null || serverRun !== null
  const label = languageLabel(language)
  const blocked = runBlocked !== null
  const onServer = runsOn(language) === 'server'
  const runtime = onServer ? SERVER_RUNTIME : runtimeFor(language)
  // The runtime whose loading to show: the live run's, else the current language's.
  const shownRuntime = live ? runtimeById(live.runtime) : runtimeFor(language)
  const acceptsInput = runnable && (runtime?.stdin ?? false) && onStdinChange !== undefined
  const [inputOpen, setInputOpen] = useState(false)
  const showInput = acceptsInput && (inputOpen || stdin !== '')
  const note = runnable ? (LANGUAGE_NOTES[language] ?? (onServer ? serverNote(label, server?.version ?? '') : undefined)) : undefined
  const whyNot = onServer
    ? (server?.reason || 'no server runner for it is running').replace(/\.$/, '')
    : (NOT_RUNNABLE_REASONS[language] ?? 'it has no runtime in the browser here')
  // (A local run being stopped keeps "Running…": its Stop is disabled meanwhile.)
  const busyLabel =
    serverRun && (serverRun.stopping || serverRun.phase === 'stopping')
      ? 'Stopping…'
      : (BUSY_LABELS[(serverRun ? serverRun.phase : live?.phase) ?? ''] ?? 'Running…')
  const stopping = serverRun ? serverRun.stopping : live?.phase === 'stopping'
  // This page's own server run is the Run button's; the others' are listed by name.
  const othersRunning = remoteRunners.filter((other) => !serverRun || other.live?.id !== serverRun.id)
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
            blocked ? runBlocked : runnable ? `Run (${IS_MAC ? '⌘' : 'Ctrl'}+Enter)` : `Running ${label} is not available: ${whyNot}`
          }
          aria-describedby={blocked ? 'run-blocked' : undefined}
        >
          {busy ? <span className="spinner tiny" aria-hidden="true" /> : <PlayIcon />}
          <span>{busy ? busyLabel : 'Run'}</span>
        </button>
        {busy && (
          <button type="button" className="button danger" data-testid="stop-button" onClick={onStop} disabled={stopping}>
            <StopIcon />
            <span>Stop</span>
          </button>
        )}
        {toolbarExtra}
        {acceptsInput && (
          <button
            type="button"
            className={`button small stdin-toggle${stdin ? ' has-input' : ''}`}
            data-testid="stdin-toggle"
            aria-expanded={showInput}
            aria-controls="stdin-input"
            onClick={() => setInputOpen(!showInput)}
            disabled={stdin !== '' && showInput}
            title={stdin ? 'The program reads this input' : 'Give the program input (standard input)'}
          >
            Input{stdin ? ' •' : ''}
          </button>
        )}
        {runnable && !blocked && (
          <span className="muted small toolbar-hint">
            <kbd>{IS_MAC ? '⌘' : 'Ctrl'}</kbd>+<kbd>Enter</kbd> · {onServer ? 'runs on the server' : `limit ${limitSeconds} s`}
          </span>
        )}
        <span className="toolbar-spacer" />
        {othersRunning.map((other) => (
          <span key={other.clientId} className="remote-runner small" data-testid="remote-runner">
            <span className="swatch" style={{ background: other.color }} />
            {other.live?.phase === 'queued'
              ? `${other.name}'s ${languageLabel(other.language)} run is queued…`
              : `${other.name} is running ${languageLabel(other.language)}…`}
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
          {onServer
            ? `Running ${label} is not available: ${whyNot}. ${label} runs on the server when a runner with its toolchain is up; until then it is highlighted only.`
            : `Running ${label} is not available: ${whyNot}. The pad runs ${BROWSER_NAMES} in your browser and ${SERVER_NAMES} on the server; ${label} is highlighted only.`}
        </div>
      )}
      {runNotice && (
        <div className="output-note note-danger" data-testid="run-notice" role="alert">
          {runNotice}
        </div>
      )}
      {note && !blocked && (
        <div className="output-note runtime-note muted small" data-testid="runtime-note" role="note">
          {note}
        </div>
      )}
      {showInput && (
        <div className="stdin-box">
          <label htmlFor="stdin-input" className="small muted">
            Input (standard input of the next run:{' '}
            {SERVER_STDIN_HINTS[language] ? (
              <code>{SERVER_STDIN_HINTS[language]}</code>
            ) : (
              <>
                <code>input()</code>, <code>gets</code>, <code>io.read</code>, <code>fgets</code>, <code>std::cin</code>, <code>readline()</code>…
              </>
            )}
            )
          </label>
          <textarea
            id="stdin-input"
            className="input mono small stdin-input"
            data-testid="stdin-input"
            rows={3}
            spellCheck={false}
            value={stdin}
            maxLength={65536}
            onChange={(event) => onStdinChange?.(event.target.value)}
            placeholder="Lines the program reads…"
          />
        </div>
      )}
      {shownRuntime && shownRuntime.lifecycle === 'persistent' && (
        <RuntimeLoading
          runtimeId={shownRuntime.id}
          name={shownRuntime.name}
          state={runtimes[shownRuntime.id]}
          waiting={live?.phase === 'loading'}
        />
      )}

      {/* Focusable, so that keyboard users can scroll it (issue 14). */}
      <div className="output-list" aria-live="polite" tabIndex={0} role="region" aria-label="Program output" data-testid="output-list">
        {live && <LiveRunView live={live} />}
        {remoteRunners
          .filter((other) => !other.live?.id || !runs.some((run) => run.id === other.live?.id))
          .map((other) => (
            <RemoteLiveRun key={other.clientId} runner={other} onStop={serverRun?.id === other.live?.id ? undefined : onStopOther} />
          ))}
        {runs.map((run) => (
          <RunEntryView key={run.id} run={run} />
        ))}
        {!busy && runs.length === 0 && (
          <p className="output-empty muted">
            {runnable ? 'Run the program to see its output here. Everyone in the session sees every run.' : 'No runs yet.'}
          </p>
        )}
      </div>
    </section>
  )
}

/** The Run button's words while a run is in one of these phases (any other: Running…). */
const BUSY_LABELS: Record<string, string> = { loading: 'Loading…', queued: 'Queued…', compiling: 'Compiling…' }

const namesOf = (where: 'browser' | 'server') =>
  LANGUAGES.filter((language) => language.runsOn === where)
    .map((language) => language.label)
    .join(', ')
const BROWSER_NAMES = namesOf('browser')
const SERVER_NAMES = namesOf('server')

/** How a program reads the Input box, for the server's languages. */
const SERVER_STDIN_HINTS: Record<string, string> = {
  java: 'new Scanner(System.in)',
  go: 'bufio.NewScanner(os.Stdin)',
  rust: 'std::io::stdin()',
  csharp: 'Console.ReadLine()',
  kotlin: 'readLine()',
}

function serverNote(label: string, version: string): string {
  return `${label}${version ? ` (${version})` : ''} runs on the server: ${SERVER_RUNTIME.note ?? ''}`
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1)
}

function RuntimeLoading({ runtimeId, name, state, waiting }: { runtimeId: string; name: string; state: RuntimeState | undefined; waiting: boolean }) {
  if (!state) return null
  if (state.status === 'failed' && state.error) {
    return (
      <div className="output-note note-danger" data-testid="runtime-error" data-runtime={runtimeId} role="alert">
        {name.charAt(0).toUpperCase() + name.slice(1)} could not be loaded: {state.error}. Run tries again.
      </div>
    )
  }
  if (state.status !== 'loading') return null
  const fraction = state.totalBytes > 0 ? Math.min(1, state.loadedBytes / state.totalBytes) : 0
  const starting = state.stage === 'starting'
  const percent = Math.round((starting ? 1 : fraction) * 100)
  const title = state.restarting ? `Restarting ${name}` : waiting ? `Loading ${name} (first run only)` : `Loading ${name}`
  return (
    <div className="python-loading runtime-loading" data-testid="runtime-loading" data-runtime={runtimeId} data-stage={state.stage ?? ''} role="status">
      <div className="python-loading-text">
        <strong>{title}…</strong>{' '}
        <span className="muted">
          {starting ? 'Starting' : 'Downloading'}
          {!starting && state.totalBytes > 0 && ` · ${megabytes(state.loadedBytes)} / ${megabytes(state.totalBytes)} MB`}
        </span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={title}>
        <div className={`progress-bar${starting ? ' indeterminate' : ''}`} style={{ width: `${percent}%` }} />
      </div>
    </div>
  )
}

const PHASE_LABELS = { running: 'running', compiling: 'compiling', stopping: 'stopping' } as const

function LiveRunView({ live }: { live: LiveRun }) {
  return (
    <article className="run-entry run-live" data-testid="run-live" data-phase={live.phase}>
      <header className="run-header">
        <span className="run-lang">{languageLabel(live.language)}</span>
        <span className="run-status status-running">
          {live.phase === 'loading' ? `loading ${runtimeById(live.runtime)?.name ?? ''}` : PHASE_LABELS[live.phase]}
        </span>
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
  // The error said once: in place of the stderr line it repeats (run/errorEcho.ts).
  const echo = run.status !== 'ok' ? findErrorEcho(run.stderr, run.message) : null
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
      {run.kind === 'tests' && <TestRunView run={run} />}
      {run.stdin && (
        <details className="run-stdin" data-testid="run-stdin">
          <summary className="small muted">Input ({run.stdin.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1).length} lines)</summary>
          <pre className="run-output">{run.stdin}</pre>
        </details>
      )}
      {run.stdout && (
        <pre className="run-output run-stdout" data-testid="run-stdout">
          {run.stdout}
        </pre>
      )}
      {run.stderr && (
        <pre className="run-output run-stderr" data-testid="run-stderr">
          {echo ? (
            <>
              {echo.before}
              <strong className={`run-message run-message-inline message-${run.status}`} data-testid="run-message">
                {run.message}
              </strong>
              {echo.after}
            </>
          ) : (
            run.stderr
          )}
        </pre>
      )}
      {run.message && run.status !== 'ok' && !echo && (
        <p className={`run-message message-${run.status}`} data-testid="run-message">
          {run.message}
        </p>
      )}
      {empty && !run.message && <p className="run-empty muted small">(no output)</p>}
    </article>
  )
})
