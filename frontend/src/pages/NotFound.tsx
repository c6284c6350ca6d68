import { navigate } from '../router'

interface Props {
  title: string
  message: string
}

/** "Session not found or deleted", or an unknown address. */
export function NotFound({ title, message }: Props) {
  return (
    <main className="centered">
      <div className="card notice" data-testid="not-found">
        <div className="notice-code">404</div>
        <h1>{title}</h1>
        <p className="muted">{message}</p>
        <a
          className="button primary"
          href="/"
          onClick={(event) => {
            event.preventDefault()
            navigate('/')
          }}
        >
          Go to the home page
        </a>
      </div>
    </main>
  )
}
