// Publishes this page's run in progress to everyone (run/liveTail.ts): the `running` field
// of our awareness state, throttled, while the run lasts.

import { useEffect, useRef } from 'react'
import type { PadConnection } from '../collab/padConnection'
import type { LiveRun } from '../run/codeRunner'
import { liveTail, TAIL_INTERVAL_MS, type RunningState } from '../run/liveTail'

export function useLiveRunShare(pad: PadConnection | null, live: LiveRun | null): void {
  const latest = useRef(live)
  latest.current = live
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const lastSent = useRef({ at: 0, key: '' })

  useEffect(() => {
    if (!pad || !live) return
    const publish = () => {
      timer.current = undefined
      const run = latest.current
      const awareness = pad.provider.awareness
      const state = awareness.getLocalState()
      // Only while the page says it is running (SessionPage sets the field, then clears it).
      if (!run || !state || !state.running) return
      const tail = liveTail(run.stdout, run.stderr)
      const running: RunningState = {
        id: run.id,
        language: run.language,
        phase: run.phase,
        started: Math.round(performance.timeOrigin + run.startedAt),
        ...tail,
      }
      const key = JSON.stringify(running)
      if (key === lastSent.current.key) return
      lastSent.current = { at: Date.now(), key }
      awareness.setLocalStateField('running', running)
    }
    if (timer.current === undefined) {
      const wait = Math.max(0, lastSent.current.at + TAIL_INTERVAL_MS - Date.now())
      timer.current = setTimeout(publish, wait)
    }
  }, [pad, live])

  useEffect(
    () => () => {
      clearTimeout(timer.current)
      timer.current = undefined
    },
    [pad],
  )
}
