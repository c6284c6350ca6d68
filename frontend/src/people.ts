// The people list of the session page: one entry per person, not per connection. A person
// with the pad open in two tabs (one browser: the same `browser` id in their awareness
// `user`) is listed once, "2 tabs"; a person whose connection dropped is "reconnecting"
// until the server's grace period ends. Pure functions over plain data (unit-tested).

import { isRole, type Role } from './authority'
import type { PresenceEntry, PresenceStatus } from './collab/presenceFrames'
import { participantsFromStates, safeColor, type AwarenessState } from './presence'

export interface Person {
  /** Stable React key. */
  key: string
  /** The awareness client id to show and follow (an online tab's), or null (a JSON client). */
  clientId: number | null
  /** Every awareness client id of this person (all tabs). */
  clientIds: number[]
  name: string
  color: string
  role: Role | null
  isSelf: boolean
  status: PresenceStatus
  /** Open connections (tabs) of this person; more than one shows "N tabs". */
  tabs: number
}

/** The local person as this page publishes it (its awareness `user`). */
export interface LocalUser {
  name: string
  color: string
  role: Role | null
}

const ROLE_ORDER: Record<string, number> = { interviewer: 0, candidate: 1, observer: 2 }

function byOrder(a: Person, b: Person): number {
  return (
    Number(b.isSelf) - Number(a.isSelf) ||
    (ROLE_ORDER[a.role ?? ''] ?? 3) - (ROLE_ORDER[b.role ?? ''] ?? 3) ||
    a.name.localeCompare(b.name) ||
    (a.clientId ?? Number.MAX_SAFE_INTEGER) - (b.clientId ?? Number.MAX_SAFE_INTEGER)
  )
}

interface Connection {
  ids: number[]
  name: string
  color: string
  role: Role | null
  status: PresenceStatus
  browser: string
}

/** Connections of one person grouped: tabs of one browser under one role are one person. */
function group(connections: Connection[], selfId: number, local: LocalUser | null): Person[] {
  const groups = new Map<string, Connection[]>()
  connections.forEach((connection, index) => {
    const key = connection.browser ? `b:${connection.browser}:${connection.role ?? ''}` : `c:${connection.ids[0] ?? `x${index}`}`
    const list = groups.get(key)
    if (list) list.push(connection)
    else groups.set(key, [connection])
  })
  const people: Person[] = []
  for (const [key, members] of groups) {
    const online = members.filter((member) => member.status === 'online')
    const self = members.find((member) => member.ids.includes(selfId))
    const shown = self ?? online[0] ?? members[0]
    const clientIds = [...online, ...members.filter((member) => member.status !== 'online')].flatMap((member) => member.ids)
    const isSelf = self !== undefined
    people.push({
      key,
      clientId: isSelf ? selfId : (clientIds[0] ?? null),
      clientIds,
      name: isSelf && local ? local.name : shown.name,
      color: isSelf && local ? local.color : shown.color,
      role: shown.role,
      isSelf,
      status: online.length > 0 ? 'online' : 'reconnecting',
      tabs: Math.max(1, online.length),
    })
  }
  return people.sort(byOrder)
}

function roleOf(value: unknown): Role | null {
  return isRole(value) ? value : null
}

/**
 * The people list from the server's presence frame. Observers are never listed (nobody is
 * shown an observer); a Yjs connection that has not published a state yet is not a person
 * yet. Our own entry is added from `local` while the server has not listed it yet.
 */
export function peopleFromPresence(entries: readonly PresenceEntry[], selfId: number, local: LocalUser | null, localBrowser = ''): Person[] {
  const connections: Connection[] = []
  entries.forEach((entry, index) => {
    const role = roleOf(entry.role)
    if (role === 'observer') return
    if (entry.client === 'yjs' && entry.awareness.length === 0) return
    connections.push({
      ids: entry.awareness,
      name: entry.name.trim() || 'Anonymous',
      color: safeColor(entry.color, entry.awareness[0] ?? `${entry.name}${index}`),
      role,
      status: entry.status,
      browser: entry.browser,
    })
  })
  if (local && !connections.some((connection) => connection.ids.includes(selfId))) {
    connections.push({ ids: [selfId], name: local.name, color: local.color, role: local.role, status: 'online', browser: localBrowser })
  }
  return group(connections, selfId, local)
}

/** The people list from awareness states alone (before the first presence frame, or offline). */
export function peopleFromAwareness(states: ReadonlyMap<number, AwarenessState>, selfId: number): Person[] {
  const connections: Connection[] = participantsFromStates(states, selfId)
    .filter((participant) => participant.role !== 'observer')
    .map((participant) => {
      const user = states.get(participant.clientId)?.user as { browser?: unknown } | undefined
      return {
        ids: [participant.clientId],
        name: participant.name,
        color: participant.color,
        role: participant.role,
        status: 'online' as const,
        browser: typeof user?.browser === 'string' ? user.browser : '',
      }
    })
  return group(connections, selfId, null)
}

/** "2 tabs", or '' for one. */
export function tabsLabel(tabs: number): string {
  return tabs > 1 ? `${tabs} tabs` : ''
}
