// The people list as the server sees it. The pad's own socket asks for it
// (`/ws/yjs/<id>?presence=1`) and then gets TEXT frames
// `{"type":"presence","connected_users":N,"participants":[{name, color, role, client,
// status: "online"|"reconnecting", awareness: [yjs client ids], browser}]}` whenever someone
// comes, goes, drops or is renamed. Unlike awareness alone, it says who is reconnecting (a
// dropped connection keeps its seat for a grace period) and counts JSON-socket clients.
//
// The stock provider's `onmessage` never sees text frames (serverNotices.ts filters them);
// this listens beside it, with `addEventListener`, on each socket the provider opens.

import type { WebsocketProvider } from 'y-websocket'
import { parseTextFrame, text } from './serverNotices'

export type PresenceStatus = 'online' | 'reconnecting'

export interface PresenceEntry {
  name: string
  color: string
  role: string
  /** "yjs" or "json" */
  client: string
  status: PresenceStatus
  /** The Yjs awareness client ids this connection shows under. */
  awareness: number[]
  /** The per-browser id its page published (tabs of one browser share it), or ''. */
  browser: string
}

export interface PresenceFrame {
  connectedUsers: number
  participants: PresenceEntry[]
}

const MAX_ENTRIES = 500

/** A server text frame as a people list; null when it is not a `presence` frame. */
export function parsePresenceFrame(data: string): PresenceFrame | null {
  const frame = parseTextFrame(data)
  if (!frame) return null
  if (frame.type !== 'presence' || !Array.isArray(frame.participants)) return null
  const participants: PresenceEntry[] = []
  for (const raw of frame.participants.slice(0, MAX_ENTRIES)) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue
    const entry = raw as Record<string, unknown>
    const ids = Array.isArray(entry.awareness) ? entry.awareness.filter((id): id is number => Number.isSafeInteger(id)) : []
    participants.push({
      name: text(entry.name, 80),
      color: text(entry.color, 40),
      role: text(entry.role, 20),
      client: text(entry.client, 10),
      status: entry.status === 'reconnecting' ? 'reconnecting' : 'online',
      awareness: ids.slice(0, 8),
      browser: text(entry.browser, 40),
    })
  }
  const count = typeof frame.connected_users === 'number' && Number.isFinite(frame.connected_users) ? frame.connected_users : participants.length
  return { connectedUsers: count, participants }
}

/**
 * Call `listener` with each presence frame the provider's sockets receive, and with null
 * when a socket closes (its list is stale until the next connection sends a new one).
 * Returns the unsubscribe function.
 */
export function watchPresence(provider: WebsocketProvider, listener: (frame: PresenceFrame | null) => void): () => void {
  let watched: WebSocket | null = null
  const onMessage = (event: MessageEvent) => {
    if (typeof event.data !== 'string') return
    const frame = parsePresenceFrame(event.data)
    if (frame) listener(frame)
  }
  const attach = () => {
    const ws = provider.ws
    if (ws === watched) return
    watched?.removeEventListener('message', onMessage)
    watched = ws
    ws?.addEventListener('message', onMessage)
  }
  const onStatus = ({ status }: { status: string }) => {
    if (status !== 'connected') listener(null)
    attach()
  }
  attach() // the provider opened its first socket in its constructor, before we could listen
  provider.on('status', onStatus)
  return () => {
    provider.off('status', onStatus)
    watched?.removeEventListener('message', onMessage)
    watched = null
  }
}
