// Two pages do not need a router library: parse the path, push history, re-render.

export type Route = { page: 'home' } | { page: 'session'; id: string } | { page: 'unknown'; path: string }

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/'
  if (path === '/' || path === '/index.html') return { page: 'home' }
  const match = /^\/session\/([^/]+)$/.exec(path)
  if (match) {
    try {
      return { page: 'session', id: decodeURIComponent(match[1]) }
    } catch {
      return { page: 'unknown', path: pathname }
    }
  }
  return { page: 'unknown', path: pathname }
}

const NAVIGATE_EVENT = 'pad:navigate'

export function navigate(path: string): void {
  if (path === location.pathname) return
  history.pushState(null, '', path)
  window.dispatchEvent(new Event(NAVIGATE_EVENT))
}

/** Call `listener` whenever the path changes (our navigate() or back/forward). */
export function onRouteChange(listener: () => void): () => void {
  window.addEventListener('popstate', listener)
  window.addEventListener(NAVIGATE_EVENT, listener)
  return () => {
    window.removeEventListener('popstate', listener)
    window.removeEventListener(NAVIGATE_EVENT, listener)
  }
}
