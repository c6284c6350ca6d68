// The candidate's page reports its activity signals (activity/signals.ts) on the pad's socket:
// pastes into the code editor, the page losing focus and getting it back, long idle spells.
// Only a candidate's page does (the interviewers see them; nobody is gated by them), and only
// while its socket is open: a signal made while offline is not sent later (the server times
// each signal as it arrives).

import { useEffect } from 'react'
import type { PadConnection } from '../collab/padConnection'
import { sendFrame } from '../collab/provider'
import { AwayTracker, encodeActivity, IdleTracker, pasteSignal, type ActivitySignal } from '../activity/signals'

/** The code editor's host (components/CollaborativeEditor.tsx); pastes elsewhere (a name, the notes) are not reported. */
const CODE_EDITOR = '.editor-pane [data-testid=editor-ready]'

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const

export function sendActivity(pad: PadConnection, signal: ActivitySignal): boolean {
  return sendFrame(pad.provider, encodeActivity(signal))
}

export function useActivitySignals(pad: PadConnection | null, enabled: boolean): void {
  useEffect(() => {
    if (!pad || !enabled) return
    const send = (signal: ActivitySignal | null) => {
      if (signal) sendActivity(pad, signal)
    }
    const away = new AwayTracker()
    const idle = new IdleTracker()

    const onPaste = (event: ClipboardEvent) => {
      const target = event.target instanceof Element ? event.target : null
      const editor = target?.closest(CODE_EDITOR)
      if (!editor || editor.getAttribute('data-readonly') === 'true') return
      idle.activity()
      send(pasteSignal(event.clipboardData?.getData('text/plain') ?? ''))
    }
    const onLost = () => {
      idle.pause()
      send(away.lost())
    }
    const onBack = () => {
      // Shown again but another window still has the focus: not back yet.
      if (document.visibilityState !== 'visible' || !document.hasFocus()) return
      idle.resume()
      send(away.back())
    }
    const onVisibility = () => (document.visibilityState === 'hidden' ? onLost() : onBack())
    const onActivity = () => {
      if (!away.away) send(idle.activity())
    }

    document.addEventListener('paste', onPaste, true)
    window.addEventListener('blur', onLost)
    window.addEventListener('focus', onBack)
    document.addEventListener('visibilitychange', onVisibility)
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { capture: true, passive: true })
    return () => {
      document.removeEventListener('paste', onPaste, true)
      window.removeEventListener('blur', onLost)
      window.removeEventListener('focus', onBack)
      document.removeEventListener('visibilitychange', onVisibility)
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true })
    }
  }, [pad, enabled])
}
