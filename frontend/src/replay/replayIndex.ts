// The interview's replay: every logged update, applied in order, so the code can be shown as it
// was at any step, each character attributed to who typed it and when.
//
// Built once when the replay page opens (GET /api/sessions/<id>/replay): the updates are applied
// to one document, and every CHECKPOINT_EVERY steps its state is kept. The code at step i is then
// the nearest checkpoint at or before i plus at most CHECKPOINT_EVERY - 1 updates: any moment of a
// long interview is a few milliseconds away. Each update's Yjs ids (client, clock range) are
// indexed by step, so a character's item id says which step, hence which author and when, made it.

import * as Y from 'yjs'

export const CHECKPOINT_EVERY = 256

export interface ReplayAuthor {
  name: string
  role: string
  client: string
  connection: string
}

export interface ReplayEvent {
  id: number
  kind: string
  at: string
  name: string
  role: string
  connection: string
  data: Record<string, unknown>
}

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

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

interface ClockRange {
  clock: number
  end: number
  step: number
}

export class ReplayIndex {
  readonly data: ReplayData
  readonly updates: Uint8Array[]
  readonly times: number[]
  private readonly checkpoints: Uint8Array[] = []
  // Yjs client id -> the clock ranges its steps created, in clock order.
  private readonly ranges = new Map<number, ClockRange[]>()

  constructor(data: ReplayData) {
    this.data = data
    this.updates = data.steps.map((step) => decodeBase64(step[3]))
    this.times = data.steps.map((step) => step[1])
    const doc = new Y.Doc()
    this.updates.forEach((update, step) => {
      if (step % CHECKPOINT_EVERY === 0) this.checkpoints.push(Y.encodeStateAsUpdate(doc))
      for (const struct of Y.decodeUpdate(update).structs) {
        if (struct instanceof Y.Item) this.addRange(struct.id.client, struct.id.clock, struct.length, step)
      }
      Y.applyUpdate(doc, update)
    })
    doc.destroy()
  }

  get length(): number {
    return this.updates.length
  }

  private addRange(client: number, clock: number, length: number, step: number): void {
    let list = this.ranges.get(client)
    if (!list) this.ranges.set(client, (list = []))
    list.push({ clock, end: clock + length, step })
  }

  /** The step that created the Yjs item (client, clock), or -1. */
  stepOf(client: number, clock: number): number {
    const list = this.ranges.get(client)
    if (!list) return -1
    let low = 0
    let high = list.length - 1
    while (low <= high) {
      const mid = (low + high) >> 1
      const range = list[mid]
      if (clock < range.clock) high = mid - 1
      else if (clock >= range.end) low = mid + 1
      else return range.step
    }
    return -1
  }

  /** The document after the first `count` steps (0: before any). The caller destroys it. */
  docAfter(count: number): Y.Doc {
    const clamped = Math.max(0, Math.min(count, this.length))
    const checkpoint = Math.floor(Math.max(clamped - 1, 0) / CHECKPOINT_EVERY)
    const doc = new Y.Doc()
    if (clamped > 0) {
      Y.applyUpdate(doc, this.checkpoints[checkpoint])
      for (let step = checkpoint * CHECKPOINT_EVERY; step < clamped; step++) Y.applyUpdate(doc, this.updates[step])
    }
    return doc
  }

  /** The code after the first `count` steps. */
  codeAfter(count: number): string {
    const doc = this.docAfter(count)
    const code = doc.getText('code').toString()
    doc.destroy()
    return code
  }

  /** The code after `count` steps as spans, each made by one step (its author and time). */
  spansAfter(count: number): AttributedSpan[] {
    const doc = this.docAfter(count)
    const spans: AttributedSpan[] = []
    let item = (doc.getText('code') as unknown as { _start: Y.Item | null })._start
    while (item !== null) {
      if (!item.deleted && item.content instanceof Y.ContentString) {
        const step = this.stepOf(item.id.client, item.id.clock)
        const text = item.content.str
        const last = spans[spans.length - 1]
        if (last && last.step === step) last.text += text
        else spans.push({ text, step })
      }
      item = item.right
    }
    doc.destroy()
    return spans
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

  author(step: number): ReplayAuthor | null {
    const index = this.data.steps[step]?.[2]
    return index === undefined ? null : (this.data.authors[index] ?? null)
  }
}
