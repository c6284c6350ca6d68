// The connection indicator's state, reduced from the provider's status events and the
// browser's idea of being online.

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline'
/** What y-websocket's `status` event reports. */
export type ProviderStatus = 'connected' | 'connecting' | 'disconnected'

export interface ConnectionInputs {
  providerStatus: ProviderStatus
  /** navigator.onLine */
  online: boolean
  /** false once the provider stopped trying (we went offline, or the server refused for good). */
  shouldConnect: boolean
  /** Whether this page was ever connected: before that it is connecting, not reconnecting. */
  everConnected?: boolean
}

export function connectionStatus({ providerStatus, online, shouldConnect, everConnected = true }: ConnectionInputs): ConnectionStatus {
  // A live socket is the truth even if the browser thinks it has no network (loopback only).
  if (providerStatus === 'connected') return 'connected'
  if (!online || !shouldConnect) return 'offline'
  // "Reconnecting" only once a connection was lost; before the first one it is connecting.
  return everConnected ? 'reconnecting' : 'connecting'
}

export const CONNECTION_LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting to the session…',
  connected: 'Connected: edits are shared live',
  reconnecting: 'Reconnecting: your edits are kept and will be sent',
  offline: 'Offline: your edits are kept and will be sent when you are back online',
}
