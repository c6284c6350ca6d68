// Elapsed interview time: counted from the first time a candidate joined (issue 14).
//
// Where that moment comes from, best first: the server's own note of it (`started_at` in
// the session's REST answer or in the document's `meta`, should the server provide it),
// the interview's timeline (the first candidate `join` event: interviewers and observers
// may read it), else the first time this browser saw a candidate in the session (kept in
// localStorage, so a reload keeps counting from the same moment).

import { browserStore, readString, writeString, type KeyValueStore } from './storage'

/** `0:07`, `12:05`, `1:02:03`. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}

/** "12 minutes 5 seconds", for screen readers. */
export function spokenElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const parts: string[] = []
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  if (hours) parts.push(`${hours} hour${hours === 1 ? '' : 's'}`)
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`)
  if (!hours) parts.push(`${seconds} second${seconds === 1 ? '' : 's'}`)
  return parts.join(' ')
}

/** A valid time (ms since the epoch) from an ISO string, else null. */
export function parseTime(value: unknown): number | null {
  if (typeof value !== 'string' || !value) return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}

export interface JoinEvent {
  kind: string
  role: string
  at: string
}

/** The first candidate `join` of a timeline, or null. */
export function firstCandidateJoin(events: readonly JoinEvent[]): number | null {
  let first: number | null = null
  for (const event of events) {
    if (event.kind !== 'join' || event.role !== 'candidate') continue
    const at = parseTime(event.at)
    if (at !== null && (first === null || at < first)) first = at
  }
  return first
}

const seenKey = (sessionId: string) => `pad.candidateSeen.${sessionId}`

/** When this browser first saw a candidate in the session (ms), if it has. */
export function loadCandidateSeen(sessionId: string, store: KeyValueStore = browserStore()): number | null {
  const value = Number(readString(store, seenKey(sessionId)))
  return Number.isFinite(value) && value > 0 ? value : null
}

/** Note that a candidate is here now, unless an earlier moment is noted; returns the moment. */
export function noteCandidateSeen(sessionId: string, now: number, store: KeyValueStore = browserStore()): number {
  const known = loadCandidateSeen(sessionId, store)
  if (known !== null && known <= now) return known
  writeString(store, seenKey(sessionId), String(now))
  return now
}
