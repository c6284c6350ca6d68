// The candidate's activity signals: a paste into the editor, the page losing focus and getting
// it back, long idle spells. They are facts shown to the interviewers (live and in the record),
// never a gate. The page sends them on its pad socket as this pad's own message type
// (sessions_app/realtime/protocol.py): var-uint 100, then length-prefixed UTF-8 JSON.
//
// What is pure here (the message, and when a signal is due) is tested without a browser;
// hooks/useActivitySignals.ts wires it to the page's events.

import * as encoding from 'lib0/encoding'

export const ACTIVITY_MESSAGE = 100
/** No keystroke or pointer activity for this long is an idle spell (reported when activity resumes). */
export const IDLE_AFTER_MS = 2 * 60 * 1000
/**
 * The most of a paste's text sent: the server keeps 16 KiB of it and counts its characters;
 * a paste past the largest program could not have been saved anyway, and a socket frame is bounded.
 */
export const MAX_PASTE_SENT = 512 * 1024

export type ActivitySignal =
  | { kind: 'paste'; text: string }
  | { kind: 'blur' }
  | { kind: 'focus'; away_ms: number }
  | { kind: 'idle'; idle_ms: number }

/** The binary frame that carries a signal to the server. */
export function encodeActivity(signal: ActivitySignal): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, ACTIVITY_MESSAGE)
  encoding.writeVarString(encoder, JSON.stringify(signal))
  return encoding.toUint8Array(encoder)
}

/** A paste's signal; null for an empty paste. */
export function pasteSignal(text: string): ActivitySignal | null {
  return text ? { kind: 'paste', text: text.slice(0, MAX_PASTE_SENT) } : null
}

const wholeMs = (ms: number) => Math.max(0, Math.min(Math.round(ms), 10 ** 9 - 1))

/**
 * The page's focus: the window losing focus or the tab being hidden starts a spell away (one
 * `blur`, however many of those events fire); getting focus back or being shown again ends it
 * (`focus`, with the time away).
 */
export class AwayTracker {
  private awaySince: number | null = null

  constructor(private readonly now: () => number = Date.now) {}

  get away(): boolean {
    return this.awaySince !== null
  }

  lost(): ActivitySignal | null {
    if (this.awaySince !== null) return null
    this.awaySince = this.now()
    return { kind: 'blur' }
  }

  back(): ActivitySignal | null {
    if (this.awaySince === null) return null
    const away = this.now() - this.awaySince
    this.awaySince = null
    return { kind: 'focus', away_ms: wholeMs(away) }
  }
}

/**
 * Idle spells: no keystroke or pointer activity for `threshold` ms while the page is in front.
 * Reported once, when activity resumes, with its length. Time away from the page is not idle
 * time (it is reported as blur/focus): `pause()` while away, `resume()` on return.
 */
export class IdleTracker {
  private last: number
  private paused = false

  constructor(
    private readonly threshold: number = IDLE_AFTER_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.last = now()
  }

  /** A keystroke or pointer activity: the idle spell it ends, if there was one. */
  activity(): ActivitySignal | null {
    const now = this.now()
    const idle = now - this.last
    this.last = now
    if (this.paused) return null
    return idle >= this.threshold ? { kind: 'idle', idle_ms: wholeMs(idle) } : null
  }

  pause(): void {
    this.paused = true
  }

  resume(): void {
    this.paused = false
    this.last = this.now()
  }
}
