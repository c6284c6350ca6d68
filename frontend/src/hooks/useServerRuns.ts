// React glue for runs on the server (run/serverRuns.ts): which server languages a runner is
// up for (GET /api/languages/), and this page's pending run, wired to the pad's socket and
// to `Array("runs")`.

import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import { listLanguages } from '../api'
import type { PadConnection } from '../collab/padConnection'
import { sendFrame } from '../collab/provider'
import { isServerLanguage } from '../run/registry'
import { parseServerLanguages, ServerRunTracker, type ServerAvailability, type ServerRunsState } from '../run/serverRuns'

// While the current language's runner is down, ask again this often (a runner may come up).
const RECHECK_UNAVAILABLE_MS = 20_000

export interface ServerLanguages {
  /** The language's state; null while unknown (not asked yet, or the server did not answer) or not a server language. */
  availability: ServerAvailability | null
  /** Ask the server again (e.g. after it refused a run as `unavailable`). */
  refresh: () => void
}

/** Server languages' availability: read on page load, and again on switching to a server language. */
export function useServerLanguages(language: string): ServerLanguages {
  const [known, setKnown] = useState<Record<string, ServerAvailability> | null>(null)
  const [asked, setAsked] = useState(0)
  const refresh = useCallback(() => setAsked((n) => n + 1), [])
  const onServer = isServerLanguage(language)
  // Asked on load, again on each switch to a server language, and on refresh().
  const askingFor = onServer ? language : null

  useEffect(() => {
    let cancelled = false
    listLanguages().then(
      (list) => {
        if (!cancelled) setKnown(parseServerLanguages(list))
      },
      () => {
        // Unknown: Run stays offered, and the server says so if it cannot run it.
      },
    )
    return () => {
      cancelled = true
    }
  }, [askingFor, asked])

  const availability = onServer ? (known?.[language] ?? null) : null
  const down = availability !== null && !availability.available
  useEffect(() => {
    if (!down) return
    const timer = setInterval(refresh, RECHECK_UNAVAILABLE_MS)
    return () => clearInterval(timer)
  }, [down, refresh])

  return { availability, refresh }
}

const IDLE: ServerRunsState = { pending: null, notice: null }
const noSubscribe = () => () => {}
const idle = () => IDLE

/** This page's run on the server: one tracker per pad connection. */
export function useServerRuns(pad: PadConnection | null): [ServerRunTracker | null, ServerRunsState] {
  const [tracker, setTracker] = useState<ServerRunTracker | null>(null)
  useEffect(() => {
    if (!pad) {
      setTracker(null)
      return
    }
    const created = new ServerRunTracker((frame) => sendFrame(pad.provider, frame))
    // Its entry in the shared history ends the pending run (the server appends it).
    const onRuns = () => {
      if (!created.pending) return
      created.entriesChanged((id) =>
        pad.runs.toArray().some((entry) => entry !== null && typeof entry === 'object' && (entry as { id?: unknown }).id === id),
      )
    }
    const onClose = () => created.connectionLost()
    pad.runs.observe(onRuns)
    pad.provider.on('connection-close', onClose)
    setTracker(created)
    return () => {
      pad.runs.unobserve(onRuns)
      pad.provider.off('connection-close', onClose)
      setTracker(null)
    }
  }, [pad])
  const state = useSyncExternalStore(tracker?.subscribe ?? noSubscribe, tracker?.getState ?? idle)
  return [tracker, state]
}
