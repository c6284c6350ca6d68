import { useEffect, useState, type FormEvent } from 'react'
import { ApiError, signIn, signUp } from '../api'
import { AccountBar } from '../components/AccountBar'
import { TopBar } from '../components/TopBar'
import { useMe } from '../hooks/useMe'
import { linkClick, navigate } from '../router'
import type { Theme } from '../theme'

interface Props {
  theme: Theme
  onToggleTheme: () => void
}

/** Interviewers sign in here (or sign up, when the server allows it); then the dashboard. */
export function Login({ theme, onToggleTheme }: Props) {
  const [meState] = useMe()
  const me = meState.state === 'ready' ? meState.me : null
  const [mode, setMode] = useState<'signin' | 'signup'>('signin')
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (me?.authenticated) navigate('/dashboard', { replace: true })
  }, [me])

  const signingUp = mode === 'signup' && me?.signup === true
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await (signingUp ? signUp(username.trim(), password) : signIn(username.trim(), password))
      navigate('/dashboard')
    } catch (err) {
      if (!(err instanceof ApiError)) setError('Could not reach the server. Is it running?')
      else if (err.status === 400 && !signingUp) setError('Wrong username or password.')
      else if (err.status === 429) setError('Too many attempts: wait a minute, then try again.')
      else setError(err.detail)
      setBusy(false)
    }
  }

  return (
    <div className="page">
      <TopBar theme={theme} onToggleTheme={onToggleTheme}>
        <AccountBar me={me} current="login" />
      </TopBar>
      <main className="centered">
        <form className="card auth-card" onSubmit={submit} aria-labelledby="auth-title" data-testid="login-form">
          <h1 id="auth-title">{signingUp ? 'Create an interviewer account' : 'Sign in'}</h1>
          <p className="muted">
            {signingUp
              ? 'Your interviews and their private notes will be listed on your dashboard.'
              : 'For interviewers. Candidates need no account: they join with the link you send them.'}
          </p>
          <label className="field">
            <span>Username</span>
            <input
              className="input"
              data-testid="login-username"
              name="username"
              autoComplete="username"
              value={username}
              maxLength={150}
              required
              autoFocus
              onChange={(event) => setUsername(event.target.value)}
            />
          </label>
          <label className="field">
            <span>Password</span>
            <input
              className="input"
              data-testid="login-password"
              name="password"
              type="password"
              autoComplete={signingUp ? 'new-password' : 'current-password'}
              value={password}
              maxLength={200}
              required
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
          {error && (
            <p className="form-error" role="alert" data-testid="login-error">
              {error}
            </p>
          )}
          <button
            type="submit"
            className="button primary wide"
            data-testid="login-submit"
            disabled={busy || !username.trim() || !password}
          >
            {busy ? (signingUp ? 'Creating…' : 'Signing in…') : signingUp ? 'Create account' : 'Sign in'}
          </button>
          <p className="auth-alt muted small">
            {me?.signup &&
              (signingUp ? (
                <button type="button" className="link-button" onClick={() => setMode('signin')}>
                  I have an account: sign in
                </button>
              ) : (
                <button type="button" className="link-button" onClick={() => setMode('signup')} data-testid="signup-mode">
                  No account yet? Create one
                </button>
              ))}
            {me?.can_create && !me.authenticated && (
              <>
                {me.signup && ' · '}
                <a href="/" onClick={linkClick('/')}>
                  Create an interview without an account
                </a>
              </>
            )}
          </p>
        </form>
      </main>
    </div>
  )
}
