// The Python runner: Pyodide in a dedicated module worker, loaded from this server's own
// static files (copied from the npm `pyodide` package at build time), never from a CDN.
// It reports its download progress while loading, then runs programs one at a time,
// stdout and stderr captured and capped. A runaway program is stopped by the page: through
// the interrupt buffer when the page is cross-origin isolated (SharedArrayBuffer), else by
// terminating this worker and loading a fresh one.

import { loadPyodide, type PyodideInterface } from 'pyodide'
import { OutputSink, WORKER_OUTPUT_PACING, type Stream } from './output'
import type { PyInitRequest, PyRunRequest, PythonStage, WorkerMessage } from './protocol'
import { PYTHON_SUPPORT } from './pythonSupport'

interface WorkerScope {
  postMessage(message: WorkerMessage): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  fetch: typeof fetch
}

const scope = globalThis as unknown as WorkerScope
const post = (message: WorkerMessage) => scope.postMessage(message)

// Expected sizes (from the build) until each response's Content-Length is known.
const FILE_STAGES: Record<string, PythonStage> = {
  'pyodide.asm.mjs': 'runtime',
  'pyodide.asm.wasm': 'runtime',
  'python_stdlib.zip': 'stdlib',
  'pyodide-lock.json': 'runtime',
}
const totals: Record<string, number> = { ...__PYODIDE_FILE_SIZES__ }
const loaded: Record<string, number> = Object.fromEntries(Object.keys(totals).map((name) => [name, 0]))
const finished = new Set<string>()
let started = false
let lastReport = 0
let lastStage: PythonStage | null = null

/** What loading waits for now: the runtime's download, the stdlib's, or Python starting up. */
function currentStage(): PythonStage {
  const waiting = (stage: PythonStage) => Object.keys(FILE_STAGES).some((name) => FILE_STAGES[name] === stage && !finished.has(name))
  if (started) return 'starting'
  if (waiting('runtime')) return 'runtime'
  if (waiting('stdlib')) return 'stdlib'
  return 'starting'
}

function report(force = false) {
  const now = performance.now()
  const stage = currentStage()
  if (!force && stage === lastStage && now - lastReport < 100) return
  lastReport = now
  lastStage = stage
  const totalBytes = Object.values(totals).reduce((a, b) => a + b, 0)
  const loadedBytes = Object.keys(totals).reduce((sum, name) => sum + Math.min(loaded[name] ?? 0, totals[name]), 0)
  post({ type: 'progress', stage, loadedBytes, totalBytes })
}

/** fetch, counting the bytes of Pyodide's own files as they stream in. */
function countingFetch(realFetch: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await realFetch(input, init)
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const name = new URL(url, location.href).pathname.split('/').pop() ?? ''
    if (!(name in FILE_STAGES) || !response.ok || !response.body) return response
    const length = Number(response.headers.get('content-length'))
    if (length > 0 && !response.headers.get('content-encoding')) totals[name] = length
    report(true)
    // Count a clone's bytes; the original response goes to Pyodide untouched, so the
    // browser still compiles the WebAssembly while it streams in (and can cache it).
    void countBytes(name, response.clone())
    return response
  }
}

async function countBytes(name: string, response: Response) {
  const reader = response.body?.getReader()
  if (!reader) return
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      loaded[name] = (loaded[name] ?? 0) + value.byteLength
      report()
    }
    totals[name] = Math.max(loaded[name] ?? 0, 1)
    finished.add(name)
    report(true)
  } catch {
    // The real response failed too; Pyodide reports that.
  }
}

let pyodide: PyodideInterface | null = null
let interruptBuffer: Uint8Array | undefined
let currentSink: OutputSink | null = null
let broken = false

function writer(stream: Stream) {
  const decoder = new TextDecoder()
  return {
    isatty: true, // line-buffered: output before a runaway loop still reaches the page
    write(buffer: Uint8Array): number {
      const sink = currentSink
      if (!sink || !sink.accepting(stream)) return buffer.length
      // Decode no more than can be kept (a print of megabytes stays cheap).
      const room = sink.room(stream)
      const slice = buffer.length > room + 4 ? buffer.subarray(0, room + 4) : buffer
      sink.write(stream, decoder.decode(slice, { stream: true }))
      if (slice !== buffer) sink.markTruncated(stream, buffer.length - slice.length)
      return buffer.length
    },
  }
}

async function init(request: PyInitRequest) {
  try {
    scope.fetch = countingFetch(scope.fetch.bind(globalThis))
    report(true)
    const py = await loadPyodide({
      indexURL: request.indexURL,
      env: { PYTHON_COLORS: '0', NO_COLOR: '1' },
      stdout: () => {},
      stderr: () => {},
    })
    started = true
    report(true)
    py.setStdout(writer('stdout'))
    py.setStderr(writer('stderr'))
    py.setStdin({ stdin: () => null, isatty: false })
    if (request.interruptBuffer) {
      interruptBuffer = request.interruptBuffer
      py.setInterruptBuffer(interruptBuffer)
    }
    py.runPython(PYTHON_SUPPORT)
    pyodide = py
    post({ type: 'ready', version: py.version })
  } catch (error) {
    post({ type: 'load-error', message: String((error as Error)?.message ?? error) })
  }
}

function runProgram(request: PyRunRequest) {
  const { id } = request
  if (!pyodide || broken) {
    post({ type: 'fatal', id, message: 'Python is not ready.' })
    return
  }
  const sink = new OutputSink({
    maxBytes: request.maxOutputBytes,
    ...WORKER_OUTPUT_PACING,
    now: () => performance.now(),
    send: (batch) => post({ type: 'output', id, ...batch }),
    schedule: (flush, ms) => setTimeout(flush, ms),
  })
  currentSink = sink
  if (interruptBuffer) interruptBuffer[0] = 0
  post({ type: 'started', id })
  const startedAt = performance.now()
  try {
    const runFn = pyodide.globals.get('_pad_run')
    let resultJson: string
    try {
      resultJson = runFn(request.code) as string
    } finally {
      runFn.destroy()
    }
    const result = JSON.parse(resultJson) as { status: 'ok' | 'error' | 'interrupted'; message: string | null }
    const durationMs = performance.now() - startedAt
    currentSink = null
    post({ type: 'done', id, status: result.status, message: result.message ?? undefined, durationMs, truncated: sink.close() })
  } catch (error) {
    // Python itself failed (a stack overflow in the interpreter, out of memory, ...):
    // this worker cannot be trusted any more; the page replaces it.
    broken = true
    currentSink = null
    sink.close()
    post({ type: 'fatal', id, message: String((error as Error)?.message ?? error) })
  }
}

scope.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as PyInitRequest | PyRunRequest | null
  if (data?.type === 'init') void init(data)
  else if (data?.type === 'run') runProgram(data)
})
