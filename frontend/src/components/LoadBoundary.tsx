// Around a page loaded on demand (App.tsx): if its code cannot be fetched (the server was updated
// since this tab opened, so the old file names are gone, or the network dropped), say so and
// offer a reload instead of leaving a blank page.

import { Component, type ReactNode } from 'react'

interface Props {
  children: ReactNode
}

// How browsers word a failed `import()`: Chromium, Firefox, Safari.
const CHUNK_FAILURE = /dynamically imported module|Importing a module script failed/i

export class LoadBoundary extends Component<Props, { error: unknown }> {
  state: { error: unknown } = { error: null }

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error }
  }

  render() {
    const { error } = this.state
    if (!error) return this.props.children
    // Any other error is a bug: not ours to hide.
    if (!(error instanceof Error && CHUNK_FAILURE.test(error.message))) throw error
    return (
      <main className="centered">
        <div className="card notice" role="alert" data-testid="page-load-error">
          <h1>This page could not be loaded</h1>
          <p className="muted">The pad may have been updated since this tab was opened, or the connection dropped.</p>
          <button type="button" className="button primary" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </main>
    )
  }
}
