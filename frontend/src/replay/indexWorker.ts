// Indexes an interview's replay data (replayIndex.ts) off the page's thread, so the page loads
// and starts its editor meanwhile; the index goes back as transferable parts. The page makes the
// request itself, as early as it can (replay/load.ts), and hands over the answer's body as it
// streams in. This script is small: it starts at once and loads the indexing code (Yjs) while
// the answer is on its way.

import type { ReplayData, ReplayParts } from './steps'

export interface IndexRequest {
  /** The answer's body: a stream (transferred) or, where streams cannot be transferred, its bytes. */
  body: ReadableStream<Uint8Array> | ArrayBuffer
}

export type IndexAnswer =
  | { ok: true; data: ReplayData; parts: ReplayParts; timings: Record<string, number> }
  | { ok: false; detail: string }

/** Now, as ms since the epoch (a worker's clock starts at its own origin). */
const now = () => performance.timeOrigin + performance.now()

const indexing = import('./replayIndex')

self.onmessage = async (event: MessageEvent<IndexRequest>) => {
  let data: ReplayData
  let fetched: number
  try {
    const text = await new Response(event.data.body).text()
    fetched = now()
    data = JSON.parse(text) as ReplayData
  } catch {
    self.postMessage({ ok: false, detail: 'The replay’s data could not be read.' } satisfies IndexAnswer)
    return
  }
  const parsed = now()
  const { ReplayIndex, transferables } = await indexing
  const index = new ReplayIndex(data)
  // The steps' updates stay here: the parts hold what the page needs of them.
  const answer: IndexAnswer = { ok: true, data: { ...data, steps: [] }, parts: index.parts, timings: { fetched, parsed, indexed: now() } }
  self.postMessage(answer, { transfer: transferables(index.parts) })
}
