import { useState, type FormEvent } from 'react'
import { ApiError, createSession, inviteLink, sessionPath, type Me, type Session } from '../api'
import { CopyLinkButton } from '../components/CopyLinkButton'
import { LanguageSelect } from '../components/LanguageSelect'
import { DEFAULT_LANGUAGE } from '../languages'
import { linkClick } from '../router'
import { QuestionField } from '../questions/QuestionField'
import type { Question } from '../questions/types'

const MAX_TITLE_LENGTH = 200

interface Props {
  /** null while it is being read. */
  me: Me | null
}

export function Home({ me }: Props) {
  const [title, setTitle] = useState('')
  const [language, setLanguage] = useState(DEFAULT_LANGUAGE)
  // Signed-in interviewers may start from a question of the bank.
  const [question, setQuestion] = useState<Question | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // The answer to creating a session: it carries the secret interviewer link, shown this once.
  const [created, setCreated] = useState<Session | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      // The answer also makes this browser the session's interviewer (an HttpOnly cookie).
      setCreated(await createSession({ title: title.trim(), language, ...(question ? { question: question.id } : {}) }))
    } catch (err) {
      setError(err instanceof ApiError ? err.detail : 'Could not reach the server. Is it running?')
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="home">
      <section className="hero">
        <h1>Collaborative coding interviews</h1>
        <p className="muted">
          Create a pad, share the link, and write code together in real time: everyone sees each other's cursors, and
          every edit merges.
        </p>
      </section>

      {created ? (
        <CreatedSession session={created} signedIn={me?.authenticated === true} onAnother={() => setCreated(null)} />
      ) : me && !me.can_create ? (
        <section className="card" data-testid="sign-in-to-create">
          <h2>Sign in to create interviews</h2>
          <p className="muted">
            Interviews are created by interviewers with an account here. Candidates need none: they join with the link
            their interviewer sends.
          </p>
          <a className="button primary" href="/login" onClick={linkClick('/login')}>
            Sign in
          </a>
        </section>
      ) : (
        <form className="card create-form" onSubmit={submit}>
          <h2>New session</h2>
          <label className="field">
            <span>Title</span>
            <input
              className="input"
              data-testid="create-title"
              value={title}
              maxLength={MAX_TITLE_LENGTH}
              placeholder="e.g. Backend engineer: Jane Doe"
              onChange={(event) => setTitle(event.target.value)}
            />
          </label>
          <label className="field">
            <span>Language</span>
            <LanguageSelect value={language} onChange={setLanguage} testId="create-language" />
          </label>
          {me?.authenticated && <QuestionField value={question} onChange={setQuestion} language={language} onLanguage={setLanguage} />}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button primary wide" data-testid="create-submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create session'}
          </button>
          {me && !me.authenticated && (
            <p className="muted small form-foot">
              Interviewing often?{' '}
              <a href="/login" onClick={linkClick('/login')}>
                Sign in
              </a>{' '}
              to keep your interviews, notes and scorecards on a dashboard.
            </p>
          )}
        </form>
      )}
    </main>
  )
}

function CreatedSession({ session, signedIn, onAnother }: { session: Session; signedIn: boolean; onAnother: () => void }) {
  const id = String(session.id)
  const path = sessionPath(id)
  const secret = session.interviewer_link ?? ''
  const candidate = session.url || inviteLink(location.origin, id)
  return (
    <section className="card created" data-testid="created-card" aria-labelledby="created-title">
      <h2 id="created-title">
        Session created{session.title ? <>: {session.title}</> : null}
      </h2>
      {secret && (
        <>
          <label className="field">
            <span>Your interviewer link</span>
            <input
              className="input mono small"
              readOnly
              value={secret}
              data-testid="interviewer-link"
              onFocus={(event) => event.target.select()}
            />
          </label>
          <div className="keep-link" role="note" data-testid="keep-link-note">
            <strong>Keep this link.</strong> It is shown only this once. Opening it makes a browser this session's
            interviewer (this one already is), so keep it private: do not send it to the candidate.
            {signedIn && ' The interview is on your dashboard as well.'}
          </div>
          <div className="created-actions">
            <CopyLinkButton link={secret} label="Copy interviewer link" testId="copy-interviewer-link" what="interviewer link" />
          </div>
        </>
      )}
      <label className="field">
        <span>Candidate link: send this one to the candidate</span>
        <input className="input mono small" readOnly value={candidate} data-testid="candidate-link" onFocus={(event) => event.target.select()} />
      </label>
      <div className="created-actions">
        <a className="button primary" href={path} onClick={linkClick(path)} data-testid="open-session">
          Open the session
        </a>
        <CopyLinkButton link={candidate} label="Copy candidate link" testId="copy-candidate-link" what="candidate link" />
        <button type="button" className="link-button" onClick={onAnother}>
          Create another
        </button>
      </div>
    </section>
  )
}
