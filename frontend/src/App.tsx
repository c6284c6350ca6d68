import { useCallback, useEffect, useState } from 'react'
import { AccountBar } from './components/AccountBar'
import { TopBar } from './components/TopBar'
import { useMe } from './hooks/useMe'
import { Dashboard } from './pages/Dashboard'
import { Home } from './pages/Home'
import { Login } from './pages/Login'
import { NotFound } from './pages/NotFound'
import { SessionPage } from './pages/SessionPage'
import { onRouteChange, parseRoute, type Route } from './router'
import { loadTheme, otherTheme, saveTheme, systemPrefersDark, type Theme } from './theme'

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
      return <SessionPage key={route.id} sessionId={route.id} theme={theme} onToggleTheme={toggleTheme} />
    case 'home':
      return <HomePage theme={theme} onToggleTheme={toggleTheme} />
    case 'login':
      return <Login theme={theme} onToggleTheme={toggleTheme} />
    case 'dashboard':
      return <Dashboard theme={theme} onToggleTheme={toggleTheme} />
    default:
      return (
        <div className="page">
          <TopBar theme={theme} onToggleTheme={toggleTheme} />
          <NotFound title="Page not found" message={`Nothing lives at ${route.path}.`} />
        </div>
      )
  }
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
