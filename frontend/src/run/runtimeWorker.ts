// The runner worker: one module worker hosts one runtime (src/run/languages/<id>.ts, loaded
// on `init` as its own chunk, so the page and other runtimes never download it), reports its
// loading progress, then runs programs one at a time with their output streamed and capped
// (protocol.ts has the messages). The page terminates this worker for Stop or a time limit.

import { OutputSink, WORKER_OUTPUT_PACING } from './output'
import type { InitRequest, LoadStage, RunRequest, WorkerMessage } from './protocol'
import { errorText, type LoadContext, type Runtime, type RunIO } from './runtime'

interface WorkerScope {
  postMessage(message: WorkerMessage): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

const scope = globalThis as unknown as WorkerScope
const post = (message: WorkerMessage) => scope.postMessage(message)
// Our own timers and clock, kept before a program can replace them (the JavaScript runtime
// wraps setTimeout to know when a program is idle; the output pacing must not count).
const realSetTimeout = globalThis.setTimeout.bind(globalThis)
const now = performance.now.bind(performance)
// The network as it is (runtimes may wrap the global fetch to count their own downloads).
const realFetch = globalThis.fetch.bind(globalThis)

// Every runtime module, each its own chunk, loaded only by the worker that hosts it.
const MODULES = import.meta.glob<{ default: Runtime }>(['./languages/*.ts', '!./languages/*.test.ts'])

let runtime: Runtime | null = null
let broken = false
let running = false
const queue: RunRequest[] = []

// ---- loading, with progress ---------------------------------------------------------------

let expectedTotal = 0
let loadedTotal = 0
let lastReport = 0
let lastStage: LoadStage | null = null

function report(stage: LoadStage, force = false) {
  const time = now()
  if (!force && stage === lastStage && time - lastReport < 100) return
  lastReport = time
  lastStage = stage
  post({ type: 'progress', stage, loadedBytes: Math.min(loadedTotal, expectedTotal), totalBytes: expectedTotal })
}

async function countedFetch(url: string | URL, expectedBytes?: number): Promise<Response> {
  const response = await realFetch(url)
  if (!response.ok) throw new Error(`${response.status} ${response.statusText || 'error'} for ${new URL(url, location.href).pathname}`)
  const encoded = response.headers.get('content-encoding')
  const length = Number(response.headers.get('content-length'))
  const expected = expectedBytes ?? (!encoded && length > 0 ? length : 0)
  if (expectedBytes === undefined) expectedTotal += expected
  if (!response.body) return response
  // Count a copy's bytes; the response itself goes to the runtime untouched, so the browser
  // compiles WebAssembly while it streams in and can keep the compiled code in its cache.
  void countBytes(response.clone(), expected)
  return response
}

async function countBytes(response: Response, expected: number) {
  const reader = response.body?.getReader()
  if (!reader) return
  let seen = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      // Never count past what was expected of this file (the total must stay a total).
      loadedTotal += Math.max(0, Math.min(value.byteLength, expected - seen))
      seen += value.byteLength
      report('download')
    }
  } catch {
    // The response itself failed too; the runtime reports that.
  }
}

async function init(request: InitRequest) {
  try {
    const load = MODULES[`./languages/${request.runtime}.ts`]
    if (!load) throw new Error(`unknown runtime ${request.runtime}`)
    report('download', true)
    const module = await load()
    const context: LoadContext = {
      assetsBase: request.assetsBase,
      progress: (stage) => report(stage, true),
      fetch: countedFetch,
      expect: (bytes) => {
        expectedTotal += bytes
        report('download', true)
      },
      counted: (bytes) => {
        loadedTotal += bytes
        report('download')
      },
      interruptBuffer: request.interruptBuffer,
    }
    const version = await module.default.load(context)
    runtime = module.default
    post({ type: 'ready', version })
    drain()
  } catch (error) {
    post({ type: 'load-error', message: errorText(error) })
  }
}

// ---- running ---------------------------------------------------------------------------

function drain() {
  if (running || !runtime) return
  const next = queue.shift()
  if (next) void runProgram(runtime, next)
}

async function runProgram(active: Runtime, request: RunRequest) {
  const { id } = request
  if (broken) {
    post({ type: 'fatal', id, message: 'The runtime is not usable any more.' })
    return
  }
  running = true
  const sink = new OutputSink({
    maxBytes: request.maxOutputBytes,
    ...WORKER_OUTPUT_PACING,
    now,
    send: (batch) => post({ type: 'output', id, ...batch }),
    schedule: (flush, ms) => realSetTimeout(flush, ms),
  })
  let startedAt = now()
  let didStart = false
  const io: RunIO = {
    write: (stream, text) => sink.write(stream, text),
    accepting: (stream) => sink.accepting(stream),
    room: (stream) => sink.room(stream),
    truncated: (stream) => sink.markTruncated(stream, 0),
    compiling: () => post({ type: 'compiling', id }),
    started: () => {
      if (didStart) return
      didStart = true
      startedAt = now()
      post({ type: 'started', id })
    },
  }
  try {
    const outcome = await active.run({ language: request.language, code: request.code, stdin: request.stdin }, io)
    io.started()
    const durationMs = now() - startedAt
    post({ type: 'done', id, status: outcome.status, message: outcome.message, durationMs, truncated: sink.close() })
  } catch (error) {
    // The runtime itself failed (out of memory, a broken interpreter): this worker cannot be
    // trusted any more; the page replaces it.
    broken = true
    sink.close()
    post({ type: 'fatal', id, message: errorText(error) })
  } finally {
    running = false
    drain()
    if (!running && !broken) active.idle?.()
  }
}

scope.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as InitRequest | RunRequest | null
  if (data?.type === 'init') void init(data)
  else if (data?.type === 'run') {
    queue.push(data)
    drain()
  }
})
