import { useState, type FormEvent } from 'react'
import { ApiError, createSession, sessionPath } from '../api'
import { LanguageSelect } from '../components/LanguageSelect'
import { loadCreatedSessions, rememberCreatedSession, type RememberedSession } from '../identity'
import { DEFAULT_LANGUAGE, languageLabel } from '../languages'
import { navigate } from '../router'

const MAX_TITLE_LENGTH = 200

function formatDate(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

export function Home() {
  const [title, setTitle] = useState('')
  const [language, setLanguage] = useState(DEFAULT_LANGUAGE)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [sessions] = useState<RememberedSession[]>(() => loadCreatedSessions())

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const session = await createSession({ title: title.trim(), language })
      // Remember it first: the creator of a session is its interviewer.
      rememberCreatedSession({
        id: String(session.id),
        title: session.title ?? title.trim(),
        language: session.language ?? language,
        createdAt: session.created_at ?? new Date().toISOString(),
      })
      navigate(sessionPath(String(session.id)))
    } catch (err) {
      setError(err instanceof ApiError ? err.detail : 'Could not reach the server. Is it running?')
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
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary wide" data-testid="create-submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create session'}
        </button>
      </form>

      <section className="card recent">
        <h2>Your sessions</h2>
        {sessions.length === 0 ? (
          <p className="muted">Sessions you create from this browser are listed here.</p>
        ) : (
          <ul className="session-list" data-testid="my-sessions">
            {sessions.map((s) => (
              <li key={s.id}>
                <a
                  href={sessionPath(s.id)}
                  onClick={(event) => {
                    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
                    event.preventDefault()
                    navigate(sessionPath(s.id))
                  }}
                >
                  <span className="session-title">{s.title || 'Untitled session'}</span>
                  <span className="session-meta">
                    {languageLabel(s.language)}
                    {s.createdAt && ` · ${formatDate(s.createdAt)}`}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  )
}
