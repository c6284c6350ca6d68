// What this browser may do in a session. The role always comes from the server (the
// session's `role` in GET /api/sessions/<id>/), and the server enforces every rule on every
// path: this module only mirrors its rules table (sessions_app/rules.py) so the page can
// disable what would be refused, and say why.

export type Role = 'interviewer' | 'candidate' | 'observer'

export const ROLES: readonly Role[] = ['interviewer', 'candidate', 'observer']

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** The session's state, as the server writes it into the document's `meta`. */
export interface SessionState {
  /** ISO time the interview ended, or null while it is on. */
  endedAt: string | null
  /** false when the interviewer turned off running code for candidates. */
  candidateMayRun: boolean
}

/** Read `meta.ended_at` and `meta.candidate_may_run` (absent = true); both are the server's. */
export function sessionStateFromMeta(meta: { get(key: string): unknown }): SessionState {
  const ended = meta.get('ended_at')
  return {
    endedAt: typeof ended === 'string' && ended ? ended : null,
    candidateMayRun: meta.get('candidate_may_run') !== false,
  }
}

/** The same from a REST session body (before the document has synced). */
export function sessionStateFromRest(session: { ended_at?: unknown; candidate_may_run?: unknown }): SessionState {
  return {
    endedAt: typeof session.ended_at === 'string' && session.ended_at ? session.ended_at : null,
    candidateMayRun: session.candidate_may_run !== false,
  }
}

export interface Permissions {
  interviewer: boolean
  /** Type in the code editor. */
  edit: boolean
  /** Change the session's language. */
  setLanguage: boolean
  /** Run code (and so append a run to the shared output). */
  run: boolean
  /** Why Run is off, in a few words (null when it is on). */
  runBlocked: string | null
  /** Clear the shared output for everyone (else Clear only hides runs in this view). */
  clearForEveryone: boolean
  /** Publish a presence (name, colour, cursor): observers watch silently. */
  showPresence: boolean
}

export function permissionsFor(role: Role, state: SessionState): Permissions {
  const ended = state.endedAt !== null
  const interviewer = role === 'interviewer'
  const editor = role !== 'observer'
  let runBlocked: string | null = null
  if (ended) runBlocked = 'The interview has ended: the session is read-only.'
  else if (!editor) runBlocked = 'Observers watch only: running code is for the people in the interview.'
  else if (!interviewer && !state.candidateMayRun) runBlocked = 'The interviewer has turned off running code for now.'
  return {
    interviewer,
    edit: editor && !ended,
    setLanguage: editor && !ended,
    run: runBlocked === null,
    runBlocked,
    clearForEveryone: interviewer && !ended,
    showPresence: editor,
  }
}
