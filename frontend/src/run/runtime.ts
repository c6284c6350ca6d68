// The one interface every language runtime implements, inside a runner worker
// (src/run/runtimeWorker.ts hosts it). A runtime module (src/run/languages/<id>.ts)
// default-exports a `Runtime`: `load` once (download, compile, start), then `run` programs
// one at a time, writing their output as it comes. Stopping is the page's job (it terminates
// the worker), so a runtime never needs to be interruptible.

import type { LoadStage, WorkerRunStatus } from './protocol'
import type { Stream } from './output'

export interface LoadContext {
  /** Absolute URL of the build's static root; `asset()` resolves names under it. */
  assetsBase: string
  /** Report loading progress (bytes are summed over every counted download). */
  progress(stage: LoadStage): void
  /**
   * fetch that counts the bytes of the response towards the loading progress. `expectedBytes`
   * is the file's size (the response may arrive compressed: its Content-Length is then not it).
   */
  fetch(url: string | URL, expectedBytes?: number): Promise<Response>
  /** Add a known download to the total before it starts (so the bar does not jump back). */
  expect(bytes: number): void
  /** Count bytes that arrived outside `fetch` (a library's own download with its own progress). */
  counted(bytes: number): void
  /** Python only: Pyodide's interrupt buffer (cross-origin isolated pages). */
  interruptBuffer?: Uint8Array
}

export interface RunIO {
  /** Append program output (capped; cheap to call once the cap is hit). */
  write(stream: Stream, text: string): void
  /** False once the stream holds its maximum: stop producing text for it. */
  accepting(stream: Stream): boolean
  /** Bytes the stream may still take. */
  room(stream: Stream): number
  /** Mark a stream cut (output was dropped without being written). */
  truncated(stream: Stream): void
  /** A compiler is at work (compiled languages, before `started`). */
  compiling(): void
  /** The program itself starts now: the time limit counts from here. */
  started(): void
}

export interface RunInput {
  language: string
  code: string
  stdin: string
}

export interface RunOutcome {
  status: WorkerRunStatus
  /** One line: why it failed (shown under the output). */
  message?: string
}

export interface Runtime {
  /** Load and start; resolves with a version string. Throws when it cannot load. */
  load(context: LoadContext): Promise<string>
  /** Run one program. Throwing means the runtime itself broke (the page replaces the worker). */
  run(input: RunInput, io: RunIO): Promise<RunOutcome>
  /**
   * Called when a run's result has gone to the page and no other run waits: time for work
   * that makes later runs faster (a run sent meanwhile waits for it).
   */
  idle?(): void
}

/** A line-oriented reader over the run's standard input (for runtimes that pull lines). */
export class StdinReader {
  private offset = 0
  constructor(private readonly text: string) {}

  /** The next line without its end, or null at the end of input. */
  readLine(keepEnd = false): string | null {
    if (this.offset >= this.text.length) return null
    const end = this.text.indexOf('\n', this.offset)
    const stop = end === -1 ? this.text.length : end + 1
    const line = this.text.slice(this.offset, stop)
    this.offset = stop
    return keepEnd ? line : line.replace(/\r?\n$/, '')
  }

  /** Everything not read yet. */
  readAll(): string {
    const rest = this.text.slice(this.offset)
    this.offset = this.text.length
    return rest
  }

  get done(): boolean {
    return this.offset >= this.text.length
  }
}

/** Bytes of a text as UTF-8, for byte-oriented stdin readers. */
export class StdinBytes {
  private readonly bytes: Uint8Array
  private offset = 0
  constructor(text: string) {
    this.bytes = new TextEncoder().encode(text)
  }

  /** Up to `max` bytes, or an empty array at the end of input. */
  read(max: number): Uint8Array {
    const chunk = this.bytes.subarray(this.offset, Math.min(this.bytes.length, this.offset + max))
    this.offset += chunk.length
    return chunk
  }
}

/** Text decoder for a byte stream the program writes (keeps split UTF-8 characters whole). */
export function byteWriter(io: RunIO, stream: Stream): (bytes: Uint8Array) => void {
  const decoder = new TextDecoder()
  return (bytes) => {
    if (!io.accepting(stream)) return
    const room = io.room(stream)
    const slice = bytes.length > room + 4 ? bytes.subarray(0, room + 4) : bytes
    io.write(stream, decoder.decode(slice, { stream: true }))
    if (slice !== bytes) io.truncated(stream)
  }
}

/** The message of an error value, for reports. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  return String(error)
}
