// Runs on the server (Java, Go, Rust, C#, Kotlin: registry.ts's `server` runtime), the page's
// side. The protocol (sessions_app/runner, DESIGN.md "Running code"):
//
// - Start: on the pad's socket, a binary frame of this pad's own message type 101: var-uint
//   101, then length-prefixed UTF-8 JSON `{"action":"start","id":<run id>,"stdin":...}`. The
//   page sends no code: the server runs the document's code in the document's language.
//   Stop: `{"action":"cancel","id":...}`.
// - A refusal comes back as the usual text frame `{"type":"error","code","message","run":<id>}`
//   (collab/serverNotices.ts).
// - While it lasts, the server publishes the run as an awareness state of its own, with no
//   `user`: `{"running": {..., "server": true, "by": {name, color}, "phase": "queued" |
//   "compiling" | "running" | "stopping", "position"}}` (run/liveTail.ts parses it); every
//   page, the requester's included, shows it as a live run card.
// - At the end the server appends the run to `Array("runs")` with the id the page sent, then
//   drops its awareness state. The page never appends a server run itself.
//
// ServerRunTracker is the requesting page's pending run: what Run, Stop and the output
// panel show, and when it is over (its entry appeared, the server refused it, or the
// connection was lost). It is pure: the socket and the document are wired in
// hooks/useServerRuns.ts.

import * as encoding from 'lib0/encoding'
import type { ServerNotice } from '../collab/serverNotices'

export const SERVER_RUN_MESSAGE = 101

export type ServerRunRequest = { action: 'start'; id: string; stdin: string } | { action: 'cancel'; id: string }

/** The binary frame that carries a request to the server. */
export function encodeServerRunRequest(request: ServerRunRequest): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, SERVER_RUN_MESSAGE)
  encoding.writeVarString(encoder, JSON.stringify(request))
  return encoding.toUint8Array(encoder)
}

/** What the server accepts as a run id. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID_PATTERN.test(value)
}

let counter = 0
/** A fresh run id (`<time>-<random>-s<n>`), unique enough within a session. */
export function newServerRunId(random: () => number = Math.random, now: () => number = Date.now): string {
  counter += 1
  const nonce = Array.from({ length: 8 }, () => Math.floor(random() * 36).toString(36)).join('')
  return `${now().toString(36)}-${nonce}-s${counter}`
}

/** Words for a refused run (a notice that carries a `run`). */
export function runRefusalText(notice: ServerNotice): string {
  const said = notice.message ? `: ${notice.message.replace(/\.$/, '')}` : ''
  switch (notice.code) {
    case 'ended':
      return 'The interview has ended: code can no longer be run.'
    case 'forbidden':
      return `Not allowed to run code${said}.`
    case 'rate_limited':
      return `Too many runs in a short time${said}. Try again in a moment.`
    case 'queue_full':
      return `The server's runners are busy${said}. Try again in a moment.`
    case 'unavailable':
      return `The server cannot run this now${said}.`
    case 'invalid':
      return `The server refused the run${said}.`
    default:
      return `The server refused the run${said}.`
  }
}

export const CONNECTION_LOST_TEXT = "The connection was lost; the run's result will appear when it finishes."
export const NOT_CONNECTED_TEXT = 'Not connected to the server: the run was not started. Try again once the pad is back online.'

export interface PendingServerRun {
  id: string
  language: string
  /** Stop was pressed: the cancel is sent, the run's entry (status `stopped`) ends it. */
  stopping: boolean
}

export interface ServerRunsState {
  /** This page's run on the server, until its entry appears in `Array("runs")`. */
  pending: PendingServerRun | null
  /** Why this page's last run ended without an entry to show (refused, connection lost); the next run clears it. */
  notice: string | null
}

const IDLE: ServerRunsState = { pending: null, notice: null }

export class ServerRunTracker {
  private state: ServerRunsState = IDLE
  private readonly listeners = new Set<() => void>()

  constructor(
    /** Sends a frame on the pad's socket; false when it is not open. */
    private readonly send: (frame: Uint8Array) => boolean,
    private readonly newId: () => string = newServerRunId,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getState = (): ServerRunsState => this.state

  get pending(): PendingServerRun | null {
    return this.state.pending
  }

  private set(next: ServerRunsState) {
    this.state = next
    for (const listener of this.listeners) listener()
  }

  /** Ask the server to run the document with this input; the run id, or null when it could not be sent (the notice says why). */
  start(language: string, stdin: string): string | null {
    if (this.state.pending) return null
    const id = this.newId()
    if (!this.send(encodeServerRunRequest({ action: 'start', id, stdin }))) {
      this.set({ pending: null, notice: NOT_CONNECTED_TEXT })
      return null
    }
    this.set({ pending: { id, language, stopping: false }, notice: null })
    return id
  }

  /** Stop: ask the server to cancel the pending run (its entry, `stopped`, ends it). */
  stop(): void {
    const pending = this.state.pending
    if (!pending || pending.stopping) return
    if (!this.send(encodeServerRunRequest({ action: 'cancel', id: pending.id }))) {
      this.connectionLost()
      return
    }
    this.set({ ...this.state, pending: { ...pending, stopping: true } })
  }

  /**
   * Stop someone else's run on the server (an interviewer may): the cancel is sent, and the
   * run's entry (`stopped`) tells everyone. False when the socket is not open.
   */
  cancel(id: string): boolean {
    if (this.state.pending?.id === id) {
      this.stop()
      return true
    }
    return isRunId(id) && this.send(encodeServerRunRequest({ action: 'cancel', id }))
  }

  /** `Array("runs")` changed: the pending run is over once an entry with its id is there. */
  entriesChanged(hasEntry: (id: string) => boolean): void {
    const pending = this.state.pending
    if (pending && hasEntry(pending.id)) this.set({ pending: null, notice: null })
  }

  /**
   * A refusal naming a run (`notice.run`). True when it was about this page's pending run,
   * which it ends (its words become the notice); false for any other run.
   */
  refused(notice: ServerNotice): boolean {
    const pending = this.state.pending
    if (!pending || notice.run !== pending.id) return false
    this.set({ pending: null, notice: runRefusalText(notice) })
    return true
  }

  /** The pad's socket closed: stop waiting (the server still finishes the run and records it). */
  connectionLost(): void {
    if (this.state.pending) this.set({ pending: null, notice: CONNECTION_LOST_TEXT })
  }

  /** Forget the last run's notice (e.g. the language changed). */
  clearNotice(): void {
    if (this.state.notice) this.set({ ...this.state, notice: null })
  }
}

/** A server language's state right now, from `GET /api/languages/`. */
export interface ServerAvailability {
  available: boolean
  /** The toolchain, e.g. "OpenJDK 17.0.15"; '' when the server does not say. */
  version: string
  /** Why it cannot run now (when not available). */
  reason: string
}

/** The server languages of a `GET /api/languages/` answer, by id (anything malformed left out). */
export function parseServerLanguages(value: unknown): Record<string, ServerAvailability> {
  const found: Record<string, ServerAvailability> = {}
  if (!Array.isArray(value)) return found
  for (const item of value) {
    if (item === null || typeof item !== 'object') continue
    const raw = item as Record<string, unknown>
    if (raw.runs_on !== 'server' || typeof raw.id !== 'string' || !raw.id) continue
    found[raw.id] = {
      available: raw.available === true,
      version: typeof raw.version === 'string' ? raw.version.slice(0, 100) : '',
      reason: typeof raw.reason === 'string' ? raw.reason.slice(0, 300) : '',
    }
  }
  return found
}
