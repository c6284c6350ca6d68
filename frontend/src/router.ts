// A few pages do not need a router library: parse the path, push history, re-render.

export type Route =
  | { page: 'home' }
  | { page: 'login' }
  | { page: 'dashboard' }
  | { page: 'questions' }
  | { page: 'session'; id: string }
  | { page: 'replay'; id: string }
  | { page: 'unknown'; path: string }

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/'
  if (path === '/' || path === '/index.html') return { page: 'home' }
  if (path === '/login') return { page: 'login' }
  if (path === '/dashboard') return { page: 'dashboard' }
  if (path === '/questions') return { page: 'questions' }
  const match = /^\/session\/([^/]+)(\/replay)?$/.exec(path)
  if (match) {
    try {
      return { page: match[2] ? 'replay' : 'session', id: decodeURIComponent(match[1]) }
    } catch {
      return { page: 'unknown', path: pathname }
    }
  }
  return { page: 'unknown', path: pathname }
}

const NAVIGATE_EVENT = 'pad:navigate'

/** Go to `path` in the app (`replace`: without leaving the current page in the history). */
export function navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search + location.hash) return
  if (replace) history.replaceState(null, '', path)
  else history.pushState(null, '', path)
  window.dispatchEvent(new Event(NAVIGATE_EVENT))
}

/** An in-app link's click handler: navigate without a page load, unless a modifier asks for a new tab. */
export function linkClick(path: string) {
  return (event: { metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; button: number; preventDefault(): void }) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    navigate(path)
  }
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
