// Presence: turning awareness states into the participant list and into the CSS that
// colours each remote cursor. Pure functions over plain data, so they are unit-tested.

import { isRole, type Role } from './authority'
import { colorForSeed } from './identity'

/**
 * What each client publishes in its awareness state under the `user` field. The server
 * validates the name and colour and overwrites `role` with the connection's real role.
 */
export interface PadUser {
  name: string
  color: string
  role: Role
  /** This browser's random id (identity.ts): its tabs are one person in the people list. */
  browser?: string
}

export interface Participant {
  clientId: number
  name: string
  color: string
  /** null when the state carries no role we know (e.g. a script on the JSON socket). */
  role: Role | null
  isSelf: boolean
}

/** An awareness state as received: anything may be missing or malformed. */
export type AwarenessState = Record<string, unknown>

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i
const FUNC_COLOR = /^(?:rgb|rgba|hsl|hsla)\(\s*[\d.%\s,/+-]+\)$/i

/** A colour that is safe to put in a stylesheet, else the seed's palette colour. */
export function safeColor(color: unknown, seed: string | number): string {
  if (typeof color === 'string') {
    const c = color.trim()
    if (HEX_COLOR.test(c) || FUNC_COLOR.test(c)) return c
  }
  return colorForSeed(seed)
}

function expandHex(hex: string): string | null {
  if (!HEX_COLOR.test(hex)) return null
  let h = hex.slice(1)
  if (h.length === 3 || h.length === 4) h = h.split('').map((c) => c + c).join('')
  return h.slice(0, 6).toLowerCase()
}

/** The colour at the given opacity, for selection backgrounds. */
export function withAlpha(color: string, alpha: number): string {
  const hex = expandHex(color)
  if (hex) {
    const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
    return `#${hex}${a.toString(16).padStart(2, '0')}`
  }
  return `color-mix(in srgb, ${color} ${Math.round(alpha * 100)}%, transparent)`
}

/** Black or white, whichever reads better on the given background colour. */
export function readableTextColor(background: string): '#000000' | '#ffffff' {
  const hex = expandHex(background)
  if (!hex) return '#ffffff'
  const channel = (i: number) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  }
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
  // Contrast against white vs. against black; pick the larger.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#000000'
}

function normalizeRole(role: unknown): Role | null {
  return isRole(role) ? role : null
}

/** The participant a state describes, or null when it has no usable `user`. */
export function participantFromState(clientId: number, state: AwarenessState | null | undefined, selfId: number): Participant | null {
  const user = state?.user as Partial<Record<keyof PadUser, unknown>> | undefined
  if (!user || typeof user !== 'object') return null
  const name = typeof user.name === 'string' ? user.name.trim() : ''
  return {
    clientId,
    name: name || 'Anonymous',
    color: safeColor(user.color, clientId),
    role: normalizeRole(user.role),
    isSelf: clientId === selfId,
  }
}

const ROLE_ORDER: Record<string, number> = { interviewer: 0, candidate: 1, observer: 2 }

/** Everyone with a `user` field: yourself first, then interviewers, then by name. */
export function participantsFromStates(
  states: ReadonlyMap<number, AwarenessState>,
  selfId: number,
): Participant[] {
  const list: Participant[] = []
  states.forEach((state, clientId) => {
    const p = participantFromState(clientId, state, selfId)
    if (p) list.push(p)
  })
  return list.sort(
    (a, b) =>
      Number(b.isSelf) - Number(a.isSelf) ||
      (ROLE_ORDER[a.role ?? ''] ?? 3) - (ROLE_ORDER[b.role ?? ''] ?? 3) ||
      a.name.localeCompare(b.name) ||
      a.clientId - b.clientId,
  )
}

/** Colours other participants use: a newcomer avoids them. */
export function takenColors(participants: readonly Participant[]): string[] {
  return participants.filter((p) => !p.isSelf).map((p) => p.color)
}

/**
 * The stylesheet y-monaco needs to show remote selections: it only adds the classes
 * `yRemoteSelection(-<clientID>)` and `yRemoteSelectionHead(-<clientID>)`; the colours are ours.
 */
export function remoteCursorCss(participants: readonly Participant[]): string {
  return participants
    .filter((p) => !p.isSelf && Number.isSafeInteger(p.clientId))
    .map(
      (p) =>
        `.yRemoteSelection-${p.clientId}{background-color:${withAlpha(p.color, 0.28)}}` +
        `.yRemoteSelectionHead-${p.clientId}{border-color:${p.color}}`,
    )
    .join('\n')
}
