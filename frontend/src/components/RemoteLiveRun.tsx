// Another person's run while it is going: the end of its output, live (run/liveTail.ts).

import type { RemoteRunner } from '../hooks/useRunner'
import { languageLabel } from '../languages'

export function RemoteLiveRun({ runner }: { runner: RemoteRunner }) {
  const live = runner.live
  const phase = live?.phase === 'loading' ? 'loading' : live?.phase === 'compiling' ? 'compiling' : 'running'
  return (
    <article
      className="run-entry run-live run-remote-live"
      data-testid="remote-run-live"
      data-client-id={runner.clientId}
      data-run-id={live?.id ?? ''}
      aria-label={`${runner.name}'s run, in progress`}
    >
      <header className="run-header">
        <span className="swatch" style={{ background: runner.color }} aria-hidden="true" />
        <span className="run-by">{runner.name}</span>
        <span className="run-lang">{languageLabel(runner.language)}</span>
        <span className="run-status status-running">{phase}…</span>
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
