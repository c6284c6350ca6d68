// The replay's timeline as plain data: its span, the marks on it, the people who typed and
// their colours, interview-time formatting and the `?t=` deep link. No DOM, no Monaco.

import { PALETTE } from '../identity'
import { describeEvent, formatSpan } from '../activity/wording'
import type { AttributedSpan, ReplayAuthor, ReplayData, ReplayEvent } from './steps'

/** Events shown as marks on the timeline (the rest are listed, not marked). */
export const MARK_KINDS: ReadonlySet<string> = new Set(['run', 'language', 'paste', 'blur', 'join', 'leave', 'end', 'reopen'])

export interface TimelineSpan {
  /** ms since the epoch */
  start: number
  end: number
}

function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null
  const time = Date.parse(iso)
  return Number.isNaN(time) ? null : time
}

/**
 * From the session's start to the last thing that happened (its end, a step or an event).
 * `stepTimes`: each logged step's time, oldest first.
 */
export function timelineSpan(data: Pick<ReplayData, 'started_at' | 'ended_at' | 'events'>, stepTimes: ArrayLike<number>): TimelineSpan {
  const first = stepTimes.length ? stepTimes[0] : undefined
  const times = [parseTime(data.started_at), first].filter((t): t is number => t !== null && t !== undefined)
  const start = times.length ? Math.min(...times) : 0
  let end = start
  if (stepTimes.length) end = Math.max(end, stepTimes[stepTimes.length - 1])
  for (const event of data.events) end = Math.max(end, parseTime(event.at) ?? end)
  const ended = parseTime(data.ended_at)
  if (ended !== null) end = Math.max(end, ended)
  return { start, end }
}

/** Interview time: `4:07`, `1:02:09` (hours only when needed). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor((Number.isFinite(ms) ? ms : 0) / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}

/** Clock time with seconds, in the reader's locale. */
export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

/** `?t=` of a deep link: seconds since the start (`95`, `95.5`, `1:35`, `1:01:35`); null if absent or bad. */
export function parseDeepLinkTime(search: string): number | null {
  const raw = new URLSearchParams(search).get('t')
  if (raw === null || raw.trim() === '') return null
  const parts = raw.trim().split(':')
  if (parts.length > 3 || parts.some((part) => !/^\d+(\.\d+)?$/.test(part))) return null
  const seconds = parts.reduce((total, part) => total * 60 + Number(part), 0)
  return Number.isFinite(seconds) ? seconds : null
}

/** The search string with `t` set to whole seconds since the start (other parameters kept). */
export function searchWithTime(search: string, seconds: number): string {
  const params = new URLSearchParams(search)
  params.set('t', String(Math.max(0, Math.floor(seconds))))
  return `?${params.toString()}`
}

export interface TimelineMark {
  key: string
  kind: string
  event: ReplayEvent
  /** ms since the epoch */
  at: number
  /** 0..1 along the timeline */
  fraction: number
  label: string
}

/**
 * The marks to draw, oldest first. A focus loss's label says how long the page was away
 * (from the matching `focus` of the same connection).
 */
export function timelineMarks(events: readonly ReplayEvent[], span: TimelineSpan): TimelineMark[] {
  const length = Math.max(1, span.end - span.start)
  const marks: TimelineMark[] = []
  events.forEach((event, index) => {
    if (!MARK_KINDS.has(event.kind)) return
    const at = parseTime(event.at)
    if (at === null) return
    let label = describeEvent(event)
    if (event.kind === 'blur') {
      const back = events.slice(index + 1).find((e) => e.kind === 'focus' && e.connection === event.connection)
      const away = back?.data?.away_ms
      if (typeof away === 'number') label += ` (back after ${formatSpan(away)})`
    }
    marks.push({
      key: `${event.id}-${index}`,
      kind: event.kind,
      event,
      at,
      fraction: Math.min(1, Math.max(0, (at - span.start) / length)),
      label,
    })
  })
  return marks
}

export interface ReplayPerson {
  key: string
  name: string
  role: string
  color: string
}

/** One person per name and role (several connections of one person are one colour). */
export function personKey(author: ReplayAuthor): string {
  return author.client === 'server' && !author.name ? 'server' : `${author.role}\u0000${author.name}`
}

// What the server names a REST caller that has no display name: how it proved its role.
const API_PRINCIPAL = /^(key|link|api|user:\d+)$/

export function personName(author: ReplayAuthor): string {
  if (author.client === 'server' && !author.name) return 'the server'
  if (author.client === 'api' && (!author.name || API_PRINCIPAL.test(author.name))) {
    return `${author.role ? `the ${author.role}` : 'someone'} (through the API)`
  }
  return author.name || (author.role ? `an unnamed ${author.role}` : 'someone')
}

const ROLE_ORDER: Record<string, number> = { candidate: 0, interviewer: 1 }

/** The people who made the log's steps, candidates first, each with a colour of their own. */
export function replayPeople(authors: readonly ReplayAuthor[]): { people: ReplayPerson[]; byAuthor: number[] } {
  const people: ReplayPerson[] = []
  const seen = new Map<string, ReplayPerson>()
  const ordered = authors
    .map((author, index) => ({ author, index }))
    .sort((a, b) => (ROLE_ORDER[a.author.role] ?? 2) - (ROLE_ORDER[b.author.role] ?? 2) || a.index - b.index)
  for (const { author } of ordered) {
    const key = personKey(author)
    if (seen.has(key)) continue
    const name = personName(author)
    // The role beside a name; a name made up from the role already says it.
    const person = { key, name, role: name === author.name ? author.role : '', color: PALETTE[people.length % PALETTE.length] }
    seen.set(key, person)
    people.push(person)
  }
  const index = new Map(people.map((person, i) => [person.key, i]))
  return { people, byAuthor: authors.map((author) => index.get(personKey(author)) ?? 0) }
}

/** A stretch of the code (offsets into it) made by one step. */
export interface OffsetSpan {
  start: number
  end: number
  step: number
}

/** Spans laid end to end as offsets into the code. */
export function spanOffsets(spans: readonly AttributedSpan[]): OffsetSpan[] {
  const result: OffsetSpan[] = []
  let offset = 0
  for (const span of spans) {
    result.push({ start: offset, end: offset + span.text.length, step: span.step })
    offset += span.text.length
  }
  return result
}

/** The span holding the character at `offset` (binary search); null past the end. */
export function spanAt(spans: readonly OffsetSpan[], offset: number): OffsetSpan | null {
  let low = 0
  let high = spans.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const span = spans[mid]
    if (offset < span.start) high = mid - 1
    else if (offset >= span.end) low = mid + 1
    else return span
  }
  return null
}

/** A stretch of the code (offsets) typed by one person (an index into the people). */
export interface PersonRun {
  start: number
  end: number
  person: number
}

/** Neighbouring spans of the same person joined: what gets one colour in the editor. */
export function personRuns(spans: readonly OffsetSpan[], personOfStep: (step: number) => number): PersonRun[] {
  const runs: PersonRun[] = []
  for (const span of spans) {
    if (span.end === span.start) continue
    const person = personOfStep(span.step)
    const last = runs[runs.length - 1]
    if (last && last.person === person && last.end === span.start) last.end = span.end
    else runs.push({ start: span.start, end: span.end, person })
  }
  return runs
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff

/** The smallest edit turning `before` into `after`: [start, end of the replaced part in before, inserted text]. */
export function minimalEdit(before: string, after: string): { start: number; end: number; text: string } | null {
  if (before === after) return null
  let start = 0
  const shorter = Math.min(before.length, after.length)
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++
  // Never split a surrogate pair: the editor counts UTF-16 units but shows characters.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--
  let endBefore = before.length
  let endAfter = after.length
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--
    endAfter--
  }
  if (endBefore < before.length && endBefore > start && isHighSurrogate(before.charCodeAt(endBefore - 1))) {
    endBefore++
    endAfter++
  }
  return { start, end: endBefore, text: after.slice(start, endAfter) }
}
