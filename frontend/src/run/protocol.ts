// Messages between the page (CodeRunner) and the runner workers. One run at a time per
// worker; every run-scoped message carries the run's id so a late message from a run that
// was already given up on is ignored.
//
// JS/TS worker (src/run/jsWorker.ts), fresh for every run:
//   page -> worker  { type: 'run', id, language: 'javascript' | 'typescript', code, maxOutputBytes }
//   worker -> page  { type: 'started', id }                     (code is about to execute)
//                   { type: 'output', id, stdout, stderr }      (batched, capped)
//                   { type: 'done', id, status, message?, durationMs, truncated }
//
// Python worker (src/run/pyWorker.ts), loaded once and reused:
//   page -> worker  { type: 'init', indexURL, interruptBuffer? }
//   worker -> page  { type: 'progress', stage, loadedBytes, totalBytes }
//                   { type: 'ready', version }  |  { type: 'load-error', message }
//   page -> worker  { type: 'run', id, code, maxOutputBytes }
//   worker -> page  'started', 'output', 'done' as above; status 'interrupted' when the
//                   interrupt buffer stopped it; { type: 'fatal', message } when Python
//                   itself broke (the page then replaces the worker).
//
// The time limit, Stop and the terminate-and-replace of a stuck worker are the page's job:
// a worker busy in a loop cannot be asked anything.

export type WorkerRunStatus = 'ok' | 'error' | 'interrupted'

export interface Truncated {
  stdout: boolean
  stderr: boolean
}

export interface JsRunRequest {
  type: 'run'
  id: string
  language: 'javascript' | 'typescript'
  code: string
  maxOutputBytes: number
}

export interface PyInitRequest {
  type: 'init'
  indexURL: string
  interruptBuffer?: Uint8Array
}

export interface PyRunRequest {
  type: 'run'
  id: string
  code: string
  maxOutputBytes: number
}

export type PythonStage = 'runtime' | 'stdlib' | 'starting'

export type WorkerMessage =
  | { type: 'started'; id: string }
  | { type: 'output'; id: string; stdout: string; stderr: string }
  | { type: 'done'; id: string; status: WorkerRunStatus; message?: string; durationMs: number; truncated: Truncated }
  | { type: 'progress'; stage: PythonStage; loadedBytes: number; totalBytes: number }
  | { type: 'ready'; version: string }
  | { type: 'load-error'; message: string }
  | { type: 'fatal'; id?: string; message: string }

const TYPES = new Set(['started', 'output', 'done', 'progress', 'ready', 'load-error', 'fatal'])

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
