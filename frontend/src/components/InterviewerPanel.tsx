// What only interviewers see in a session (the server sends it to nobody else): the
// interview's controls, the private notes (live, co-edited by every interviewer), the
// scorecard and the session's interviewers. Rendered only for the `interviewer` role, so a
// candidate's or observer's page never loads any of it.

import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react'
import {
  addInterviewer,
  ApiError,
  deleteSession,
  getMe,
  getScorecard,
  listInterviewers,
  removeInterviewer,
  saveScorecard,
  updateSession,
  type Recommendation,
  type Scorecard,
  type Session,
  type SessionInterviewer,
} from '../api'
import type { SessionState } from '../authority'
import { connectNotes, type NotesConnection } from '../collab/padConnection'
import { DOCUMENT_REFUSALS, noticeText, type ServerNotice } from '../collab/serverNotices'
import { useTerminalClose } from '../hooks/usePad'
import type { PadUser } from '../presence'
import { navigate } from '../router'
import { ConfirmDialog } from './ConfirmDialog'
import { NotesEditor } from './NotesEditor'

interface Props {
  session: Session
  sessionId: string
  /** This interviewer's name and colour (null until named). */
  user: PadUser | null
  state: SessionState
  onSession: (session: Session) => void
  onNotice: (text: string) => void
}

function detail(err: unknown): string {
  return err instanceof ApiError ? err.detail : 'Could not reach the server.'
}

export function InterviewerPanel({ session, sessionId, user, state, onSession, onNotice }: Props) {
  return (
    <div className="interviewer-panel" data-testid="interviewer-panel">
      <InterviewControls session={session} sessionId={sessionId} state={state} onSession={onSession} onNotice={onNotice} />
      <PrivateNotes sessionId={sessionId} user={user} onNotice={onNotice} />
      <Interviewers sessionId={sessionId} />
    </div>
  )
}

function InterviewControls({ sessionId, state, onSession, onNotice }: Omit<Props, 'user'>) {
  const [busy, setBusy] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [deleteError, setDeleteError] = useState<string | null>(null)
  // The switch shows what was asked for until the server's state (in the document) agrees.
  const [asked, setAsked] = useState<boolean | null>(null)
  useEffect(() => {
    if (asked !== null && state.candidateMayRun === asked) setAsked(null)
  }, [asked, state.candidateMayRun])

  const setMayRun = async (allowed: boolean) => {
    setAsked(allowed)
    try {
      onSession(await updateSession(sessionId, { candidate_may_run: allowed }))
    } catch (err) {
      setAsked(null)
      onNotice(detail(err))
    }
  }

  const remove = async () => {
    setBusy(true)
    setDeleteError(null)
    try {
      await deleteSession(sessionId)
      const me = await getMe().catch(() => null)
      navigate(me?.authenticated ? '/dashboard' : '/')
    } catch (err) {
      setDeleteError(detail(err))
      setBusy(false)
    }
  }

  return (
    <section className="panel" aria-labelledby="interview-controls-title">
      <h2 className="panel-title" id="interview-controls-title">
        Interview
      </h2>
      <label className="switch-row">
        <input
          type="checkbox"
          data-testid="candidate-may-run"
          checked={asked ?? state.candidateMayRun}
          disabled={busy || asked !== null}
          onChange={(event) => void setMayRun(event.target.checked)}
        />
        <span>Candidate may run code</span>
      </label>
      <button type="button" className="link-button danger-link" data-testid="delete-session" onClick={() => setConfirming(true)} disabled={busy}>
        Delete this interview…
      </button>
      {confirming && (
        <ConfirmDialog
          title="Delete this interview?"
          confirmLabel="Delete"
          danger
          busy={busy}
          error={deleteError}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        >
          <p>Its code, output, notes and scorecard are deleted, and everyone in it is disconnected. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  )
}

// Starting over with a fresh replica after a refused change: at most this often.
const REBUILD_MIN_INTERVAL_MS = 2000

function PrivateNotes({ sessionId, user, onNotice }: { sessionId: string; user: PadUser | null; onNotice: (text: string) => void }) {
  const [notes, setNotes] = useState<NotesConnection | null>(null)
  const [generation, setGeneration] = useState(0)
  const lastRebuild = useRef(0)
  const onNotesNotice = useCallback(
    (notice: ServerNotice) => {
      onNotice(`Notes: ${noticeText(notice)}`)
      if (DOCUMENT_REFUSALS.has(notice.code) && Date.now() - lastRebuild.current > REBUILD_MIN_INTERVAL_MS) {
        lastRebuild.current = Date.now()
        setGeneration((n) => n + 1)
      }
    },
    [onNotice],
  )

  const named = user !== null
  const userRef = useRef(user)
  userRef.current = user
  useEffect(() => {
    if (!named || !userRef.current) return
    const connection = connectNotes(sessionId, userRef.current, onNotesNotice)
    setNotes(connection)
    return () => {
      setNotes(null)
      connection.destroy()
    }
  }, [sessionId, named, generation, onNotesNotice])

  const name = user?.name
  const color = user?.color
  useEffect(() => {
    if (notes && name && color) notes.setUser({ name, color, role: 'interviewer' })
  }, [notes, name, color])

  const closeCode = useTerminalClose(notes)

  return (
    <section className="panel notes-panel" data-testid="notes-panel" aria-labelledby="notes-title">
      <h2 className="panel-title" id="notes-title">
        Private notes
      </h2>
      <p className="muted small">Only this session's interviewers see these notes; they edit them together, live.</p>
      {closeCode !== null ? (
        <p className="form-error" role="alert">
          The notes are closed (the session was deleted, or you are no longer its interviewer).
        </p>
      ) : notes ? (
        <NotesEditor notes={notes} />
      ) : (
        <div className="notes-frame notes-placeholder" />
      )}
      <ScorecardForm sessionId={sessionId} />
    </section>
  )
}

const RATINGS: { value: number; label: string }[] = [
  { value: 1, label: 'Strong no' },
  { value: 2, label: 'No' },
  { value: 3, label: 'Yes' },
  { value: 4, label: 'Strong yes' },
]

type Saved = 'idle' | 'saving' | 'saved' | 'error'

function ScorecardForm({ sessionId }: { sessionId: string }) {
  const [card, setCard] = useState<Scorecard | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [saved, setSaved] = useState<Saved>('idle')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let cancelled = false
    getScorecard(sessionId).then(
      (value) => !cancelled && setCard(value),
      (err) => !cancelled && setLoadError(detail(err)),
    )
    return () => {
      cancelled = true
    }
  }, [sessionId])

  if (!card) {
    return loadError ? (
      <p className="form-error" role="alert">
        {loadError}
      </p>
    ) : null
  }

  const change = (next: Partial<Scorecard>) => {
    setCard({ ...card, ...next })
    setSaved('idle')
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setSaved('saving')
    setError(null)
    try {
      setCard(await saveScorecard(sessionId, card))
      setSaved('saved')
    } catch (err) {
      setError(detail(err))
      setSaved('error')
    }
  }

  return (
    <form className="scorecard" data-testid="scorecard" onSubmit={submit} aria-labelledby="scorecard-title">
      <h3 id="scorecard-title" className="subhead">
        Scorecard
      </h3>
      <fieldset className="choice-group">
        <legend>Rating</legend>
        {RATINGS.map((rating) => (
          <label key={rating.value} className="choice" title={rating.label}>
            <input
              type="radio"
              name="rating"
              value={rating.value}
              checked={card.rating === rating.value}
              onChange={() => change({ rating: rating.value })}
              data-testid={`rating-${rating.value}`}
            />
            <span>
              {rating.value}
              <span className="sr-only"> ({rating.label})</span>
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset className="choice-group">
        <legend>Recommendation</legend>
        {(
          [
            ['hire', 'Hire'],
            ['no_hire', 'No hire'],
          ] as [Recommendation, string][]
        ).map(([value, label]) => (
          <label key={value} className="choice wide-choice">
            <input
              type="radio"
              name="recommendation"
              value={value}
              checked={card.recommendation === value}
              onChange={() => change({ recommendation: value })}
              data-testid={`recommend-${value}`}
            />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Comment</span>
        <textarea
          className="input textarea"
          data-testid="scorecard-comment"
          value={card.comment}
          maxLength={10_000}
          rows={3}
          onChange={(event) => change({ comment: event.target.value })}
        />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button small primary" data-testid="scorecard-save" disabled={saved === 'saving'}>
          {saved === 'saving' ? 'Saving…' : 'Save scorecard'}
        </button>
        {saved === 'saved' && (
          <span className="muted small" role="status" data-testid="scorecard-saved">
            Saved
          </span>
        )}
      </div>
    </form>
  )
}

function Interviewers({ sessionId }: { sessionId: string }) {
  const [people, setPeople] = useState<SessionInterviewer[] | null>(null)
  const [username, setUsername] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let cancelled = false
    listInterviewers(sessionId).then(
      (list) => !cancelled && setPeople(list),
      (err) => !cancelled && setError(detail(err)),
    )
    return () => {
      cancelled = true
    }
  }, [sessionId])

  const run = async (action: () => Promise<SessionInterviewer[]>, after?: () => void) => {
    setBusy(true)
    setError(null)
    try {
      setPeople(await action())
      after?.()
    } catch (err) {
      setError(detail(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="panel" data-testid="interviewers" aria-labelledby="interviewers-title">
      <h2 className="panel-title" id="interviewers-title">
        Interviewers
      </h2>
      {people && people.length > 0 ? (
        <ul className="plain-list">
          {people.map((person) => (
            <li key={person.username} data-testid="interviewer-account">
              <span className="participant-name">{person.username}</span>
              {person.owner ? (
                <span className="muted small">owner</span>
              ) : (
                <button
                  type="button"
                  className="link-button"
                  disabled={busy}
                  aria-label={`Remove ${person.username}`}
                  onClick={() => void run(() => removeInterviewer(sessionId, person.username))}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        people && <p className="muted small">No accounts yet: this session is led through its interviewer link.</p>
      )}
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault()
          const name = username.trim()
          if (name) void run(() => addInterviewer(sessionId, name), () => setUsername(''))
        }}
      >
        <input
          className="input small"
          data-testid="add-interviewer-input"
          aria-label="Add a co-interviewer by username"
          placeholder="Add by username"
          value={username}
          maxLength={150}
          onChange={(event) => setUsername(event.target.value)}
        />
        <button type="submit" className="button small" data-testid="add-interviewer" disabled={busy || !username.trim()}>
          Add
        </button>
      </form>
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
