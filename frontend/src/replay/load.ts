// Loading what the replay page shows, started as soon as the route is known (index.html's inline
// script, before any of the app's code loads; else replay/early.ts, before the rest of the bundle
// runs): the replay's data is requested at once and indexed by a worker (indexWorker.ts) while
// the page's own code downloads and starts. A secret link's `#key=` is sent with that request as
// a bearer token, and traded for the role cookie (as on the session page) for the page's other calls.

import { ApiError, claimSession, errorDetail, getSession, type Session } from '../api'
import { hashWithoutKey, keyFromHash } from '../keyLink'
import type { IndexAnswer, IndexRequest } from './indexWorker'
import { ReplaySteps } from './steps'

export type ReplayLoad =
  | { state: 'ready'; replay: ReplaySteps; session: Session }
  | { state: 'forbidden'; session: Session | null }
  | { state: 'missing' }
  | { state: 'bad-key'; message: string }
  | { state: 'error'; message: string }

const pending = new Map<string, Promise<ReplayLoad>>()

function detail(err: unknown): string {
  return err instanceof ApiError ? err.detail : 'Could not reach the server.'
}

interface IndexSource {
  url: string
  /** A secret link's key, sent as a bearer token (the role cookie may not be set yet). */
  key: string | null
}

declare global {
  interface Window {
    /** The request index.html's inline script made before any of the app's code loaded. */
    __replayRequest?: IndexSource & { answer: Promise<Response> }
  }
}

/** The inline script's request, when it asked for what `source` asks (taken once). */
function earlyAnswer(source: IndexSource): Promise<Response> | null {
  const early = window.__replayRequest
  delete window.__replayRequest
  return early && early.url === source.url && early.key === source.key ? early.answer : null
}

async function fetchReplay(source: IndexSource): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (source.key) headers.Authorization = `Bearer ${source.key}`
  let answer = earlyAnswer(source)
  if (!answer) {
    performance.mark('replay:request')
    answer = fetch(source.url, { headers, credentials: 'same-origin' })
  }
  const response = await answer
  if (!response.ok) {
    const body = await response.json().catch(() => null)
    throw new ApiError(response.status, errorDetail(body, response.status))
  }
  return response
}

/** Index on this thread (when a worker cannot start). */
async function indexHere(answer: Promise<Response>): Promise<ReplaySteps> {
  const [{ ReplayIndex }, response] = await Promise.all([import('./replayIndex'), answer])
  return new ReplayIndex(await response.json())
}

/**
 * The replay's data, indexed by a worker. The request leaves now, from this thread (a worker
 * takes a while to start, and would queue behind the page's own scripts); its body streams to
 * the worker.
 */
function indexed(source: IndexSource): Promise<ReplaySteps> {
  const answer = fetchReplay(source)
  let worker: Worker
  try {
    worker = new Worker(new URL('./indexWorker.ts', import.meta.url), { type: 'module', name: 'replay-index' })
  } catch {
    return indexHere(answer)
  }
  return new Promise<ReplaySteps>((resolve, reject) => {
    const fail = (err: unknown) => {
      worker.terminate()
      reject(err)
    }
    worker.onmessage = (event: MessageEvent<IndexAnswer>) => {
      worker.terminate()
      const result = event.data
      if (!result.ok) return reject(new ApiError(0, result.detail))
      // The worker's moments on the page's clock, for bench/replay_load.py.
      for (const [name, at] of Object.entries(result.timings)) {
        performance.mark(`replay:${name}`, { startTime: Math.max(0, at - performance.timeOrigin) })
      }
      resolve(new ReplaySteps(result.data, result.parts))
    }
    worker.onerror = (event) => {
      event.preventDefault()
      worker.terminate()
      indexHere(answer).then(resolve, reject)
    }
    answer.then(async (response) => {
      const body = response.body
      try {
        if (!body) throw new Error('no stream')
        worker.postMessage({ body } satisfies IndexRequest, [body])
      } catch {
        // Streams that cannot be transferred: the bytes, then.
        const bytes = await response.arrayBuffer()
        worker.postMessage({ body: bytes } satisfies IndexRequest, [bytes])
      }
    }, fail)
  })
}

async function load(sessionId: string): Promise<ReplayLoad> {
  const key = keyFromHash(location.hash)
  const replay = indexed({ url: `/api/sessions/${encodeURIComponent(sessionId)}/replay`, key })
  replay.catch(() => undefined) // read below; never an unhandled rejection meanwhile
  if (key) {
    const forgetKey = () =>
      history.replaceState(history.state, '', location.pathname + location.search + hashWithoutKey(location.hash))
    try {
      await claimSession(sessionId, key)
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        forgetKey()
        return { state: 'bad-key', message: err.detail }
      }
      if (err instanceof ApiError && err.isNotFound) return { state: 'missing' }
      return { state: 'error', message: detail(err) }
    }
    forgetKey()
  }
  const [steps, session] = await Promise.allSettled([replay, getSession(sessionId)])
  performance.mark('replay:data')
  if (steps.status === 'fulfilled' && session.status === 'fulfilled') return { state: 'ready', replay: steps.value, session: session.value }
  const failure = steps.status === 'rejected' ? steps.reason : (session as PromiseRejectedResult).reason
  if (failure instanceof ApiError && failure.isNotFound) return { state: 'missing' }
  if (failure instanceof ApiError && (failure.status === 403 || failure.status === 401)) {
    return { state: 'forbidden', session: session.status === 'fulfilled' ? session.value : null }
  }
  return { state: 'error', message: detail(failure) }
}

/** Start loading (once per page visit); the page picks the same promise up. */
export function loadReplay(sessionId: string): Promise<ReplayLoad> {
  let promise = pending.get(sessionId)
  if (!promise) {
    promise = load(sessionId)
    pending.set(sessionId, promise)
  }
  return promise
}

/** Forget a load (to try again, or when the page is left). */
export function forgetReplay(sessionId: string): void {
  pending.delete(sessionId)
}
