// Events of the interview's timeline in words, for the interviewers' live list and the replay.
// They are facts, worded neutrally: what happened, to whom, for how long; never a verdict.

import { languageLabel } from '../languages'

export interface TimelineEventLike {
  kind: string
  name?: string
  role?: string
  connection?: string
  data?: Record<string, unknown> | null
}

// What the server names a REST caller that has no display name: how it proved its role
// ("key", "link", "user:<id>", "api"). Such an event has no connection.
const API_PRINCIPAL = /^(key|link|api|user:\d+)$/

/** `20 s`, `2 min 05 s`, `1 h 03 min`. */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.round((Number.isFinite(ms) ? ms : 0) / 1000))
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

/** Who did it: the name, else the role ("the candidate"), else the server. */
export function actor(event: TimelineEventLike): string {
  if (event.name && !(event.connection === '' && API_PRINCIPAL.test(event.name))) return event.name
  if (event.role) return `the ${event.role}`
  return 'the server'
}

function capitalized(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}’` : `${name}’s`
}

const RUN_STATUS: Record<string, string> = { ok: 'ok', error: 'error', timeout: 'timed out', stopped: 'stopped' }

function number(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** One line for an event: "Ada pasted 240 characters", "Ada’s window lost focus", … */
export function describeEvent(event: TimelineEventLike): string {
  const who = actor(event)
  const data = event.data ?? {}
  switch (event.kind) {
    case 'join':
      return typeof data.renamed_from === 'string' && data.renamed_from
        ? `${capitalized(data.renamed_from)} is now called ${who}`
        : `${capitalized(who)} joined`
    case 'leave':
      return `${capitalized(who)} left`
    case 'run': {
      const language = typeof data.language === 'string' && data.language ? ` ${languageLabel(data.language)}` : ''
      const status = typeof data.status === 'string' ? RUN_STATUS[data.status] ?? data.status : ''
      return `${capitalized(who)} ran${language || ' the code'}${status ? `: ${status}` : ''}`
    }
    case 'language':
      return `${capitalized(who)} switched the language to ${languageLabel(typeof data.language === 'string' ? data.language : '')}`
    case 'end':
      return `${capitalized(who)} ended the interview`
    case 'reopen':
      return `${capitalized(who)} reopened the interview`
    case 'paste': {
      const chars = number(data.chars) ?? (typeof data.text === 'string' ? data.text.length : 0)
      return `${capitalized(who)} pasted ${chars.toLocaleString('en')} character${chars === 1 ? '' : 's'}`
    }
    case 'blur':
      return `${capitalized(possessive(who))} window lost focus`
    case 'focus': {
      const away = number(data.away_ms)
      return away === null ? `${capitalized(who)} is back` : `${capitalized(who)} is back after ${formatSpan(away)}`
    }
    case 'idle': {
      const idle = number(data.idle_ms)
      return `No typing or pointer activity from ${who}${idle === null ? '' : ` for ${formatSpan(idle)}`}`
    }
    default:
      return `${capitalized(who)}: ${event.kind}`
  }
}

/** Kinds that are the candidate's activity signals (as opposed to the interview's other events). */
export const ACTIVITY_KINDS: ReadonlySet<string> = new Set(['paste', 'blur', 'focus', 'idle'])
