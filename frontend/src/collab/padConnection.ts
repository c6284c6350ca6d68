// One session's shared document and its connection to the server: a Yjs doc synced by the
// stock y-websocket provider with `/ws/yjs/<sessionId>`, plus this person's awareness.

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { yjsServerUrl } from '../api'
import { pickColor } from '../identity'
import { participantsFromStates, takenColors, type PadUser } from '../presence'

export interface PadConnection {
  sessionId: string
  doc: Y.Doc
  provider: WebsocketProvider
  /** Shared types, as agreed with the server (DESIGN.md). */
  code: Y.Text
  meta: Y.Map<unknown>
  runs: Y.Array<unknown>
  setUser(user: PadUser): void
  destroy(): void
}

// How often to re-send sync step 1 on an open socket: if an update was ever dropped on the
// way, the server's answer heals this replica without a reconnect.
const RESYNC_INTERVAL_MS = 15_000
// After the first sync, how long to wait for others' awareness before settling our colour.
const COLOR_SETTLE_MS = 400

export function connectPad(sessionId: string, user: PadUser): PadConnection {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(yjsServerUrl(location), sessionId, doc, {
    // Tabs of one browser sync through the server like everyone else, not behind its back.
    disableBc: true,
    resyncInterval: RESYNC_INTERVAL_MS,
  })
  const awareness = provider.awareness
  let currentUser = user
  awareness.setLocalStateField('user', currentUser)

  // Newcomers avoid a colour someone in the session already has, once, after first sync.
  let colorSettled = false
  let settleTimer: ReturnType<typeof setTimeout> | undefined
  const settleColor = () => {
    if (colorSettled) return
    colorSettled = true
    const others = participantsFromStates(awareness.getStates(), doc.clientID)
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

  // When the browser reports the network gone, stop the socket ourselves so the indicator
  // is honest and edits queue in the doc; on return, reconnect and the sync handshake
  // merges both ways. We never refuse to connect just because navigator.onLine is false
  // (a closed network may show as offline yet reach this server).
  let pausedForOffline = false
  const onOffline = () => {
    if (provider.shouldConnect) {
      pausedForOffline = true
      provider.disconnect()
    }
  }
  const onOnline = () => {
    if (pausedForOffline) {
      pausedForOffline = false
      provider.connect()
    }
  }
  window.addEventListener('offline', onOffline)
  window.addEventListener('online', onOnline)

  return {
    sessionId,
    doc,
    provider,
    code: doc.getText('code'),
    meta: doc.getMap('meta'),
    runs: doc.getArray('runs'),
    setUser(next: PadUser) {
      currentUser = next
      awareness.setLocalStateField('user', currentUser)
    },
    destroy() {
      clearTimeout(settleTimer)
      window.removeEventListener('offline', onOffline)
      window.removeEventListener('online', onOnline)
      provider.off('sync', onSync)
      provider.destroy()
      doc.destroy()
    },
  }
}
