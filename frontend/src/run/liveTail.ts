// Live output for everyone while a run is going: the runner's page publishes the end of its
// output in its awareness state (`running: {id, language, phase, started, stdout, stderr,
// cut}`), at most a few times a second and at most TAIL_BYTES of JSON, and every other page
// shows it. Awareness rather than the document: it is ephemeral (nothing is stored in the
// update log, the replay or the record for output that the final run entry repeats), each
// state is bounded by the server (4 KiB), and a late joiner gets the current tail at once.
// The finished run is appended to `Array("runs")` as before, with all its output.
//
// A run on the server (run/serverRuns.ts) is published the same way by the server itself,
// under a Yjs client id of its own and without a `user` (it is nobody): `running` then also
// says `server: true`, who asked for it (`by`), and while it waits its `position` in the
// queue (phase `queued`).

import { safeColor } from '../presence'

/** Bytes of JSON the two tails may take together (the state also holds name and cursor). */
export const TAIL_BYTES = 2048
/** Publishing interval: at most 4 updates a second, however fast a program prints. */
export const TAIL_INTERVAL_MS = 250

const encoder = new TextEncoder()
const jsonBytes = (text: string) => encoder.encode(JSON.stringify(text)).length

/** The end of `text` whose JSON encoding fits in `budget` bytes, from a line start when it can. */
export function tailOf(text: string, budget: number): string {
  if (jsonBytes(text) <= budget) return text
  let chars = Math.max(0, Math.min(text.length, budget))
  let tail = text.slice(text.length - chars)
  while (chars > 0 && jsonBytes(tail) > budget) {
    chars = Math.floor(chars * 0.8)
    tail = text.slice(text.length - chars)
  }
  // Do not start in the middle of a surrogate pair or (when a line break is near) a line.
  if (/^[\uDC00-\uDFFF]/.test(tail)) tail = tail.slice(1)
  const newline = tail.indexOf('\n')
  if (newline >= 0 && newline < 200 && newline < tail.length - 1) tail = tail.slice(newline + 1)
  return tail
}

export interface LiveTail {
  stdout: string
  stderr: string
  /** Whether earlier output was left out. */
  cut: boolean
}

/** Both streams' ends within `budget` bytes: stderr (errors) gets up to half when both are long. */
export function liveTail(stdout: string, stderr: string, budget = TAIL_BYTES): LiveTail {
  const errBudget = Math.min(jsonBytes(stderr), jsonBytes(stdout) > budget / 2 ? Math.floor(budget / 2) : budget - jsonBytes(stdout))
  const err = tailOf(stderr, Math.max(2, errBudget))
  const out = tailOf(stdout, Math.max(2, budget - jsonBytes(err)))
  return { stdout: out, stderr: err, cut: out.length < stdout.length || err.length < stderr.length }
}

export interface RunningState extends LiveTail {
  id: string
  language: string
  phase: string
  /** ms since the epoch when the run started. */
  started: number
  /** The server's runner publishes it (no person's page). */
  server?: true
  /** A server run: who asked for it. */
  by?: { name: string; color: string }
  /** A server run waiting in the queue (phase `queued`): 1 = next. */
  position?: number
}

const str = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '')

/** Another page's `running` field, checked (it comes from anyone); null when not running. */
export function parseRunningState(value: unknown): RunningState | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const raw = value as Record<string, unknown>
  const state: RunningState = {
    id: str(raw.id, 64),
    language: str(raw.language, 40),
    phase: str(raw.phase, 20),
    started: typeof raw.started === 'number' && Number.isFinite(raw.started) ? raw.started : 0,
    stdout: str(raw.stdout, TAIL_BYTES),
    stderr: str(raw.stderr, TAIL_BYTES),
    cut: raw.cut === true,
  }
  if (raw.server === true) state.server = true
  const by = raw.by
  if (by !== null && typeof by === 'object' && !Array.isArray(by)) {
    const { name, color } = by as Record<string, unknown>
    state.by = { name: str(name, 80), color: str(color, 40) }
  }
  if (typeof raw.position === 'number' && Number.isSafeInteger(raw.position) && raw.position > 0) state.position = raw.position
  return state
}

const PHASE_WORDS: Record<string, string> = { loading: 'loading', queued: 'queued', compiling: 'compiling', running: 'running', stopping: 'stopping' }

/** A live run's phase in words: `running`, `compiling`, `queued (position 2)`, ... */
export function livePhaseLabel(live: Pick<RunningState, 'phase' | 'position'> | null): string {
  const phase = PHASE_WORDS[live?.phase ?? ''] ?? 'running'
  return phase === 'queued' && live?.position ? `queued (position ${live.position})` : phase
}

/** Someone's run in progress, as another page (or the server's runner) publishes it. */
export interface RemoteRunner {
  clientId: number
  name: string
  color: string
  language: string
  /** The run's live output (the end of it), as its page publishes it. */
  live: RunningState | null
}

/**
 * The run in progress an awareness state shows, or null. A person's page names itself in
 * its `user`; the server's runner has no `user` (it is nobody: never a participant) and
 * names who asked for the run in `running.by`.
 */
export function remoteRunnerFromState(clientId: number, state: Record<string, unknown> | null | undefined): RemoteRunner | null {
  const running = state?.running
  if (!running || typeof running !== 'object' || Array.isArray(running)) return null
  const live = parseRunningState(running)
  const user = state.user
  const who =
    user !== null && typeof user === 'object' && !Array.isArray(user)
      ? (user as { name?: unknown; color?: unknown })
      : (live?.by ?? {})
  return {
    clientId,
    name: typeof who.name === 'string' && who.name.trim() ? who.name.trim() : 'Someone',
    color: safeColor(who.color, clientId),
    language: live?.language ?? '',
    live,
  }
}
