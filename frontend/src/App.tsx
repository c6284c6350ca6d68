import { useCallback, useEffect, useState } from 'react'
import { TopBar } from './components/TopBar'
import { Home } from './pages/Home'
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
      return (
        <div className="page">
          <TopBar theme={theme} onToggleTheme={toggleTheme} />
          <Home />
        </div>
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
