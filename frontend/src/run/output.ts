// Program output, capped and batched. A runner worker writes every console line or
// Python write here; it forwards the text to the page and stops collecting a stream once it
// holds `maxBytes`, so a program printing megabytes cannot flood the page, the shared
// document or the network.
//
// Each write is sent at once at first: a worker stuck in a loop never returns to its event
// loop, so text held back for a timer would be lost when the page terminates it ("print,
// then hang" must show the print). A program that keeps printing (past `immediateWrites`
// writes) gets its output in batches, by size and by age (checked on every write).

export type Stream = 'stdout' | 'stderr'

export const TRUNCATED_MARKER = '[output truncated]'

/** UTF-8 length of a string, without allocating. */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/** The longest prefix of `text` whose UTF-8 form fits in `maxBytes` (never splits a character). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return ''
  if (text.length <= maxBytes / 3) return text
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    let size: number
    let width = 1
    if (code < 0x80) size = 1
    else if (code < 0x800) size = 2
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      size = 4
      width = 2
    } else size = 3
    if (bytes + size > maxBytes) return text.slice(0, i)
    bytes += size
    i += width - 1
  }
  return text
}

/**
 * `text` cut to `maxBytes` of UTF-8 including a final `[output truncated]` line, or `text`
 * itself when it fits and was not cut before (`alreadyTruncated` marks output that the
 * runner stopped collecting).
 */
export function capText(text: string, maxBytes: number, alreadyTruncated = false): string {
  const marker = `\n${TRUNCATED_MARKER}\n`
  if (!alreadyTruncated && utf8Length(text) <= maxBytes) return text
  if (text.endsWith(marker) && utf8Length(text) <= maxBytes) return text
  const body = truncateUtf8(text, Math.max(0, maxBytes - utf8Length(marker)))
  return body.endsWith('\n') ? `${body}${TRUNCATED_MARKER}\n` : `${body}${marker}`
}

export interface OutputBatch {
  stdout: string
  stderr: string
}

export interface OutputSinkOptions {
  /** Per stream: text past this many UTF-8 bytes is dropped and the stream marked truncated. */
  maxBytes: number
  /** The first this many writes are sent one by one, at once. */
  immediateWrites: number
  /** Send once this much text is waiting... */
  flushBytes: number
  /** ...or once the oldest waiting text is this old (checked on every write). */
  flushMs: number
  now: () => number
  /** Called with each batch (a worker posts it to the page). */
  send: (batch: OutputBatch) => void
  /** Ask for a later `flush()` when text waits (a worker uses its timer); optional. */
  schedule?: (flush: () => void, ms: number) => void
}

/**
 * How both workers pace output: the first writes go at once, so text printed just before a
 * hang is not lost when the worker is killed; a flood then goes in batches.
 */
export const WORKER_OUTPUT_PACING = { immediateWrites: 2000, flushBytes: 8 * 1024, flushMs: 50 } as const

class StreamState {
  bytes = 0
  truncated = false
  droppedBytes = 0
  pending = ''
}

/** Collects the output of one run. */
export class OutputSink {
  private readonly streams: Record<Stream, StreamState> = { stdout: new StreamState(), stderr: new StreamState() }
  private pendingBytes = 0
  private pendingSince: number | null = null
  private writes = 0
  private scheduled = false
  private closed = false
  private readonly options: OutputSinkOptions

  constructor(options: OutputSinkOptions) {
    this.options = options
  }

  /** False once the stream is full: the caller may skip formatting what it would write. */
  accepting(stream: Stream): boolean {
    return !this.closed && !this.streams[stream].truncated
  }

  /** Bytes that still fit in the stream. */
  room(stream: Stream): number {
    return Math.max(0, this.options.maxBytes - this.streams[stream].bytes)
  }

  write(stream: Stream, text: string, droppedHint = 0): void {
    const state = this.streams[stream]
    if (this.closed || text.length === 0) return
    if (state.truncated) {
      state.droppedBytes += droppedHint || text.length
      return
    }
    let piece = text
    const size = utf8Length(text)
    const room = this.options.maxBytes - state.bytes
    let pieceBytes = size
    if (size > room) {
      piece = truncateUtf8(text, room)
      pieceBytes = utf8Length(piece)
      state.truncated = true
      state.droppedBytes += size - pieceBytes
    }
    state.bytes += pieceBytes
    state.pending += piece
    this.pendingBytes += pieceBytes
    this.writes += 1
    const now = this.options.now()
    if (this.pendingSince === null) this.pendingSince = now
    if (
      this.writes <= this.options.immediateWrites ||
      this.pendingBytes >= this.options.flushBytes ||
      now - this.pendingSince >= this.options.flushMs ||
      state.truncated
    ) {
      this.flush()
    } else if (!this.scheduled && this.options.schedule) {
      this.scheduled = true
      this.options.schedule(() => {
        this.scheduled = false
        this.flush()
      }, this.options.flushMs)
    }
  }

  /** Mark a stream truncated without text (e.g. a writer that already knows it overflowed). */
  markTruncated(stream: Stream, droppedBytes: number): void {
    const state = this.streams[stream]
    state.truncated = true
    state.droppedBytes += droppedBytes
  }

  flush(): void {
    const { stdout, stderr } = this.streams
    if (!stdout.pending && !stderr.pending) return
    const batch = { stdout: stdout.pending, stderr: stderr.pending }
    stdout.pending = ''
    stderr.pending = ''
    this.pendingBytes = 0
    this.pendingSince = null
    this.options.send(batch)
  }

  /** Flush and stop accepting; returns which streams were cut. */
  close(): { stdout: boolean; stderr: boolean } {
    this.flush()
    this.closed = true
    return this.truncated()
  }

  truncated(): { stdout: boolean; stderr: boolean } {
    return { stdout: this.streams.stdout.truncated, stderr: this.streams.stderr.truncated }
  }

  dropped(stream: Stream): number {
    return this.streams[stream].droppedBytes
  }
}
