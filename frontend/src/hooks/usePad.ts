// React views of a PadConnection: each hook subscribes to one kind of event and cleans up.

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { sessionStateFromMeta, type SessionState } from '../authority'
import type { DocConnection, PadConnection } from '../collab/padConnection'
import { connectionStatus, type ConnectionStatus, type ProviderStatus } from '../connection'
import { participantsFromStates, type Participant } from '../presence'

export function useParticipants(pad: DocConnection | null): Participant[] {
  const [participants, setParticipants] = useState<Participant[]>([])
  useEffect(() => {
    if (!pad) return
    const awareness = pad.provider.awareness
    const refresh = () => setParticipants(participantsFromStates(awareness.getStates(), pad.doc.clientID))
    refresh()
    awareness.on('change', refresh)
    return () => awareness.off('change', refresh)
  }, [pad])
  return participants
}

function subscribeOnline(callback: () => void): () => void {
  window.addEventListener('online', callback)
  window.addEventListener('offline', callback)
  return () => {
    window.removeEventListener('online', callback)
    window.removeEventListener('offline', callback)
  }
}

export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true)
}

export function useConnectionStatus(pad: DocConnection | null): ConnectionStatus {
  const online = useOnline()
  const [providerStatus, setProviderStatus] = useState<ProviderStatus>('connecting')
  const [shouldConnect, setShouldConnect] = useState(true)
  // Once connected on this page (any of its pads), a lost connection is "reconnecting".
  const [everConnected, setEverConnected] = useState(false)
  useEffect(() => {
    if (!pad) return
    const provider = pad.provider
    const read = () => {
      if (provider.wsconnected) setEverConnected(true)
      setProviderStatus(provider.wsconnected ? 'connected' : provider.wsconnecting ? 'connecting' : 'disconnected')
      setShouldConnect(provider.shouldConnect)
    }
    read()
    provider.on('status', read)
    provider.on('closed', read)
    // disconnect()/connect() change shouldConnect without a status event when already closed.
    window.addEventListener('online', read)
    window.addEventListener('offline', read)
    return () => {
      provider.off('status', read)
      provider.off('closed', read)
      window.removeEventListener('online', read)
      window.removeEventListener('offline', read)
    }
  }, [pad])
  // No pad yet (the name prompt is up): nothing was ever connected.
  return connectionStatus({ providerStatus: pad ? providerStatus : 'connecting', online, shouldConnect, everConnected })
}

/**
 * Whether this pad has completed a sync with the server at least once. It stays true
 * through later disconnects: the doc is still the one the server gave us.
 */
export function useEverSynced(pad: DocConnection | null): boolean {
  const [synced, setSynced] = useState<DocConnection | null>(null)
  useEffect(() => {
    if (!pad) return
    if (pad.provider.synced) setSynced(pad)
    const onSync = (state: boolean) => {
      if (state) setSynced(pad)
    }
    pad.provider.on('sync', onSync)
    return () => pad.provider.off('sync', onSync)
  }, [pad])
  return pad !== null && synced === pad
}

/** `meta.language`, with the REST value as the fallback until the doc has one. */
export function useSharedLanguage(pad: PadConnection | null, fallback: string): [string, (id: string) => void] {
  const [language, setLanguage] = useState<string | null>(null)
  useEffect(() => {
    if (!pad) return
    const read = () => {
      const value = pad.meta.get('language')
      setLanguage(typeof value === 'string' && value ? value : null)
    }
    read()
    pad.meta.observe(read)
    return () => pad.meta.unobserve(read)
  }, [pad])
  const change = useCallback(
    (id: string) => {
      if (pad && pad.meta.get('language') !== id) pad.meta.set('language', id)
    },
    [pad],
  )
  return [language ?? fallback, change]
}

/** The server's close code when it refused the session for good (y-websocket's `closed`). */
export function useTerminalClose(pad: DocConnection | null): number | null {
  const [closed, setClosed] = useState<{ pad: DocConnection; code: number } | null>(null)
  useEffect(() => {
    if (!pad) return
    const onClosed = (event: { code: number }) => setClosed({ pad, code: event.code })
    pad.provider.on('closed', onClosed)
    return () => pad.provider.off('closed', onClosed)
  }, [pad])
  return closed && closed.pad === pad ? closed.code : null
}

/**
 * The session's state (ended, candidates may run) as the server writes it into `meta`,
 * live. Until the pad has synced once, the last state a synced pad showed (after a
 * reconnect with a fresh replica), else the REST reading (`fallback`), stands in.
 */
export function useSessionState(pad: PadConnection | null, synced: boolean, fallback: SessionState): SessionState {
  const [state, setState] = useState<{ pad: PadConnection; value: SessionState } | null>(null)
  const lastSynced = useRef<SessionState | null>(null)
  useEffect(() => {
    if (!pad) return
    const read = () =>
      setState((previous) => {
        const value = sessionStateFromMeta(pad.meta)
        const same =
          previous?.pad === pad &&
          previous.value.endedAt === value.endedAt &&
          previous.value.candidateMayRun === value.candidateMayRun
        return same ? previous : { pad, value }
      })
    read()
    pad.meta.observe(read)
    return () => pad.meta.unobserve(read)
  }, [pad])
  const current = synced && state && state.pad === pad ? state.value : null
  if (current) lastSynced.current = current
  return current ?? lastSynced.current ?? fallback
}
