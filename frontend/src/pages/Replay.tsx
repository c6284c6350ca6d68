// /session/<id>/replay: the interview played back, for its interviewers and observers (the
// server answers anyone else with 403), and for an ended interview its record (interviewers).
// Loaded on demand (App.tsx): the session page never downloads any of this.

import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { sessionPath, type Session } from '../api'
import { isRole } from '../authority'
import { TopBar } from '../components/TopBar'
import { RecordPanel, RunOutput } from '../components/RecordPanel'
import { languageLabel } from '../languages'
import { linkClick } from '../router'
import type { Theme } from '../theme'
import { forgetReplay, loadReplay, type ReplayLoad } from '../replay/load'
import { authorshipCss, ReplayPlayer, SPEEDS, type Attribution, type ViewEvents } from '../replay/player'
import { TextReplayView } from '../replay/textView'
import type { ReplayEvent, ReplaySteps } from '../replay/steps'
import {
  formatClock,
  formatElapsed,
  parseDeepLinkTime,
  replayPeople,
  searchWithTime,
  timelineMarks,
  timelineSpan,
  type TimelineMark,
} from '../replay/timeline'
import { describeEvent } from '../activity/wording'
import { NotFound } from './NotFound'

performance.mark('replay:chunk') // this chunk is loaded and evaluated (Monaco comes after: replay/monacoView.ts)

/** Test and benchmark hook (tests/browser/test_replay.py, bench/replay_load.py). */
export interface ReplayTestHook {
  ready: boolean
  steps: number
  seek(count: number): void
  code(): string
  step(): number
  /** Seek to a moment, seconds since the start. */
  seekSeconds(seconds: number): void
  /** The timeline's length, seconds. */
  duration(): number
  /** The language shown (meta.language at the current step). */
  language(): string
  /** What shows the code: plain text until Monaco has loaded, then Monaco. */
  view(): 'text' | 'monaco'
}

declare global {
  interface Window {
    __replay?: ReplayTestHook
  }
}

interface Props {
  sessionId: string
  theme: Theme
  onToggleTheme: () => void
}

export default function ReplayPage({ sessionId, theme, onToggleTheme }: Props) {
  const [load, setLoad] = useState<ReplayLoad | null>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let cancelled = false
    loadReplay(sessionId).then((result) => !cancelled && setLoad(result))
    return () => {
      cancelled = true
    }
  }, [sessionId, attempt])

  useEffect(() => () => forgetReplay(sessionId), [sessionId])

  const title = load?.state === 'ready' ? load.replay.data.title || load.session.title : ''
  useEffect(() => {
    document.title = `Replay${title ? `: ${title}` : ''} · interview pad`
    return () => {
      document.title = 'interview pad'
    }
  }, [title])

  if (load?.state === 'ready') {
    return <ReplayWorkspace replay={load.replay} session={load.session} sessionId={sessionId} theme={theme} onToggleTheme={onToggleTheme} />
  }
  return (
    <div className="page">
      <TopBar theme={theme} onToggleTheme={onToggleTheme} />
      {load === null ? (
        <main className="centered">
          <div className="spinner" aria-label="Loading the replay" />
        </main>
      ) : load.state === 'missing' ? (
        <NotFound title="Session not found or deleted" message="This interview does not exist any more, or the link is mistyped." />
      ) : load.state === 'forbidden' ? (
        <main className="centered">
          <div className="card notice" role="alert" data-testid="replay-forbidden">
            <h1>Only the interviewers can see this</h1>
            <p className="muted">The replay and the record of an interview are for its interviewers (and observers they invite).</p>
            <a className="button primary" href={sessionPath(sessionId)} onClick={linkClick(sessionPath(sessionId))}>
              Back to the session
            </a>
          </div>
        </main>
      ) : (
        <main className="centered">
          <div className="card notice" role="alert">
            <h1>{load.state === 'bad-key' ? 'This secret link does not work' : 'Could not load the replay'}</h1>
            <p className="muted">{load.message}</p>
            <button
              type="button"
              className="button primary"
              onClick={() => {
                forgetReplay(sessionId)
                setLoad(null)
                setAttempt((n) => n + 1)
              }}
            >
              Try again
            </button>
          </div>
        </main>
      )}
    </div>
  )
}

interface WorkspaceProps extends Props {
  replay: ReplaySteps
  session: Session
}

function ReplayWorkspace({ replay, session, sessionId, theme, onToggleTheme }: WorkspaceProps) {
  const { data } = replay
  const role = isRole(session.role) ? session.role : 'observer'
  const ended = Boolean(data.ended_at ?? session.ended_at)
  const title = data.title || session.title || 'Untitled session'
  return (
    <div className="page replay-page" data-testid="replay-page">
      <TopBar
        theme={theme}
        onToggleTheme={onToggleTheme}
        title={
          <>
            <span className="session-name" title={title}>
              {title}
            </span>
            <span className={`role role-${role}`} data-testid="role">
              {role}
            </span>
          </>
        }
      >
        <a className="button small" href={sessionPath(sessionId)} onClick={linkClick(sessionPath(sessionId))} data-testid="back-to-session">
          {ended ? 'Open the session' : 'Back to the live session'}
        </a>
      </TopBar>
      <main className="replay-main">
        <ReplayPlayerView index={replay} session={session} theme={theme} live={!ended} />
        {role === 'interviewer' && <RecordPanel sessionId={sessionId} ended={ended} />}
      </main>
    </div>
  )
}

function ReplayPlayerView({ index, session, theme, live }: { index: ReplaySteps; session: Session; theme: Theme; live: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null)
  const { data } = index
  const span = useMemo(() => timelineSpan(data, index.times), [data, index])
  const { people, byAuthor } = useMemo(() => replayPeople(data.authors), [data])
  const marks = useMemo(() => timelineMarks(data.events, span), [data, span])
  const [player, setPlayer] = useState<ReplayPlayer | null>(null)
  const [colouring, setColouring] = useState(true)
  const [hover, setHover] = useState<{ x: number; y: number; attribution: Attribution } | null>(null)
  const [caret, setCaret] = useState<Attribution | null>(null)
  const [selected, setSelected] = useState<TimelineMark | null>(null)
  const themeRef = useRef(theme)
  const moved = useRef(false)

  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    // Views report events only after the player exists (on the pointer or the caret moving).
    const events: ViewEvents = {
      hover: (offset, x, y) => {
        const attribution = offset === null ? null : player.attributionAt(offset)
        setHover(attribution ? { x, y, attribution } : null)
      },
      caret: (offset) => setCaret(offset === null ? null : (player.attributionAt(offset) ?? (offset > 0 ? player.attributionAt(offset - 1) : null))),
    }
    // Plain text at once; Monaco (highlighting, a caret) takes over when it has loaded.
    const player = new ReplayPlayer(index, span, new TextReplayView(host, events), {
      fallbackLanguage: session.language || 'plaintext',
      people,
      byAuthor,
    })
    const seconds = parseDeepLinkTime(location.search)
    if (seconds !== null) player.seekTime(span.start + seconds * 1000)
    else player.seekCount(index.length, span.end)
    let disposed = false
    void import('../replay/monacoView').then(({ MonacoReplayView }) => {
      if (disposed) return
      setHover(null)
      player.replaceView(() => new MonacoReplayView(host, themeRef.current, events))
      performance.mark('replay:editor')
    }, () => undefined) // not loaded (offline, a new deployment): the plain text stays, and works
    setPlayer(player)
    performance.mark('replay:ready')
    window.__replay = {
      ready: true,
      steps: index.length,
      seek: (count: number) => player.seekCount(count),
      code: () => player.code(),
      step: () => player.getState().count,
      seekSeconds: (s: number) => player.seekTime(span.start + s * 1000),
      duration: () => (span.end - span.start) / 1000,
      language: () => player.getState().language,
      view: () => player.viewKind,
    }
    return () => {
      disposed = true
      if (window.__replay?.steps === index.length) delete window.__replay
      setPlayer(null)
      player.dispose()
    }
  }, [index, span, people, byAuthor, session.language])

  useEffect(() => {
    themeRef.current = theme
    player?.setTheme(theme)
  }, [player, theme])
  useEffect(() => player?.setColouring(colouring), [player, colouring])

  const idle = useMemo(() => ({ count: index.length, time: span.end, playing: false, speed: 1, language: session.language || 'plaintext' }), [index, span, session.language])
  const state = useSyncExternalStore(player?.subscribe ?? noSubscribe, player?.getState ?? (() => idle))

  // The address follows the position (?t=, whole seconds), once someone moved it.
  const second = Math.floor((state.time - span.start) / 1000)
  useEffect(() => {
    if (!player || !moved.current) return
    const search = searchWithTime(location.search, second)
    if (search !== location.search) history.replaceState(history.state, '', location.pathname + search + location.hash)
  }, [player, second, span.start])

  const act = (action: (p: ReplayPlayer) => void) => {
    if (!player) return
    moved.current = true
    action(player)
  }
  const length = Math.max(1, span.end - span.start)
  const selectedRun = selected?.kind === 'run' && typeof selected.event.data.id === 'string' ? index.run(selected.event.data.id) : null

  const selectMark = (mark: TimelineMark) => {
    setSelected(mark)
    act((p) => {
      p.pause()
      // Where the event shows in the code: a run, once its result was in the document (the code
      // is the code that ran); a language change, once made; a paste, once its text arrived (it
      // is reported just before). Anything else at its moment.
      const { data } = mark.event
      let step = -1
      if (mark.kind === 'run' && typeof data.id === 'string') step = index.run(data.id)?.step ?? -1
      else if (mark.kind === 'language' && typeof data.language === 'string') step = index.languageStep(data.language, mark.at)
      else if (mark.kind === 'paste') step = index.firstStepBy(mark.event.connection, mark.at)
      if (step >= 0) p.seekCount(step + 1)
      else p.seekTime(mark.at)
    })
  }

  return (
    <section className="replay" aria-label="Replay" data-testid="replay" data-ready={player ? 'true' : 'false'}>
      <style>{authorshipCss(people)}</style>
      {data.pruned_at && (
        <div className="banner banner-ended" role="status">
          The keystroke history of this interview was deleted on {new Date(data.pruned_at).toLocaleDateString()}: only the
          record below remains.
        </div>
      )}
      <div className="replay-controls" role="group" aria-label="Playback">
        <button
          type="button"
          className="button primary small"
          data-testid="replay-play"
          aria-label={state.playing ? 'Pause' : 'Play'}
          onClick={() => act((p) => (p.getState().playing ? p.pause() : p.play()))}
          disabled={!player || index.length === 0}
        >
          {state.playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" className="button small" data-testid="replay-prev" aria-label="Previous edit" title="Previous edit" onClick={() => act((p) => p.stepBy(-1))} disabled={!player || state.count === 0}>
          ‹ Edit
        </button>
        <button type="button" className="button small" data-testid="replay-next" aria-label="Next edit" title="Next edit" onClick={() => act((p) => p.stepBy(1))} disabled={!player || state.count >= index.length}>
          Edit ›
        </button>
        <label className="replay-speed">
          <span>Speed</span>
          <select className="input small" data-testid="replay-speed" value={state.speed} onChange={(event) => act((p) => p.setSpeed(Number(event.target.value)))}>
            {SPEEDS.map((speed) => (
              <option key={speed} value={speed}>
                {speed}x
              </option>
            ))}
          </select>
        </label>
        <span className="replay-clock" data-testid="replay-elapsed" aria-live="off">
          <strong>{formatElapsed(state.time - span.start)}</strong> / {formatElapsed(span.end - span.start)}
          <span className="muted small"> · {formatClock(state.time)}</span>
        </span>
        <span className="muted small replay-step" data-testid="replay-step">
          edit {state.count.toLocaleString('en')} of {index.length.toLocaleString('en')}
        </span>
        <span className="muted small">{languageLabel(state.language)}</span>
        {live && (
          <span className="muted small replay-live" data-testid="replay-live">
            Still live: shown up to when this page was opened.{' '}
            <button type="button" className="link-button" onClick={() => location.reload()}>
              Load the latest
            </button>
          </span>
        )}
      </div>

      <div className="replay-timeline">
        <input
          type="range"
          className="replay-scrubber"
          data-testid="replay-scrubber"
          aria-label="Interview time"
          aria-valuetext={`${formatElapsed(state.time - span.start)} of ${formatElapsed(span.end - span.start)}`}
          min={0}
          max={length}
          step={1000}
          value={Math.round(state.time - span.start)}
          onChange={(event) => act((p) => p.seekTime(span.start + Number(event.target.value)))}
          disabled={!player}
        />
        <div className="replay-marks" aria-label="Events on the timeline">
          {marks.map((mark) => (
            <button
              key={mark.key}
              type="button"
              className={`replay-mark mark-${mark.kind}${selected?.key === mark.key ? ' selected' : ''}`}
              style={{ left: `${mark.fraction * 100}%` }}
              data-testid="replay-mark"
              data-kind={mark.kind}
              title={`${formatElapsed(mark.at - span.start)} · ${mark.label}`}
              aria-label={`${formatElapsed(mark.at - span.start)}: ${mark.label}`}
              onClick={() => selectMark(mark)}
            />
          ))}
        </div>
      </div>

      <div className="replay-body">
        <div className="editor-frame replay-editor-frame">
          <div ref={hostRef} className="editor-host" data-testid="replay-editor" />
          <footer className="statusbar">
            <span className="replay-legend" data-testid="replay-legend">
              {people.map((person, i) => (
                <span key={person.key} className="legend-item" data-testid="legend-item" data-person={person.name}>
                  <span className={`legend-swatch replay-legend-swatch-${i}`} aria-hidden="true" />
                  {person.name}
                  {person.role && <span className="muted"> ({person.role})</span>}
                </span>
              ))}
            </span>
            <label className="switch-row small">
              <input type="checkbox" checked={colouring} onChange={(event) => setColouring(event.target.checked)} data-testid="replay-colouring" />
              <span>Colour by author</span>
            </label>
            {caret && (
              <span className="muted" data-testid="replay-caret-author">
                At the cursor: {describeAttribution(caret, span.start)}
              </span>
            )}
          </footer>
          {hover && (
            <div className="replay-hover" role="tooltip" data-testid="replay-hover" style={{ left: hover.x + 12, top: hover.y + 16 }}>
              {describeAttribution(hover.attribution, span.start)}
            </div>
          )}
        </div>
        <aside className="replay-side">
          <MarkDetails mark={selected} run={selectedRun?.entry ?? null} start={span.start} onClose={() => setSelected(null)} />
          <EventList events={data.events} start={span.start} now={state.time} onSelect={(event) => {
            const mark = marks.find((m) => m.event === event)
            if (mark) selectMark(mark)
            else {
              setSelected(null)
              act((p) => {
                p.pause()
                p.seekTime(Date.parse(event.at))
              })
            }
          }} />
        </aside>
      </div>
    </section>
  )
}

const noSubscribe = () => () => undefined

function describeAttribution(attribution: Attribution, start: number): string {
  const who = attribution.person ? `${attribution.person.name}${attribution.person.role ? ` (${attribution.person.role})` : ''}` : 'someone'
  return `${who}, typed at ${formatClock(attribution.time)} (${formatElapsed(attribution.time - start)} into the interview)`
}

function MarkDetails({ mark, run, start, onClose }: { mark: TimelineMark | null; run: Record<string, unknown> | null; start: number; onClose: () => void }) {
  if (!mark) {
    return (
      <section className="panel" data-testid="mark-details">
        <h2 className="panel-title">On the timeline</h2>
        <p className="muted small">Pick a mark (or an event below) to jump to it; a run shows its output as it was.</p>
      </section>
    )
  }
  const pasted = mark.kind === 'paste' && typeof mark.event.data.text === 'string' ? mark.event.data.text : null
  return (
    <section className="panel" data-testid="mark-details" data-kind={mark.kind}>
      <div className="panel-head">
        <h2 className="panel-title">{formatElapsed(mark.at - start)}</h2>
        <button type="button" className="icon-button tiny" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <p>{mark.label}</p>
      {pasted !== null && (
        <>
          <h3 className="subhead">Pasted text</h3>
          <pre className="replay-pre" data-testid="pasted-text">
            {pasted}
          </pre>
          {mark.event.data.truncated === true && <p className="muted small">Only the start of the paste was kept.</p>}
        </>
      )}
      {mark.kind === 'run' && (run ? <RunOutput run={run} /> : <p className="muted small">This run’s output is not in the history.</p>)}
    </section>
  )
}

function EventList({ events, start, now, onSelect }: { events: ReplayEvent[]; start: number; now: number; onSelect: (event: ReplayEvent) => void }) {
  return (
    <section className="panel replay-events" aria-labelledby="replay-events-title">
      <h2 className="panel-title" id="replay-events-title">
        Timeline
      </h2>
      {events.length === 0 ? (
        <p className="muted small">No events.</p>
      ) : (
        <ol className="activity-list">
          {events.map((event) => {
            const at = Date.parse(event.at)
            return (
              <li key={event.id} data-testid="replay-event" data-kind={event.kind} className={at <= now ? 'past' : 'future'}>
                <button type="button" className="link-button" onClick={() => onSelect(event)}>
                  <span className="muted mono">{formatElapsed(at - start)}</span> {describeEvent(event)}
                </button>
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}
