import { useCallback, useEffect, useState, type FormEvent } from 'react'
import {
  ApiError,
  createSession,
  deleteSession,
  endSession,
  listSessions,
  reopenSession,
  replayPath,
  sessionPath,
  type SessionSummary,
} from '../api'
import { AccountBar } from '../components/AccountBar'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { CopyLinkButton } from '../components/CopyLinkButton'
import { LanguageSelect } from '../components/LanguageSelect'
import { TopBar } from '../components/TopBar'
import { useMe } from '../hooks/useMe'
import { QuestionField } from '../questions/QuestionField'
import type { Question } from '../questions/types'
import { DEFAULT_LANGUAGE, languageLabel } from '../languages'
import { linkClick, navigate } from '../router'
import type { Theme } from '../theme'
import { formatDateTime, formatInterviewDuration } from '../time'

interface Props {
  theme: Theme
  onToggleTheme: () => void
}

type List = { state: 'loading' } | { state: 'ready'; sessions: SessionSummary[] } | { state: 'error'; message: string }

const MAX_TITLE_LENGTH = 200

function message(err: unknown): string {
  return err instanceof ApiError ? err.detail : 'Could not reach the server.'
}

/** "Your interviews": the signed-in interviewer's sessions, and a form to create one. */
export function Dashboard({ theme, onToggleTheme }: Props) {
  const [meState] = useMe()
  const me = meState.state === 'ready' ? meState.me : null
  const [list, setList] = useState<List>({ state: 'loading' })
  const [actionError, setActionError] = useState<string | null>(null)
  const [deleting, setDeleting] = useState<SessionSummary | null>(null)
  const [deleteBusy, setDeleteBusy] = useState(false)
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set())
  const [fresh, setFresh] = useState<string | null>(null)

  useEffect(() => {
    if (me && !me.authenticated) navigate('/login', { replace: true })
  }, [me])

  const refresh = useCallback(async () => {
    try {
      setList({ state: 'ready', sessions: await listSessions() })
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) navigate('/login', { replace: true })
      else setList({ state: 'error', message: message(err) })
    }
  }, [])

  const signedIn = me?.authenticated === true
  useEffect(() => {
    if (!signedIn) return
    void refresh()
    // Statuses and durations move on while the page is open: re-read when it is looked at again.
    const onVisible = () => document.visibilityState === 'visible' && void refresh()
    document.addEventListener('visibilitychange', onVisible)
    return () => document.removeEventListener('visibilitychange', onVisible)
  }, [signedIn, refresh])

  const act = async (id: string, action: () => Promise<unknown>) => {
    setActionError(null)
    setBusyIds((ids) => new Set(ids).add(id))
    try {
      await action()
      await refresh()
    } catch (err) {
      setActionError(message(err))
    } finally {
      setBusyIds((ids) => {
        const next = new Set(ids)
        next.delete(id)
        return next
      })
    }
  }

  const confirmDelete = async () => {
    if (!deleting) return
    setDeleteBusy(true)
    setActionError(null)
    try {
      await deleteSession(deleting.id)
      setDeleting(null)
      await refresh()
    } catch (err) {
      setActionError(message(err))
      setDeleting(null)
    } finally {
      setDeleteBusy(false)
    }
  }

  return (
    <div className="page">
      <TopBar theme={theme} onToggleTheme={onToggleTheme}>
        <AccountBar me={me} current="dashboard" />
      </TopBar>
      <main className="dashboard">
        <header className="dashboard-head">
          <h1>Your interviews</h1>
          {me?.username && <p className="muted">Signed in as {me.username}.</p>}
        </header>

        {signedIn && (
          <CreateInterview
            onCreated={(id) => {
              setFresh(id)
              void refresh()
            }}
          />
        )}

        {actionError && (
          <p className="form-error" role="alert" data-testid="dashboard-error">
            {actionError}
          </p>
        )}

        <section className="card interviews" aria-labelledby="interviews-title">
          <h2 id="interviews-title" className="sr-only">
            Interviews
          </h2>
          {list.state === 'loading' || !signedIn ? (
            <div className="spinner" aria-label="Loading" />
          ) : list.state === 'error' ? (
            <div role="alert">
              <p className="form-error">{list.message}</p>
              <button type="button" className="button" onClick={() => void refresh()}>
                Try again
              </button>
            </div>
          ) : list.sessions.length === 0 ? (
            <p className="muted" data-testid="no-interviews">
              No interviews yet: create one above, then send its candidate link.
            </p>
          ) : (
            <div className="table-scroll">
              <table className="interview-table" data-testid="interviews">
                <thead>
                  <tr>
                    <th scope="col">Interview</th>
                    <th scope="col">Candidate</th>
                    <th scope="col">Language</th>
                    <th scope="col">Created</th>
                    <th scope="col">Status</th>
                    <th scope="col">Duration</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.sessions.map((s) => (
                    <InterviewRow
                      key={s.id}
                      session={s}
                      fresh={s.id === fresh}
                      busy={busyIds.has(s.id)}
                      onEnd={() => void act(s.id, () => endSession(s.id))}
                      onReopen={() => void act(s.id, () => reopenSession(s.id))}
                      onDelete={() => setDeleting(s)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </main>

      {deleting && (
        <ConfirmDialog
          title="Delete this interview?"
          confirmLabel="Delete"
          danger
          busy={deleteBusy}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setDeleting(null)}
        >
          <p>
            <strong>{deleting.title || 'Untitled interview'}</strong> will be deleted with its code, output, notes and
            scorecard. Anyone still in it is disconnected. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  )
}

interface RowProps {
  session: SessionSummary
  fresh: boolean
  busy: boolean
  onEnd: () => void
  onReopen: () => void
  onDelete: () => void
}

function InterviewRow({ session: s, fresh, busy, onEnd, onReopen, onDelete }: RowProps) {
  const path = sessionPath(s.id)
  const title = s.title || 'Untitled interview'
  const link = s.url || location.origin + path
  return (
    <tr data-testid="interview-row" data-session-id={s.id} data-status={s.status} className={fresh ? 'fresh' : undefined}>
      <td className="interview-title">
        <a href={path} onClick={linkClick(path)} data-testid="open-interview">
          {title}
        </a>
      </td>
      <td data-testid="candidate-names">
        {s.candidate_names.length ? s.candidate_names.join(', ') : <span className="muted">not joined yet</span>}
      </td>
      <td>{languageLabel(s.language)}</td>
      <td className="nowrap">
        <time dateTime={s.created_at}>{formatDateTime(s.created_at)}</time>
      </td>
      <td>
        <span className={`status-badge status-badge-${s.status}`} data-testid="interview-status">
          {s.status}
        </span>
      </td>
      <td className="nowrap">{formatInterviewDuration(s.duration_seconds)}</td>
      <td className="row-actions">
        <CopyLinkButton link={link} label="Candidate link" testId="copy-candidate-link" what="candidate link" className="button small" />
        <a
          className="button small"
          href={replayPath(s.id)}
          onClick={linkClick(replayPath(s.id))}
          data-testid="open-replay"
          aria-label={`${s.status === 'ended' ? 'Record and replay' : 'Replay'} of ${title}`}
        >
          {s.status === 'ended' ? 'Record' : 'Replay'}
        </a>
        {s.status === 'live' ? (
          <button type="button" className="button small" onClick={onEnd} disabled={busy} data-testid="end-interview" aria-label={`End ${title}`}>
            End
          </button>
        ) : (
          <button type="button" className="button small" onClick={onReopen} disabled={busy} data-testid="reopen-interview" aria-label={`Reopen ${title}`}>
            Reopen
          </button>
        )}
        <button
          type="button"
          className="button small danger-outline"
          onClick={onDelete}
          disabled={busy}
          data-testid="delete-interview"
          aria-label={`Delete ${title}`}
        >
          Delete
        </button>
      </td>
    </tr>
  )
}

function CreateInterview({ onCreated }: { onCreated: (id: string) => void }) {
  const [title, setTitle] = useState('')
  const [language, setLanguage] = useState(DEFAULT_LANGUAGE)
  const [question, setQuestion] = useState<Question | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const session = await createSession({ title: title.trim(), language, ...(question ? { question: question.id } : {}) })
      setTitle('')
      setQuestion(null)
      onCreated(String(session.id))
    } catch (err) {
      setError(message(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="card create-inline" onSubmit={submit} aria-labelledby="create-title-heading">
      <h2 id="create-title-heading">New interview</h2>
      <div className="create-row">
        <label className="field grow">
          <span>Title</span>
          <input
            className="input"
            data-testid="create-title"
            value={title}
            maxLength={MAX_TITLE_LENGTH}
            placeholder={question ? question.title : 'e.g. Backend engineer: Jane Doe'}
            onChange={(event) => setTitle(event.target.value)}
          />
        </label>
        <label className="field">
          <span>Language</span>
          <LanguageSelect value={language} onChange={setLanguage} testId="create-language" />
        </label>
        <button type="submit" className="button primary create-button" data-testid="create-submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create interview'}
        </button>
      </div>
      <QuestionField value={question} onChange={setQuestion} language={language} onLanguage={setLanguage} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
