// The connection indicator's state, reduced from the provider's status events and the
// browser's idea of being online.

export type ConnectionStatus = 'connected' | 'reconnecting' | 'offline'
/** What y-websocket's `status` event reports. */
export type ProviderStatus = 'connected' | 'connecting' | 'disconnected'

export interface ConnectionInputs {
  providerStatus: ProviderStatus
  /** navigator.onLine */
  online: boolean
  /** false once the provider stopped trying (we went offline, or the server refused for good). */
  shouldConnect: boolean
}

export function connectionStatus({ providerStatus, online, shouldConnect }: ConnectionInputs): ConnectionStatus {
  // A live socket is the truth even if the browser thinks it has no network (loopback only).
  if (providerStatus === 'connected') return 'connected'
  if (!online || !shouldConnect) return 'offline'
  return 'reconnecting'
}

export const CONNECTION_LABELS: Record<ConnectionStatus, string> = {
  connected: 'Connected: edits are shared live',
  reconnecting: 'Reconnecting: your edits are kept and will be sent',
  offline: 'Offline: your edits are kept and will be sent when you are back online',
}
