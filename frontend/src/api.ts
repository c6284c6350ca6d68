// The REST calls the frontend makes (JSON; writes carry Django's CSRF token). Who may do
// what is the server's decision: a refused call is an ApiError with its `detail` (403 not
// allowed, 409 the interview has ended).

import type { Role } from './authority'
import type { SessionQuestion } from './questions/types'

export interface Session {
  id: string
  /** The candidate link. */
  url?: string
  title: string
  language: string
  code?: string
  created_at?: string
  updated_at?: string
  ended_at?: string | null
  candidate_may_run?: boolean
  /** The reader's role, decided by the server. */
  role?: Role
  // Interviewers only:
  observer_link?: string
  owner?: string | null
  interviewers?: string[]
  candidate_names?: string[]
  duration_seconds?: number
  /** Only in the answer to creating a session, this once. */
  interviewer_link?: string
  /** The question it runs on (what the reader may see of it: questions/types.ts), or null. */
  question?: SessionQuestion | null
  [extra: string]: unknown
}

/** A line of the dashboard (GET /api/sessions/). */
export interface SessionSummary {
  id: string
  url: string
  title: string
  language: string
  created_at: string
  ended_at: string | null
  status: 'live' | 'ended'
  duration_seconds: number
  candidate_names: string[]
}

/** Who is signed in in this browser, and what they may do. */
export interface Me {
  authenticated: boolean
  username: string | null
  /** May create sessions (signed in, or open creation is on). */
  can_create: boolean
  /** Self sign-up is allowed. */
  signup: boolean
}

export type Recommendation = 'hire' | 'no_hire' | ''

export interface Scorecard {
  rating: number | null
  recommendation: Recommendation
  comment: string
}

export interface SessionInterviewer {
  username: string
  owner: boolean
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    /** The answer's JSON body (field errors: `{"title": ["..."]}`), when it had one. */
    readonly body: unknown = null,
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

function csrfToken(): string | null {
  return typeof document !== 'undefined' ? readCookie(document.cookie, 'csrftoken') : null
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  // Writes by a signed-in interviewer or a key link's cookie must carry the CSRF token.
  // The page's HTML sets its cookie; should it be missing, GET /api/auth/me sets it.
  if (method !== 'GET') {
    let csrf = csrfToken()
    if (!csrf) {
      await fetch('/api/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } }).catch(() => null)
      csrf = csrfToken()
    }
    if (csrf) headers['X-CSRFToken'] = csrf
  }

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
  if (!response.ok) throw new ApiError(response.status, errorDetail(data, response.status), data)
  return data as T
}

const sessionApi = (id: string, rest = '') => `/api/sessions/${encodeURIComponent(id)}/${rest}`

// Accounts

export const getMe = () => request<Me>('GET', '/api/auth/me')
export const signIn = (username: string, password: string) => request<Me>('POST', '/api/auth/login', { username, password })
export const signUp = (username: string, password: string) => request<Me>('POST', '/api/auth/signup', { username, password })
export const signOut = () => request<Me>('POST', '/api/auth/logout')

// Sessions

/** The signed-in interviewer's sessions, newest first. */
export const listSessions = () => request<SessionSummary[]>('GET', '/api/sessions/')

export function createSession(input: { title: string; language: string; question?: number }): Promise<Session> {
  return request<Session>('POST', '/api/sessions/', input)
}

export const getSession = (id: string) => request<Session>('GET', sessionApi(id))

export const updateSession = (id: string, changes: { title?: string; candidate_may_run?: boolean }) =>
  request<Session>('PATCH', sessionApi(id), changes)

export const deleteSession = (id: string) => request<null>('DELETE', sessionApi(id))
export const endSession = (id: string) => request<Session>('POST', sessionApi(id, 'end'))
export const reopenSession = (id: string) => request<Session>('POST', sessionApi(id, 'reopen'))

/** Trade a secret link's key for this browser's (HttpOnly) role cookie. */
export const claimSession = (id: string, key: string) =>
  request<Session>('POST', sessionApi(id, 'claim'), { key })

export const getScorecard = (id: string) => request<Scorecard>('GET', sessionApi(id, 'scorecard'))
export const saveScorecard = (id: string, scorecard: Scorecard) =>
  request<Scorecard>('PUT', sessionApi(id, 'scorecard'), scorecard)

export const listInterviewers = (id: string) =>
  request<SessionInterviewer[]>('GET', sessionApi(id, 'interviewers'))
export const addInterviewer = (id: string, username: string) =>
  request<SessionInterviewer[]>('POST', sessionApi(id, 'interviewers'), { username })
export const removeInterviewer = (id: string, username: string) =>
  request<SessionInterviewer[]>('DELETE', sessionApi(id, 'interviewers'), { username })

/** A language as the server describes it (GET /api/languages/). */
export interface LanguageInfo {
  id: string
  name: string
  /** Runs in the browser (kept for older pages). */
  runnable: boolean
  runs_on: 'browser' | 'server' | null
  /** A server language: whether a runner with its toolchain is up right now. */
  available?: boolean
  /** A server language's toolchain, e.g. "OpenJDK 17.0.15" (may be ''). */
  version?: string
  /** Why a server language cannot run now, a sentence to show. */
  reason?: string
}

export const listLanguages = () => request<LanguageInfo[]>('GET', '/api/languages/')

export function sessionPath(id: string): string {
  return `/session/${encodeURIComponent(id)}`
}

// The interview record (docs/RECORD.md): interviewers (the replay and events: observers too).

/** A timeline event as stored (GET .../events, .../replay, .../record). */
export interface StoredEvent {
  id: number
  kind: string
  at: string
  name: string
  role: string
  connection: string
  data: Record<string, unknown>
}

/** GET /api/sessions/<id>/record (`"schema": "interview-pad.record/1"`). */
export interface InterviewRecord {
  schema: string
  session: {
    id: string
    title: string
    created_at: string
    ended_at: string | null
    duration_seconds: number
    owner: string | null
    interviewers: string[]
  }
  code: string
  language: string
  runs: Record<string, unknown>[]
  notes: string
  scorecard: Scorecard
  participants: { name: string; role: string; connection: string; joined_at: string; left_at: string | null }[]
  activity: StoredEvent[]
  events: StoredEvent[]
  history: { updates: number; pruned_at: string | null }
}

/** The replay's data; its shape is replay/replayIndex.ts's `ReplayData`. */
export const getReplay = <T>(id: string) => request<T>('GET', sessionApi(id, 'replay'))
export const getRecord = (id: string) => request<InterviewRecord>('GET', sessionApi(id, 'record'))
export const getEvents = (id: string, after = 0) =>
  request<StoredEvent[]>('GET', `${sessionApi(id, 'events')}${after ? `?after=${after}` : ''}`)

export function replayPath(id: string): string {
  return `${sessionPath(id)}/replay`
}

/** The whole record as a file (`interview-<id>.json`). */
export const recordDownloadUrl = (id: string) => `${sessionApi(id, 'record')}?download=1`
/** The code as a file (`solution.<extension>`). */
export const codeFileUrl = (id: string) => sessionApi(id, 'file')

export function inviteLink(origin: string, id: string): string {
  return origin + sessionPath(id)
}

/** The y-websocket server URL; the provider appends `/<sessionId>`. */
export function yjsServerUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws/yjs`
}
