// Messages between the page (CodeRunner) and a runner worker (src/run/runtimeWorker.ts).
// Every runtime speaks the same protocol; one worker hosts one runtime and runs one program
// at a time. Every run-scoped message carries the run's id so a late message from a run the
// page already gave up on is ignored.
//
//   page -> worker  { type: 'init', runtime, assetsBase, interruptBuffer? }
//   worker -> page  { type: 'progress', stage, loadedBytes, totalBytes }   (while loading)
//                   { type: 'ready', version }  |  { type: 'load-error', message }
//   page -> worker  { type: 'run', id, language, code, stdin, maxOutputBytes }
//   worker -> page  { type: 'compiling', id }                  (a compiler is at work)
//                   { type: 'started', id }                    (the program is about to execute)
//                   { type: 'output', id, stdout, stderr }     (streamed, capped)
//                   { type: 'done', id, status, message?, durationMs, truncated }
//                   { type: 'fatal', id?, message }            (the runtime itself broke:
//                                                               the page replaces the worker)
//
// `status` is 'interrupted' when Python's interrupt buffer stopped the program. The time
// limits, Stop and the terminate-and-replace of a stuck worker are the page's job: a worker
// busy in a loop cannot be asked anything.

export type WorkerRunStatus = 'ok' | 'error' | 'interrupted'

export interface Truncated {
  stdout: boolean
  stderr: boolean
}

/** What loading waits for: downloading the runtime's files, or starting it (compiling, initialising). */
export type LoadStage = 'download' | 'starting'

export interface InitRequest {
  type: 'init'
  /** A runtime id of src/run/registry.ts. */
  runtime: string
  /** Absolute URL of the build's static root (`https://host/static/`). */
  assetsBase: string
  /** Python only, on cross-origin isolated pages: Pyodide's interrupt buffer. */
  interruptBuffer?: Uint8Array
}

export interface RunRequest {
  type: 'run'
  id: string
  language: string
  code: string
  /** The program's standard input ('' for none). */
  stdin: string
  maxOutputBytes: number
}

export type WorkerMessage =
  | { type: 'compiling'; id: string }
  | { type: 'started'; id: string }
  | { type: 'output'; id: string; stdout: string; stderr: string }
  | { type: 'done'; id: string; status: WorkerRunStatus; message?: string; durationMs: number; truncated: Truncated }
  | { type: 'progress'; stage: LoadStage; loadedBytes: number; totalBytes: number }
  | { type: 'ready'; version: string }
  | { type: 'load-error'; message: string }
  | { type: 'fatal'; id?: string; message: string }

const TYPES = new Set(['compiling', 'started', 'output', 'done', 'progress', 'ready', 'load-error', 'fatal'])

/** A message from a worker, or null when it is not one of ours (user code can postMessage too). */
export function asWorkerMessage(data: unknown): WorkerMessage | null {
  if (data === null || typeof data !== 'object') return null
  const type = (data as { type?: unknown }).type
  if (typeof type !== 'string' || !TYPES.has(type)) return null
  const message = data as Record<string, unknown>
  switch (type) {
    case 'output':
      return typeof message.stdout === 'string' && typeof message.stderr === 'string' ? (data as WorkerMessage) : null
    case 'done':
      return typeof message.status === 'string' ? (data as WorkerMessage) : null
    default:
      return data as WorkerMessage
  }
}
