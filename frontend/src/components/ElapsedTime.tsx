// The top bar's interview clock: time since the first candidate joined.

import { formatElapsed, spokenElapsed } from '../elapsed'
import type { Elapsed } from '../hooks/useElapsed'

export function ElapsedTime({ elapsed }: { elapsed: Elapsed }) {
  const { startedAt, source, now } = elapsed
  if (startedAt === null) {
    return (
      <span className="elapsed muted" data-testid="elapsed" data-started="" title="The clock starts when a candidate joins">
        not started
      </span>
    )
  }
  const ms = now - startedAt
  const since = new Date(startedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  return (
    <span
      className="elapsed"
      data-testid="elapsed"
      data-started={new Date(startedAt).toISOString()}
      data-source={source ?? ''}
      role="timer"
      aria-label={`Interview time: ${spokenElapsed(ms)}, since the candidate joined at ${since}`}
      title={`Interview time, since the candidate joined at ${since}`}
    >
      <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden="true">
        <circle cx="12" cy="13" r="8" />
        <path d="M12 9v4l2.5 2.5M9 2h6" />
      </svg>
      {formatElapsed(ms)}
    </span>
  )
}
