// React glue for running code: the page's CodeRunner, the shared run history and who else
// is running something right now.

import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { PadConnection } from '../collab/padConnection'
import type { CodeRunner, RunnerState } from '../run/codeRunner'
import { parseRunEntry, MAX_RUNS, type RunEntry } from '../run/runs'
import { createBrowserRunner } from '../run/workers'
import { safeColor } from '../presence'

const IDLE: RunnerState = {
  live: null,
  python: { status: 'cold', stage: null, loadedBytes: 0, totalBytes: 0, restarting: false, error: null },
}
const noSubscribe = () => () => {}
const idleState = () => IDLE

/** One runner per mounted page; its workers are terminated on unmount. */
export function useCodeRunner(): [CodeRunner | null, RunnerState] {
  const [runner, setRunner] = useState<CodeRunner | null>(null)
  useEffect(() => {
    const created = createBrowserRunner()
    setRunner(created)
    return () => {
      setRunner(null)
      created.dispose()
    }
  }, [])
  const state = useSyncExternalStore(runner?.subscribe ?? noSubscribe, runner?.getState ?? idleState)
  return [runner, state]
}

/** `Array("runs")`, newest first, each entry checked (they come from every participant). */
export function useRuns(pad: PadConnection | null): RunEntry[] {
  const [runs, setRuns] = useState<RunEntry[]>([])
  // Entries are immutable JSON objects: parse each once, so unchanged runs keep their identity.
  const cache = useRef(new WeakMap<object, RunEntry | null>())
  useEffect(() => {
    if (!pad) return
    const read = () => {
      const values = pad.runs.toArray()
      const entries: RunEntry[] = []
      for (let i = values.length - 1; i >= 0 && entries.length < MAX_RUNS; i--) {
        const value = values[i]
        let entry: RunEntry | null
        if (value !== null && typeof value === 'object') {
          if (!cache.current.has(value)) cache.current.set(value, parseRunEntry(value, i))
          entry = cache.current.get(value) ?? null
        } else entry = null
        if (entry) entries.push(entry)
      }
      setRuns(entries)
    }
    read()
    pad.runs.observe(read)
    return () => pad.runs.unobserve(read)
  }, [pad])
  return runs
}

export interface RemoteRunner {
  clientId: number
  name: string
  color: string
  language: string
}

/** Other participants with a run in progress (their awareness field `running`). */
export function useRemoteRunners(pad: PadConnection | null): RemoteRunner[] {
  const [runners, setRunners] = useState<RemoteRunner[]>([])
  useEffect(() => {
    if (!pad) return
    const awareness = pad.provider.awareness
    const read = () => {
      const found: RemoteRunner[] = []
      awareness.getStates().forEach((state, clientId) => {
        if (clientId === pad.doc.clientID) return
        const running = (state as Record<string, unknown>).running as { language?: unknown } | null | undefined
        if (!running || typeof running !== 'object') return
        const user = ((state as Record<string, unknown>).user ?? {}) as { name?: unknown; color?: unknown }
        found.push({
          clientId,
          name: typeof user.name === 'string' && user.name ? user.name : 'Someone',
          color: safeColor(user.color, clientId),
          language: typeof running.language === 'string' ? running.language : '',
        })
      })
      setRunners((previous) => (sameRunners(previous, found) ? previous : found))
    }
    read()
    awareness.on('change', read)
    return () => awareness.off('change', read)
  }, [pad])
  return runners
}

function sameRunners(a: RemoteRunner[], b: RemoteRunner[]): boolean {
  return a.length === b.length && a.every((x, i) => x.clientId === b[i].clientId && x.language === b[i].language && x.name === b[i].name)
}
