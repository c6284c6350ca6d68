// A session's shared documents and their connections to the server: each a Yjs doc synced
// by the stock y-websocket provider (collab/provider.ts), plus this person's awareness.
//
// - the pad, room `<sessionId>`: Text("code"), Map("meta"), Array("runs"), for everyone;
// - the interviewers' notes, room `<sessionId>/notes`: Text("notes"), interviewers only
//   (the server closes anyone else with 4403; the page never opens it for them).

import * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { Awareness } from 'y-protocols/awareness'
import { loadBrowserId, pickColor } from '../identity'
import { participantsFromStates, takenColors, type PadUser } from '../presence'
import { openProvider } from './provider'
import type { ServerEvent, ServerNotice } from './serverNotices'

/** What the pad's and the notes' connections have in common. */
export interface DocConnection {
  sessionId: string
  doc: Y.Doc
  provider: WebsocketProvider
  /** Publish this person's name and colour; null hides them (e.g. after a refused name). */
  setUser(user: PadUser | null): void
  destroy(): void
}

export interface PadConnection extends DocConnection {
  /** Shared types, as agreed with the server (DESIGN.md). */
  code: Y.Text
  meta: Y.Map<unknown>
  runs: Y.Array<unknown>
  /** Listen to the interview's timeline events, live (the server sends them to interviewers only). */
  onServerEvent(listener: (event: ServerEvent) => void): () => void
}

export interface NotesConnection extends DocConnection {
  notes: Y.Text
}

// After the first sync, how long to wait for others' awareness before settling our colour.
const COLOR_SETTLE_MS = 400

function connect(
  room: string,
  sessionId: string,
  user: PadUser | null,
  onNotice: (notice: ServerNotice) => void,
  onEvent?: (event: ServerEvent) => void,
): DocConnection {
  const doc = new Y.Doc()
  const awareness = new Awareness(doc)
  // Set before the socket opens. A silent watcher (null: an observer) has no state, and its
  // socket sends no awareness at all (not even the provider's echoes of others' states).
  // Every tab of this browser publishes the same `browser` id: one person, listed once.
  const browser = loadBrowserId()
  const withBrowser = (value: PadUser): PadUser => ({ ...value, browser })
  let currentUser = user && withBrowser(user)
  awareness.setLocalState(currentUser ? { user: currentUser } : null)
  // The pad's socket also asks for the server's people list (collab/presenceFrames.ts).
  const params = room === sessionId ? { presence: '1' } : undefined
  const { provider, destroy } = openProvider(room, doc, awareness, onNotice, { silent: user === null, onEvent, params })

  // Newcomers avoid a colour someone in the session already has, once, after first sync.
  let colorSettled = false
  let settleTimer: ReturnType<typeof setTimeout> | undefined
  const settleColor = () => {
    if (colorSettled || !currentUser) return
    colorSettled = true
    // (Our other tabs keep the colour we share with them.)
    const states = awareness.getStates()
    const others = participantsFromStates(states, doc.clientID).filter(
      (other) => (states.get(other.clientId)?.user as { browser?: unknown } | undefined)?.browser !== browser,
    )
    const color = pickColor(currentUser.color, takenColors(others))
    if (color !== currentUser.color) {
      currentUser = { ...currentUser, color }
      awareness.setLocalStateField('user', currentUser)
    }
  }
  const onSync = (synced: boolean) => {
    if (synced && !colorSettled && settleTimer === undefined) settleTimer = setTimeout(settleColor, COLOR_SETTLE_MS)
  }
  provider.on('sync', onSync)

  return {
    sessionId,
    doc,
    provider,
    setUser(next: PadUser | null) {
      next = next && withBrowser(next)
      currentUser = next
      if (!next) awareness.setLocalState(null)
      else if (awareness.getLocalState() === null) awareness.setLocalState({ user: next })
      else awareness.setLocalStateField('user', next)
    },
    destroy() {
      clearTimeout(settleTimer)
      provider.off('sync', onSync)
      destroy()
      awareness.destroy()
      doc.destroy()
    },
  }
}

/** The pad of a session. `user` null: watch without being shown (observers). */
export function connectPad(sessionId: string, user: PadUser | null, onNotice: (notice: ServerNotice) => void): PadConnection {
  const listeners = new Set<(event: ServerEvent) => void>()
  const connection = connect(sessionId, sessionId, user, onNotice, (event) => listeners.forEach((listener) => listener(event)))
  const { doc } = connection
  return {
    ...connection,
    code: doc.getText('code'),
    meta: doc.getMap('meta'),
    runs: doc.getArray('runs'),
    onServerEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** The interviewers' private notes of a session (interviewers only). */
export function connectNotes(sessionId: string, user: PadUser, onNotice: (notice: ServerNotice) => void): NotesConnection {
  const connection = connect(`${sessionId}/notes`, sessionId, user, onNotice)
  return { ...connection, notes: connection.doc.getText('notes') }
}
