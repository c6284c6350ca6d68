// Clear, for someone who may not clear the shared output (a candidate, an observer, anyone
// once the interview has ended): the runs are hidden in this browser only, by id, and stay
// in the session for everyone else. Remembered per session in localStorage, capped.

import { browserStore, readJson, writeJson, type KeyValueStore } from '../storage'
import { MAX_RUNS } from './runs'

export const HIDDEN_RUNS_KEY = 'pad.hiddenRuns'
/** Sessions remembered; the oldest are forgotten first. */
export const MAX_HIDDEN_SESSIONS = 20
/** Ids kept per session: the server never keeps more runs than this. */
export const MAX_HIDDEN_PER_SESSION = MAX_RUNS * 2

type HiddenBySession = Record<string, string[]>

function readAll(store: KeyValueStore): HiddenBySession {
  const raw = readJson<unknown>(store, HIDDEN_RUNS_KEY, {})
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {}
  const result: HiddenBySession = {}
  for (const [id, ids] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(ids)) result[id] = ids.filter((x): x is string => typeof x === 'string')
  }
  return result
}

export function loadHiddenRuns(sessionId: string, store: KeyValueStore = browserStore()): ReadonlySet<string> {
  return new Set(readAll(store)[sessionId] ?? [])
}

/** Hide every run in `runs` (adding to what was hidden); returns the new set and remembers it. */
export function hideRuns(
  sessionId: string,
  hidden: ReadonlySet<string>,
  runs: readonly { id: string }[],
  store: KeyValueStore = browserStore(),
): ReadonlySet<string> {
  const ids = [...hidden, ...runs.map((r) => r.id).filter((id) => !hidden.has(id))].slice(-MAX_HIDDEN_PER_SESSION)
  const all = readAll(store)
  delete all[sessionId] // re-inserted last: the most recently used session
  all[sessionId] = ids
  const sessions = Object.keys(all)
  for (const old of sessions.slice(0, Math.max(0, sessions.length - MAX_HIDDEN_SESSIONS))) delete all[old]
  writeJson(store, HIDDEN_RUNS_KEY, all)
  return new Set(ids)
}

/** The runs still shown: those not hidden here. Keeps the array itself when nothing is hidden. */
export function visibleRuns<T extends { id: string }>(runs: T[], hidden: ReadonlySet<string>): T[] {
  if (hidden.size === 0) return runs
  const shown = runs.filter((run) => !hidden.has(run.id))
  return shown.length === runs.length ? runs : shown
}
