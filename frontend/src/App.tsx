// First: on the replay page, starts loading its data before the rest of the bundle runs.
import './replay/early'
import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { AccountBar } from './components/AccountBar'
import { LoadBoundary } from './components/LoadBoundary'
import { TopBar } from './components/TopBar'
import { useMe } from './hooks/useMe'
import { Dashboard } from './pages/Dashboard'
import { Home } from './pages/Home'
import { Login } from './pages/Login'
import { NotFound } from './pages/NotFound'
import { loadReplay } from './replay/load'
import { onRouteChange, parseRoute, type Route } from './router'
import { loadTheme, otherTheme, saveTheme, systemPrefersDark, type Theme } from './theme'

// The pages with an editor are chunks of their own (Monaco with them), loaded on demand: the
// replay page never runs the session page's code and vice versa, and the replay's request
// (replay/early.ts) leaves before Monaco has even been parsed.
const SessionPage = lazy(() => import('./pages/SessionPage').then((module) => ({ default: module.SessionPage })))
const ReplayPage = lazy(() => import('./pages/Replay'))
// The question bank's editor is for interviewers only: a chunk of its own too.
const QuestionBankPage = lazy(() => import('./pages/QuestionBank'))

export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname))
  useEffect(() => onRouteChange(() => setRoute(parseRoute(location.pathname))), [])

  const [theme, setTheme] = useState<Theme>(() => loadTheme(systemPrefersDark()))
  useEffect(() => {
    document.documentElement.dataset.theme = theme
    document.documentElement.style.colorScheme = theme
  }, [theme])
  const toggleTheme = useCallback(() => {
    setTheme((current) => {
      const next = otherTheme(current)
      saveTheme(next)
      return next
    })
  }, [])

  switch (route.page) {
    case 'session':
      return (
        <LoadBoundary key={route.id}>
          <Suspense fallback={<PageLoading theme={theme} onToggleTheme={toggleTheme} />}>
            <SessionPage key={route.id} sessionId={route.id} theme={theme} onToggleTheme={toggleTheme} />
          </Suspense>
        </LoadBoundary>
      )
    case 'replay':
      // Its data is requested now, while the page's chunk downloads.
      void loadReplay(route.id)
      return (
        <LoadBoundary key={`replay-${route.id}`}>
          <Suspense fallback={<PageLoading theme={theme} onToggleTheme={toggleTheme} />}>
            <ReplayPage key={route.id} sessionId={route.id} theme={theme} onToggleTheme={toggleTheme} />
          </Suspense>
        </LoadBoundary>
      )
    case 'home':
      return <HomePage theme={theme} onToggleTheme={toggleTheme} />
    case 'login':
      return <Login theme={theme} onToggleTheme={toggleTheme} />
    case 'dashboard':
      return <Dashboard theme={theme} onToggleTheme={toggleTheme} />
    case 'questions':
      return (
        <LoadBoundary key="questions">
          <Suspense fallback={<PageLoading theme={theme} onToggleTheme={toggleTheme} />}>
            <QuestionBankPage theme={theme} onToggleTheme={toggleTheme} />
          </Suspense>
        </LoadBoundary>
      )
    default:
      return (
        <div className="page">
          <TopBar theme={theme} onToggleTheme={toggleTheme} />
          <NotFound title="Page not found" message={`Nothing lives at ${route.path}.`} />
        </div>
      )
  }
}

function PageLoading({ theme, onToggleTheme }: { theme: Theme; onToggleTheme: () => void }) {
  return (
    <div className="page">
      <TopBar theme={theme} onToggleTheme={onToggleTheme} />
      <main className="centered">
        <div className="spinner" aria-label="Loading" />
      </main>
    </div>
  )
}

function HomePage({ theme, onToggleTheme }: { theme: Theme; onToggleTheme: () => void }) {
  const [meState] = useMe()
  const me = meState.state === 'ready' ? meState.me : null
  return (
    <div className="page">
      <TopBar theme={theme} onToggleTheme={onToggleTheme}>
        <AccountBar me={me} current="home" />
      </TopBar>
      <Home me={me} />
    </div>
  )
}
