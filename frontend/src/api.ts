// The REST calls the frontend makes. Only two: create a session, read a session.

export interface Session {
  id: string
  url?: string
  title: string
  language: string
  code?: string
  created_at?: string
  [extra: string]: unknown
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail)
    this.name = 'ApiError'
  }

  get isNotFound(): boolean {
    return this.status === 404
  }
}

/** One cookie's value from a `document.cookie` string. */
export function readCookie(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {
        return part.slice(eq + 1).trim()
      }
    }
  }
  return null
}

/** DRF's `{"detail": ...}`, or field errors `{"title": ["..."]}`, as one readable line. */
export function errorDetail(body: unknown, status: number): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>
    if (typeof b.detail === 'string') return b.detail
    const parts = Object.entries(b).map(([field, value]) => {
      const text = Array.isArray(value) ? value.join(' ') : String(value)
      return `${field}: ${text}`
    })
    if (parts.length) return parts.join('; ')
  }
  return `Request failed (HTTP ${status})`
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  // Only needed when Django sees a logged-in session (e.g. the admin in the same
  // browser): DRF then enforces CSRF on writes.
  const csrf = typeof document !== 'undefined' ? readCookie(document.cookie, 'csrftoken') : null
  if (csrf && method !== 'GET') headers['X-CSRFToken'] = csrf

  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  })
  const text = await response.text()
  let data: unknown = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = null
  }
  if (!response.ok) throw new ApiError(response.status, errorDetail(data, response.status))
  return data as T
}

export function createSession(input: { title: string; language: string }): Promise<Session> {
  return request<Session>('POST', '/api/sessions/', input)
}

export function getSession(id: string): Promise<Session> {
  return request<Session>('GET', `/api/sessions/${encodeURIComponent(id)}/`)
}

export function sessionPath(id: string): string {
  return `/session/${encodeURIComponent(id)}`
}

export function inviteLink(origin: string, id: string): string {
  return origin + sessionPath(id)
}

/** The y-websocket server URL; the provider appends `/<sessionId>`. */
export function yjsServerUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws/yjs`
}
