// Live output for everyone while a run is going: the runner's page publishes the end of its
// output in its awareness state (`running: {id, language, phase, started, stdout, stderr,
// cut}`), at most a few times a second and at most TAIL_BYTES of JSON, and every other page
// shows it. Awareness rather than the document: it is ephemeral (nothing is stored in the
// update log, the replay or the record for output that the final run entry repeats), each
// state is bounded by the server (4 KiB), and a late joiner gets the current tail at once.
// The finished run is appended to `Array("runs")` as before, with all its output.

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
}

const str = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '')

/** Another page's `running` field, checked (it comes from anyone); null when not running. */
export function parseRunningState(value: unknown): RunningState | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const raw = value as Record<string, unknown>
  return {
    id: str(raw.id, 64),
    language: str(raw.language, 40),
    phase: str(raw.phase, 20),
    started: typeof raw.started === 'number' && Number.isFinite(raw.started) ? raw.started : 0,
    stdout: str(raw.stdout, TAIL_BYTES),
    stderr: str(raw.stderr, TAIL_BYTES),
    cut: raw.cut === true,
  }
}
