import { useState } from 'react'
import { signOut, type Me } from '../api'
import { linkClick, navigate } from '../router'

interface Props {
  me: Me | null
  /** The page showing it, so it does not link to itself. */
  current?: 'home' | 'login' | 'dashboard' | 'questions'
}

/** The top bar's account controls: "Your interviews", "Questions" and Sign out, or Sign in. */
export function AccountBar({ me, current }: Props) {
  const [busy, setBusy] = useState(false)
  if (!me) return null
  if (!me.authenticated) {
    return current === 'login' ? null : (
      <a className="button" href="/login" onClick={linkClick('/login')} data-testid="sign-in-link">
        Sign in
      </a>
    )
  }
  return (
    <div className="account" data-testid="account">
      {current !== 'dashboard' && (
        <a className="button" href="/dashboard" onClick={linkClick('/dashboard')} data-testid="dashboard-link">
          Your interviews
        </a>
      )}
      {current !== 'questions' && (
        <a className="button" href="/questions" onClick={linkClick('/questions')} data-testid="questions-link">
          Questions
        </a>
      )}
      <span className="account-name muted small" title={`Signed in as ${me.username}`}>
        {me.username}
      </span>
      <button
        type="button"
        className="button"
        data-testid="sign-out"
        disabled={busy}
        onClick={async () => {
          setBusy(true)
          try {
            await signOut()
          } catch {
            // Signed out or not, the sign-in page is where to go next.
          }
          navigate('/login')
        }}
      >
        Sign out
      </button>
    </div>
  )
}
