// React glue for running code: the page's CodeRunner, the shared run history, who else
// is running something right now, the program's input, and TypeScript's type errors.

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { PadConnection } from '../collab/padConnection'
import { enableTypeScriptService, typeErrors } from '../monaco/typescript'
import { monaco } from '../monaco/setup'
import { idleRunnerState, type CodeRunner, type RunnerState } from '../run/codeRunner'
import { parseRunEntry, MAX_RUNS, type RunEntry } from '../run/runs'
import { createBrowserRunner } from '../run/workers'
import { remoteRunnerFromState, type RemoteRunner } from '../run/liveTail'

const IDLE: RunnerState = idleRunnerState()
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

export type { RemoteRunner }

/**
 * Runs in progress elsewhere: other participants' (their awareness field `running`) and the
 * server runner's (run/serverRuns.ts), this page's own server run included.
 */
export function useRemoteRunners(pad: PadConnection | null): RemoteRunner[] {
  const [runners, setRunners] = useState<RemoteRunner[]>([])
  useEffect(() => {
    if (!pad) return
    const awareness = pad.provider.awareness
    const read = () => {
      const found: RemoteRunner[] = []
      awareness.getStates().forEach((state, clientId) => {
        if (clientId === pad.doc.clientID) return
        const runner = remoteRunnerFromState(clientId, state as Record<string, unknown>)
        if (runner) found.push(runner)
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
  return (
    a.length === b.length &&
    a.every(
      (x, i) =>
        x.clientId === b[i].clientId &&
        x.language === b[i].language &&
        x.name === b[i].name &&
        JSON.stringify(x.live) === JSON.stringify(b[i].live),
    )
  )
}

/** The program's input box of this browser, kept per session for this tab (sessionStorage). */
export function useStdin(sessionId: string): [string, (text: string) => void] {
  const key = `pad.stdin.${sessionId}`
  const [text, setText] = useState(() => {
    try {
      return sessionStorage.getItem(key) ?? ''
    } catch {
      return ''
    }
  })
  const update = useCallback(
    (next: string) => {
      setText(next)
      try {
        if (next) sessionStorage.setItem(key, next)
        else sessionStorage.removeItem(key)
      } catch {
        // storage full or off: the box still works for this page
      }
    },
    [key],
  )
  return [text, update]
}

/** TypeScript sessions get the language service (type errors as you type). */
export function useTypeScriptService(language: string): void {
  useEffect(() => {
    if (language === 'typescript') void enableTypeScriptService()
  }, [language])
}

/**
 * What a run prints before the program's own output: for TypeScript, its type errors (the
 * program runs anyway, as tsc would emit it). '' when there is nothing to say.
 */
export async function runPreface(language: string): Promise<string> {
  if (language !== 'typescript') return ''
  const model = monaco.editor.getModels().find((candidate) => candidate.getLanguageId() === 'typescript')
  if (!model) return ''
  const errors = await typeErrors(model)
  if (errors === null) return 'Type check skipped: the TypeScript service is still loading.\n'
  if (errors.length === 0) return ''
  const count = errors.length === 1 ? '1 type error' : `${errors.length} type errors`
  return `${errors.join('\n')}\n${count} (the program runs anyway, as tsc would emit it).\n\n`
}
