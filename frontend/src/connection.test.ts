import { describe, expect, it } from 'vitest'
import { connectionStatus } from './connection'

describe('connection status', () => {
  it('is connected whenever the socket is, even if the browser claims no network', () => {
    expect(connectionStatus({ providerStatus: 'connected', online: true, shouldConnect: true })).toBe('connected')
    expect(connectionStatus({ providerStatus: 'connected', online: false, shouldConnect: true })).toBe('connected')
  })

  it('is reconnecting while the provider retries', () => {
    expect(connectionStatus({ providerStatus: 'connecting', online: true, shouldConnect: true })).toBe('reconnecting')
    expect(connectionStatus({ providerStatus: 'disconnected', online: true, shouldConnect: true })).toBe('reconnecting')
  })

  it('is offline without network or once the provider stopped trying', () => {
    expect(connectionStatus({ providerStatus: 'disconnected', online: false, shouldConnect: true })).toBe('offline')
    expect(connectionStatus({ providerStatus: 'connecting', online: false, shouldConnect: true })).toBe('offline')
    expect(connectionStatus({ providerStatus: 'disconnected', online: true, shouldConnect: false })).toBe('offline')
  })

  it('is connecting, not reconnecting, until a first connection was made', () => {
    expect(connectionStatus({ providerStatus: 'connecting', online: true, shouldConnect: true, everConnected: false })).toBe('connecting')
    expect(connectionStatus({ providerStatus: 'disconnected', online: true, shouldConnect: true, everConnected: false })).toBe('connecting')
    expect(connectionStatus({ providerStatus: 'connected', online: true, shouldConnect: true, everConnected: false })).toBe('connected')
    expect(connectionStatus({ providerStatus: 'connecting', online: false, shouldConnect: true, everConnected: false })).toBe('offline')
    expect(connectionStatus({ providerStatus: 'connecting', online: true, shouldConnect: true, everConnected: true })).toBe('reconnecting')
  })
})
