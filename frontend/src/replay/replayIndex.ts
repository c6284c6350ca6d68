// The interview's replay: every logged update, applied in order, so the code can be shown as it
// was at any step, each character attributed to who typed it and when.
//
// Built once when the replay page opens (GET /api/sessions/<id>/replay). The updates are applied
// in order to one document that keeps deleted text (`gc: false`); after each one, the Yjs ids it
// created (the state vector's growth) and the ids it deleted (the transaction's delete set) are
// noted with its step. In a Yjs text, items never move once integrated, and deleted ones stay in
// place here, so the final document's items, in order, are every character that ever existed,
// each knowing the step that made it and the step (if any) that deleted it. The code after `n`
// steps is then the characters made before step n and not deleted before it: one pass over a
// flat array, well under a millisecond for an hour-long interview, without replaying anything.
// Likewise every value `meta.language` had and every run ever appended are still in the final
// document, each with the step that made it: the language at any moment, and a run's output as
// it was, without replaying either.
// Whole documents at a step (docAfter) come from checkpoints every CHECKPOINT_EVERY steps,
// built on first use only. The queries themselves are steps.ts's, on plain arrays, so the page
// can get an index built in a worker (indexWorker.ts).

import * as Y from 'yjs'
import { ReplaySteps, type ReplayData, type ReplayParts, type ReplayRun } from './steps'

export type { AttributedSpan, ReplayAuthor, ReplayData, ReplayEvent, ReplayParts, ReplayRun } from './steps'
export { transferables } from './steps'

export const CHECKPOINT_EVERY = 256

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

function findRange(list: ClockRange[] | undefined, clock: number): ClockRange | null {
  if (!list) return null
  let low = 0
  let high = list.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const range = list[mid]
    if (clock < range.clock) high = mid - 1
    else if (clock >= range.end) low = mid + 1
    else return range
  }
  return null
}

function pushRange(map: Map<number, ClockRange[]>, client: number, range: ClockRange): void {
  let list = map.get(client)
  if (!list) map.set(client, (list = []))
  list.push(range)
}

interface Built {
  updates: Uint8Array[]
  made: Map<number, ClockRange[]>
  parts: ReplayParts
}

/** Apply the log once and read the parts off the final document (see the top of this file). */
function build(data: ReplayData): Built {
  const updates = data.steps.map((step) => decodeBase64(step[3]))
  // Yjs client id -> the clock ranges each step created (in clock order), and deleted.
  const made = new Map<number, ClockRange[]>()
  const removed = new Map<number, ClockRange[]>()

  // One transaction for the whole log (a transaction's clean-up per update would double the
  // cost): after each update, the state vector's growth is what it made, and the delete set's
  // new entries what it deleted.
  const doc = new Y.Doc({ gc: false })
  const states = new Map<number, number>()
  const deletions = new Map<number, number>()
  doc.transact((transaction) => {
    for (let step = 0; step < updates.length; step++) {
      try {
        Y.applyUpdate(doc, updates[step])
      } catch {
        // A log the server accepted always decodes; a broken step changes nothing here.
      }
      doc.store.clients.forEach((structs, client) => {
        const last = structs[structs.length - 1]
        const state = last.id.clock + last.length
        const before = states.get(client) ?? 0
        if (state !== before) {
          pushRange(made, client, { clock: before, end: state, step })
          states.set(client, state)
        }
      })
      transaction.deleteSet.clients.forEach((items, client) => {
        const seen = deletions.get(client) ?? 0
        if (items.length === seen) return
        for (let i = seen; i < items.length; i++) {
          pushRange(removed, client, { clock: items[i].clock, end: items[i].clock + items[i].len, step })
        }
        deletions.set(client, items.length)
      })
    }
  })
  for (const list of removed.values()) list.sort((a, b) => a.clock - b.clock)
  const stepOf = (client: number, clock: number) => findRange(made.get(client), clock)?.step ?? -1

  // The code: every character ever typed, in document order, cut where the step that made it or
  // the step that deleted it changes.
  const texts: string[] = []
  const madeBy: number[] = []
  const deletedBy: number[] = []
  let item = (doc.getText('code') as unknown as { _start: Y.Item | null })._start
  for (; item !== null; item = item.right) {
    if (!(item.content instanceof Y.ContentString)) continue
    const { client, clock } = item.id
    const text = item.content.str
    const madeRanges = made.get(client)
    const removedRanges = removed.get(client)
    let offset = 0
    while (offset < text.length) {
      const at = clock + offset
      const creation = findRange(madeRanges, at)
      const deletion = item.deleted ? findRange(removedRanges, at) : null
      const madeStep = creation?.step ?? 0
      // A deleted character whose deletion went unseen was never shown (made and deleted together).
      const deletedStep = item.deleted ? (deletion?.step ?? madeStep) : Infinity
      const end = Math.min(clock + text.length, creation?.end ?? Infinity, deletion?.end ?? Infinity)
      const piece = text.slice(offset, end - clock)
      const last = texts.length - 1
      if (last >= 0 && madeBy[last] === madeStep && deletedBy[last] === deletedStep) texts[last] += piece
      else {
        texts.push(piece)
        madeBy.push(madeStep)
        deletedBy.push(deletedStep)
      }
      offset = end - clock
    }
  }

  // Every value meta.language ever had (overwritten ones are kept), in the map's order.
  const languages: { step: number; language: string }[] = []
  let value = (doc.getMap('meta') as unknown as { _map: Map<string, Y.Item> })._map.get('language') ?? null
  for (; value !== null; value = value.left) {
    const language = value.content.getContent()[0]
    if (typeof language === 'string' && language) languages.push({ step: stepOf(value.id.client, value.id.clock), language })
  }
  languages.reverse()

  // Every run ever appended (removed ones are kept), by id, with the step that appended it.
  const runs = new Map<string, ReplayRun>()
  let run = (doc.getArray('runs') as unknown as { _start: Y.Item | null })._start
  for (; run !== null; run = run.right) {
    const { client, clock } = run.id
    run.content.getContent().forEach((entry, i) => {
      if (!entry || typeof entry !== 'object' || typeof (entry as { id?: unknown }).id !== 'string') return
      const id = (entry as { id: string }).id
      if (!runs.has(id)) runs.set(id, { entry: entry as Record<string, unknown>, step: stepOf(client, clock + i) })
    })
  }
  doc.destroy()

  return {
    updates,
    made,
    parts: {
      text: texts.join(''),
      lengths: Int32Array.from(texts, (text) => text.length),
      made: Int32Array.from(madeBy),
      deleted: Float64Array.from(deletedBy),
      times: Float64Array.from(data.steps, (step) => step[1]),
      authors: Int32Array.from(data.steps, (step) => step[2]),
      languages,
      runs: [...runs],
    },
  }
}

export class ReplayIndex extends ReplaySteps {
  readonly updates: Uint8Array[]
  readonly parts: ReplayParts
  private readonly madeRanges: Map<number, ClockRange[]>
  private checkpoints: Uint8Array[] | null = null

  constructor(data: ReplayData) {
    const built = build(data)
    super(data, built.parts)
    this.updates = built.updates
    this.madeRanges = built.made
    this.parts = built.parts
  }

  /** The step that created the Yjs item (client, clock), or -1. */
  stepOf(client: number, clock: number): number {
    return findRange(this.madeRanges.get(client), clock)?.step ?? -1
  }

  /** The document after the first `count` steps (0: before any). The caller destroys it. */
  docAfter(count: number): Y.Doc {
    const checkpoints = this.checkpoints ?? this.buildCheckpoints()
    const clamped = Math.max(0, Math.min(count, this.length))
    const checkpoint = Math.floor(Math.max(clamped - 1, 0) / CHECKPOINT_EVERY)
    const doc = new Y.Doc()
    if (clamped > 0) {
      Y.applyUpdate(doc, checkpoints[checkpoint])
      for (let step = checkpoint * CHECKPOINT_EVERY; step < clamped; step++) Y.applyUpdate(doc, this.updates[step])
    }
    return doc
  }

  private buildCheckpoints(): Uint8Array[] {
    const checkpoints: Uint8Array[] = []
    const doc = new Y.Doc()
    this.updates.forEach((update, step) => {
      if (step % CHECKPOINT_EVERY === 0) checkpoints.push(Y.encodeStateAsUpdate(doc))
      Y.applyUpdate(doc, update)
    })
    doc.destroy()
    this.checkpoints = checkpoints
    return checkpoints
  }
}
