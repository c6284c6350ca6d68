// A stock y-websocket provider for one of a session's documents (`/ws/yjs/<room>`), with
// what every one of them needs here: the server's text frames taken out (serverNotices.ts),
// cross-tab sync off, a periodic resync, and an honest offline state.

import type * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import type { Awareness } from 'y-protocols/awareness'
import { yjsServerUrl } from '../api'
import { noticeFilteringWebSocket, type FilterOptions, type ServerNotice } from './serverNotices'

// How often to re-send sync step 1 on an open socket: if an update was ever dropped on the
// way, the server's answer heals this replica without a reconnect. (It also keeps a silent
// observer's socket receiving, so the provider never takes it for dead.)
const RESYNC_INTERVAL_MS = 15_000

export interface OpenedProvider {
  provider: WebsocketProvider
  destroy(): void
}

export function openProvider(
  room: string,
  doc: Y.Doc,
  awareness: Awareness,
  onNotice: (notice: ServerNotice) => void,
  options: FilterOptions & { params?: Record<string, string> } = {},
): OpenedProvider {
  const provider = new WebsocketProvider(yjsServerUrl(location), room, doc, {
    awareness,
    // Tabs of one browser sync through the server like everyone else, not behind its back.
    disableBc: true,
    resyncInterval: RESYNC_INTERVAL_MS,
    params: options.params,
    WebSocketPolyfill: noticeFilteringWebSocket(WebSocket, onNotice, options),
  })

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
    provider,
    destroy() {
      window.removeEventListener('offline', onOffline)
      window.removeEventListener('online', onOnline)
      // Leaving on purpose: a normal close, so the server drops our seat at once instead of
      // keeping it as "reconnecting" for its grace period (as it does for a lost network).
      provider.ws?.close(1000, 'left')
      provider.destroy()
    },
  }
}

/**
 * Send one of this pad's own binary frames (activity signals, server runs) on the provider's
 * socket, if it is open now; false when it is not (nothing is queued for later).
 */
export function sendFrame(provider: WebsocketProvider, frame: Uint8Array): boolean {
  const socket = provider.ws
  if (!provider.wsconnected || !socket || socket.readyState !== WebSocket.OPEN) return false
  try {
    socket.send(frame as Uint8Array<ArrayBuffer>)
    return true
  } catch {
    return false
  }
}
