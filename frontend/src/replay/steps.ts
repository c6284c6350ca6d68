// What the replay page asks of an interview's log once it is indexed (replayIndex.ts): the code,
// its authorship and the language after any number of steps, each run as it was, the steps up
// to a moment. Plain arrays only (no Yjs), so an index built in a worker (indexWorker.ts) is
// handed to the page as transferable parts, and the page's own bundle never needs Yjs for it.

import type { StoredEvent } from '../api'

export interface ReplayAuthor {
  name: string
  role: string
  client: string
  connection: string
}

/** A timeline event, as the record and the events list send it too. */
export type ReplayEvent = StoredEvent

/** GET /api/sessions/<id>/replay. A step is [seq, time in ms since the epoch, author index, base64 update]. */
export interface ReplayData {
  session: string
  title: string
  started_at: string
  ended_at: string | null
  pruned_at: string | null
  authors: ReplayAuthor[]
  steps: [number, number, number, string][]
  events: ReplayEvent[]
}

/** A run of characters of the code made by one step. */
export interface AttributedSpan {
  text: string
  step: number
}

/** A run's entry in `Array("runs")` as the document held it (see run/runs.ts), and the step that added it. */
export interface ReplayRun {
  entry: Record<string, unknown>
  step: number
}

/**
 * The index as data: every character that was ever in the code, in document order, as pieces
 * (`lengths` of `text`, joined), each made by step `made` and deleted by step `deleted`
 * (Infinity: never); each step's time and author; the language's values; the runs.
 */
export interface ReplayParts {
  text: string
  lengths: Int32Array
  made: Int32Array
  deleted: Float64Array
  times: Float64Array
  authors: Int32Array
  languages: { step: number; language: string }[]
  runs: [string, ReplayRun][]
}

/** The buffers of `parts` that can be transferred to another thread rather than copied. */
export function transferables(parts: ReplayParts): ArrayBuffer[] {
  return [parts.lengths, parts.made, parts.deleted, parts.times, parts.authors].map((array) => array.buffer as ArrayBuffer)
}

export class ReplaySteps {
  readonly data: ReplayData
  readonly times: Float64Array
  protected readonly authorOf: Int32Array
  private readonly texts: string[] = []
  private readonly made: Int32Array
  private readonly deleted: Float64Array
  private readonly languages: { step: number; language: string }[]
  private readonly runs: Map<string, ReplayRun>

  /** `data` (its `steps` may be left out: `parts` holds what is needed of them). */
  constructor(data: ReplayData, parts: ReplayParts) {
    this.data = data
    this.times = parts.times
    this.authorOf = parts.authors
    this.made = parts.made
    this.deleted = parts.deleted
    this.languages = parts.languages
    this.runs = new Map(parts.runs)
    let offset = 0
    for (const length of parts.lengths) {
      this.texts.push(parts.text.slice(offset, offset + length))
      offset += length
    }
  }

  get length(): number {
    return this.times.length
  }

  /** The code after the first `count` steps (0: before any). */
  codeAfter(count: number): string {
    let code = ''
    for (let i = 0; i < this.texts.length; i++) if (this.made[i] < count && this.deleted[i] >= count) code += this.texts[i]
    return code
  }

  /** The code after `count` steps as spans, each made by one step (its author and time). */
  spansAfter(count: number): AttributedSpan[] {
    const spans: AttributedSpan[] = []
    for (let i = 0; i < this.texts.length; i++) {
      const made = this.made[i]
      if (made >= count || this.deleted[i] < count) continue
      const last = spans[spans.length - 1]
      if (last && last.step === made) last.text += this.texts[i]
      else spans.push({ text: this.texts[i], step: made })
    }
    return spans
  }

  /** `meta.language` after `count` steps (`fallback` before the document had one). */
  languageAfter(count: number, fallback: string): string {
    // A map shows its rightmost value: after n steps, the rightmost one made before step n.
    for (let i = this.languages.length - 1; i >= 0; i--) {
      if (this.languages[i].step < count) return this.languages[i].language
    }
    return fallback
  }

  /** A run's entry, as it was added to the document, by its id; null if the log holds no such run. */
  run(id: string): ReplayRun | null {
    return this.runs.get(id) ?? null
  }

  /** How many steps happened at or before `time` (ms since the epoch). */
  countAt(time: number): number {
    let low = 0
    let high = this.times.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (this.times[mid] <= time) low = mid + 1
      else high = mid
    }
    return low
  }

  /**
   * The first step made through `connection` from a moment on (within `window` ms): where an
   * event of that connection (a paste, say, reported just before its text arrived) shows.
   * -1 if there is none.
   */
  firstStepBy(connection: string, time: number, window = 5_000): number {
    if (!connection) return -1
    for (let step = this.countAt(time - 1); step < this.length && this.times[step] <= time + window; step++) {
      if (this.author(step)?.connection === connection) return step
    }
    return -1
  }

  /** The step that set `meta.language` to `language` nearest to a moment, or -1. */
  languageStep(language: string, time: number): number {
    let best = -1
    for (const change of this.languages) {
      if (change.language !== language || change.step < 0) continue
      if (best < 0 || Math.abs(this.times[change.step] - time) < Math.abs(this.times[best] - time)) best = change.step
    }
    return best
  }

  /** The index in `data.authors` of the step's author, or -1. */
  authorIndex(step: number): number {
    return step >= 0 && step < this.authorOf.length ? this.authorOf[step] : -1
  }

  author(step: number): ReplayAuthor | null {
    return this.data.authors[this.authorIndex(step)] ?? null
  }
}
