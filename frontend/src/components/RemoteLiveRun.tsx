// Another person's run while it is going, or a run on the server (this page's own included):
// the end of its output, live (run/liveTail.ts).

import type { RemoteRunner } from '../hooks/useRunner'
import { languageLabel } from '../languages'
import { livePhaseLabel } from '../run/liveTail'
import { StopIcon } from './Icons'

/** `onStop`: offered for a run on the server this person may cancel (an interviewer, someone else's run). */
export function RemoteLiveRun({ runner, onStop }: { runner: RemoteRunner; onStop?: (runId: string) => void }) {
  const live = runner.live
  const stoppable = onStop !== undefined && live?.server === true && live.id !== '' && live.phase !== 'stopping'
  return (
    <article
      className="run-entry run-live run-remote-live"
      data-testid="remote-run-live"
      data-client-id={runner.clientId}
      data-run-id={live?.id ?? ''}
      data-phase={live?.phase ?? ''}
      data-server={live?.server ? 'true' : undefined}
      aria-label={`${runner.name}'s run, in progress`}
    >
      <header className="run-header">
        <span className="swatch" style={{ background: runner.color }} aria-hidden="true" />
        <span className="run-by">{runner.name}</span>
        <span className="run-lang">{languageLabel(runner.language)}</span>
        <span className="run-status status-running" data-testid="remote-run-phase">
          {livePhaseLabel(live)}…
        </span>
        {live?.server && <span className="run-meta muted">on the server</span>}
        {stoppable && (
          <button
            type="button"
            className="button small danger"
            data-testid="remote-run-stop"
            title={`Stop ${runner.name}'s run`}
            onClick={() => onStop(live.id)}
          >
            <StopIcon />
            <span>Stop</span>
          </button>
        )}
      </header>
      {live?.cut && <p className="run-empty muted small">… (earlier output is in the full result when the run ends)</p>}
      {live?.stdout && (
        <pre className="run-output run-stdout" data-testid="remote-run-stdout">
          {live.stdout}
        </pre>
      )}
      {live?.stderr && (
        <pre className="run-output run-stderr" data-testid="remote-run-stderr">
          {live.stderr}
        </pre>
      )}
    </article>
  )
}
