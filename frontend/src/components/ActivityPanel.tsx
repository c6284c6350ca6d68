// The interview's timeline, live, for its interviewers: who joined and left, runs, language
// changes, and the candidate's activity signals (pastes, focus lost and back, idle spells),
// worded as facts. Past events come from GET .../events, new ones from the pad's socket (the
// server sends them to interviewers only). Plus the way to the replay and the record.

import { useEffect, useState } from 'react'
import { getEvents, replayPath, type StoredEvent } from '../api'
import { ACTIVITY_KINDS, describeEvent } from '../activity/wording'
import type { PadConnection } from '../collab/padConnection'
import type { ServerEvent } from '../collab/serverNotices'

const MAX_SHOWN = 200

interface ListedEvent {
  key: string
  kind: string
  at: number
  text: string
  /** A paste's text (as much as the server keeps). */
  pasted?: string
}

function listed(event: ServerEvent | StoredEvent): ListedEvent {
  const at = Date.parse(event.at)
  const time = Number.isNaN(at) ? Date.now() : at
  const text = event.kind === 'paste' && typeof event.data?.text === 'string' ? event.data.text : undefined
  return { key: `${event.kind}|${time}|${event.connection}`, kind: event.kind, at: time, text: describeEvent(event), pasted: text }
}

function merge(current: ListedEvent[], incoming: ListedEvent[]): ListedEvent[] {
  const keys = new Set(current.map((event) => event.key))
  const added = incoming.filter((event) => !keys.has(event.key))
  if (!added.length) return current
  return [...current, ...added].sort((a, b) => a.at - b.at).slice(-MAX_SHOWN)
}

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

export function ActivityPanel({ pad, sessionId }: { pad: PadConnection | null; sessionId: string }) {
  const [events, setEvents] = useState<ListedEvent[]>([])

  useEffect(() => {
    if (!pad) return
    // Live first, then the stored past: an event in both is shown once.
    const unsubscribe = pad.onServerEvent((event) => setEvents((current) => merge(current, [listed(event)])))
    let cancelled = false
    getEvents(sessionId).then(
      (stored) => !cancelled && setEvents((current) => merge(current, stored.map(listed))),
      () => undefined, // the live list still works; the replay has the whole timeline
    )
    return () => {
      cancelled = true
      unsubscribe()
    }
  }, [pad, sessionId])

  const newestFirst = [...events].reverse()
  return (
    <section className="panel activity-panel" data-testid="activity-panel" aria-labelledby="activity-title">
      <div className="panel-head">
        <h2 className="panel-title" id="activity-title">
          Activity
        </h2>
        <ReplayLink sessionId={sessionId} />
      </div>
      <p className="muted small">Only interviewers see this. Facts to weigh, not verdicts.</p>
      {newestFirst.length === 0 ? (
        <p className="muted small" data-testid="activity-empty">
          Nothing yet.
        </p>
      ) : (
        <ol className="activity-list" aria-live="polite" aria-relevant="additions">
          {newestFirst.map((event) => (
            <li key={event.key} data-testid="activity-item" data-kind={event.kind} className={ACTIVITY_KINDS.has(event.kind) ? 'signal' : undefined}>
              <time dateTime={new Date(event.at).toISOString()} className="muted">
                {clock(event.at)}
              </time>{' '}
              <span>{event.text}</span>
              {event.pasted && (
                <details className="pasted">
                  <summary>Pasted text</summary>
                  <pre>{event.pasted}</pre>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

/** The way to the replay and the record (a new tab: the live pad stays open). */
export function ReplayLink({ sessionId, className = 'button small' }: { sessionId: string; className?: string }) {
  return (
    <a className={className} href={replayPath(sessionId)} target="_blank" rel="noopener" data-testid="open-replay">
      Replay
    </a>
  )
}

/** Observers may watch the replay too (they get no live activity). */
export function ObserverReplayPanel({ sessionId }: { sessionId: string }) {
  return (
    <section className="panel" aria-labelledby="observer-replay-title">
      <div className="panel-head">
        <h2 className="panel-title" id="observer-replay-title">
          Replay
        </h2>
        <ReplayLink sessionId={sessionId} />
      </div>
      <p className="muted small">Every keystroke of the interview so far, played back.</p>
    </section>
  )
}
