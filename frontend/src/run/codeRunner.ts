// The page's side of running code: it owns the runner workers, enforces the time limits,
// implements Stop, and turns what the workers report into one result per run. Workers
// come from a factory so the unit tests can drive this with fakes and fake timers.
//
// JavaScript / TypeScript: a fresh worker per run (a spare one is made ahead of time so a
// run starts at once); the limit counts from the request; Stop or the limit terminates it.
// Python: one long-lived worker holding Pyodide. The limit counts from the moment the
// program starts (loading Pyodide excluded). Stop or the limit uses the interrupt buffer
// when the page is cross-origin isolated and the program reacts within a grace period;
// otherwise the worker is terminated and a fresh one loads Pyodide again, in the background,
// with its progress shown.

import { asWorkerMessage, type PythonStage, type Truncated, type WorkerMessage } from './protocol'
import { MAX_OUTPUT_BYTES, type RunStatus } from './runs'
import { utf8Length, truncateUtf8 } from './output'

export type WorkerKind = 'js' | 'python'

/** The part of `Worker` the runner uses. */
export interface WorkerLike {
  postMessage(message: unknown): void
  terminate(): void
  onmessage: ((event: { data: unknown }) => void) | null
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null
}

export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface RunnerOptions {
  createWorker(kind: WorkerKind): WorkerLike
  /** Where the Pyodide files are served (`.../static/pyodide/`). */
  pyodideIndexURL: string
  /** Use Pyodide's interrupt buffer (needs SharedArrayBuffer, i.e. crossOriginIsolated). */
  interruptible: boolean
  clock?: Clock
  jsTimeLimitMs?: number
  pythonTimeLimitMs?: number
  /** After an interrupt request, how long Python gets to stop before its worker is terminated. */
  interruptGraceMs?: number
  maxOutputBytes?: number
}

export const JS_TIME_LIMIT_MS = 5_000
export const PYTHON_TIME_LIMIT_MS = 10_000
const INTERRUPT_GRACE_MS = 1_500
const NOTIFY_INTERVAL_MS = 50

export type RunnableLanguage = 'javascript' | 'typescript' | 'python'

export function isRunnableLanguage(language: string): language is RunnableLanguage {
  return language === 'javascript' || language === 'typescript' || language === 'python'
}

export interface RunResult {
  id: string
  language: RunnableLanguage
  stdout: string
  stderr: string
  status: RunStatus
  message?: string
  durationMs: number
  truncated: Truncated
}

export interface LiveRun {
  id: string
  language: RunnableLanguage
  /** `loading` while Python is still being loaded for this run; `stopping` after Stop. */
  phase: 'loading' | 'running' | 'stopping'
  stdout: string
  stderr: string
  startedAt: number
}

export interface PythonState {
  status: 'cold' | 'loading' | 'ready' | 'failed'
  stage: PythonStage | null
  loadedBytes: number
  totalBytes: number
  /** Loading again after its worker was terminated (Stop or time limit). */
  restarting: boolean
  error: string | null
}

export interface RunnerState {
  live: LiveRun | null
  python: PythonState
}

const COLD_PYTHON: PythonState = { status: 'cold', stage: null, loadedBytes: 0, totalBytes: 0, restarting: false, error: null }

const defaultClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

interface ActiveRun {
  id: string
  language: RunnableLanguage
  worker: WorkerLike
  stdout: string
  stderr: string
  /** UTF-8 bytes held per stream (kept as we go: output arrives in many small pieces). */
  bytes: { stdout: number; stderr: number }
  truncated: Truncated
  requestedAt: number
  /** When the program started executing (for Python, after loading). */
  executingAt: number | null
  limitTimer: unknown
  graceTimer: unknown
  /** Set once Stop or the time limit asked this run to end. */
  ending: 'timeout' | 'stopped' | null
  resolve: (result: RunResult) => void
}

let runCounter = 0
function newRunId(): string {
  runCounter += 1
  const random = Math.random().toString(36).slice(2, 8)
  return `${Date.now().toString(36)}-${random}-${runCounter}`
}

export class CodeRunner {
  private readonly options: Required<Omit<RunnerOptions, 'clock'>> & { clock: Clock }
  private readonly listeners = new Set<() => void>()
  private state: RunnerState = { live: null, python: COLD_PYTHON }
  private active: ActiveRun | null = null
  private spareJs: WorkerLike | null = null
  private python: WorkerLike | null = null
  private pythonReady = false
  /** The program of a Python run waiting for Pyodide to finish loading. */
  private pendingPythonCode: string | null = null
  private readonly interruptBuffer: Uint8Array | undefined
  private notifyTimer: unknown = null
  private disposed = false

  constructor(options: RunnerOptions) {
    this.options = {
      clock: defaultClock,
      jsTimeLimitMs: JS_TIME_LIMIT_MS,
      pythonTimeLimitMs: PYTHON_TIME_LIMIT_MS,
      interruptGraceMs: INTERRUPT_GRACE_MS,
      maxOutputBytes: MAX_OUTPUT_BYTES,
      ...options,
    }
    this.interruptBuffer = options.interruptible ? new Uint8Array(new SharedArrayBuffer(1)) : undefined
  }

  // ---- state for the UI ----------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getState = (): RunnerState => this.state

  isBusy(): boolean {
    return this.active !== null
  }

  /** After dispose() (the page is going away): a run it ended must not be recorded. */
  isDisposed(): boolean {
    return this.disposed
  }

  private setState(next: Partial<RunnerState>) {
    this.state = { ...this.state, ...next }
    this.emit()
  }

  private emit() {
    for (const listener of this.listeners) listener()
  }

  private setPython(next: Partial<PythonState>) {
    this.setState({ python: { ...this.state.python, ...next } })
  }

  private phaseOf(run: ActiveRun): LiveRun['phase'] {
    if (run.ending) return 'stopping'
    return run.language === 'python' && run.executingAt === null && !this.pythonReady ? 'loading' : 'running'
  }

  /** Publish the live run now. */
  private updateLive(run: ActiveRun) {
    if (this.notifyTimer !== null) {
      this.options.clock.clearTimeout(this.notifyTimer)
      this.notifyTimer = null
    }
    if (this.active !== run) return
    this.setState({
      live: {
        id: run.id,
        language: run.language,
        phase: this.phaseOf(run),
        stdout: run.stdout,
        stderr: run.stderr,
        startedAt: run.executingAt ?? run.requestedAt,
      },
    })
  }

  /** Publish the live run soon: output arrives in many small messages; the UI needs 20 a second at most. */
  private updateLiveSoon(run: ActiveRun) {
    if (this.notifyTimer !== null) return
    this.notifyTimer = this.options.clock.setTimeout(() => {
      this.notifyTimer = null
      this.updateLive(run)
    }, NOTIFY_INTERVAL_MS)
  }

  // ---- running -------------------------------------------------------------------------

  /** Run a program; resolves when it finished, failed, hit the limit or was stopped. */
  run(language: RunnableLanguage, code: string): Promise<RunResult> {
    if (this.disposed) return Promise.reject(new Error('runner disposed'))
    if (this.active) return Promise.reject(new Error('a run is already in progress'))
    return new Promise<RunResult>((resolve) => {
      const id = newRunId()
      const isPython = language === 'python'
      const worker = isPython ? this.ensurePython() : this.takeJsWorker()
      const run: ActiveRun = {
        id,
        language,
        worker,
        stdout: '',
        stderr: '',
        bytes: { stdout: 0, stderr: 0 },
        truncated: { stdout: false, stderr: false },
        requestedAt: this.options.clock.now(),
        executingAt: null,
        limitTimer: null,
        graceTimer: null,
        ending: null,
        resolve,
      }
      this.active = run
      if (isPython) {
        if (this.pythonReady) this.startPython(run, code)
        else this.pendingPythonCode = code
        this.updateLive(run)
      } else {
        worker.onmessage = (event) => this.onJsMessage(run, event.data)
        worker.onerror = (event) => {
          event.preventDefault?.()
          this.finish(run, { status: 'error', message: `The JavaScript runner failed: ${event.message ?? 'unknown error'}` })
        }
        worker.postMessage({ type: 'run', id, language, code, maxOutputBytes: this.options.maxOutputBytes })
        run.limitTimer = this.options.clock.setTimeout(() => this.end(run, 'timeout'), this.options.jsTimeLimitMs)
        this.updateLive(run)
      }
    })
  }

  /** Stop the current run (Stop button). */
  stop(): void {
    if (this.active) this.end(this.active, 'stopped')
  }

  dispose(): void {
    this.disposed = true
    if (this.active) this.end(this.active, 'stopped')
    this.spareJs?.terminate()
    this.spareJs = null
    this.python?.terminate()
    this.python = null
    if (this.notifyTimer !== null) this.options.clock.clearTimeout(this.notifyTimer)
    this.notifyTimer = null
    this.listeners.clear()
  }

  private takeJsWorker(): WorkerLike {
    const worker = this.spareJs ?? this.options.createWorker('js')
    this.spareJs = null
    return worker
  }

  private prepareSpareJs() {
    if (!this.disposed && !this.spareJs) this.spareJs = this.options.createWorker('js')
  }

  private appendOutput(run: ActiveRun, stdout: string, stderr: string) {
    const max = this.options.maxOutputBytes
    for (const [stream, extra] of [['stdout', stdout], ['stderr', stderr]] as const) {
      if (!extra || run.truncated[stream]) continue
      const size = utf8Length(extra)
      const room = max - run.bytes[stream]
      if (size <= room) {
        run[stream] += extra
        run.bytes[stream] += size
      } else {
        run.truncated[stream] = true
        const piece = truncateUtf8(extra, room)
        run[stream] += piece
        run.bytes[stream] += utf8Length(piece)
      }
    }
  }

  private onCommonMessage(run: ActiveRun, message: WorkerMessage): boolean {
    if ('id' in message && message.id !== undefined && message.id !== run.id) return true
    if (message.type === 'output') {
      this.appendOutput(run, message.stdout, message.stderr)
      this.updateLiveSoon(run)
      return true
    }
    if (message.type === 'started') {
      run.executingAt = this.options.clock.now()
      return true
    }
    return false
  }

  private onJsMessage(run: ActiveRun, data: unknown) {
    const message = asWorkerMessage(data)
    if (!message || this.active !== run || this.onCommonMessage(run, message)) return
    if (message.type === 'done') {
      run.truncated.stdout ||= message.truncated?.stdout ?? false
      run.truncated.stderr ||= message.truncated?.stderr ?? false
      this.finish(run, {
        status: message.status === 'ok' ? 'ok' : 'error',
        message: message.message,
        durationMs: message.durationMs,
      })
    }
  }

  /** Ask the run to end: Stop (`stopped`) or the limit (`timeout`). */
  private end(run: ActiveRun, reason: 'timeout' | 'stopped') {
    if (this.active !== run || run.ending) return
    run.ending = reason
    const message = this.endMessage(run, reason)
    const executing = run.executingAt !== null
    if (run.language === 'python' && executing && this.interruptBuffer) {
      // SIGINT: Python raises KeyboardInterrupt at its next check and reports `interrupted`.
      this.interruptBuffer[0] = 2
      this.updateLive(run)
      run.graceTimer = this.options.clock.setTimeout(() => this.finish(run, { status: reason, message }, true), this.options.interruptGraceMs)
      return
    }
    this.finish(run, { status: reason, message }, run.language !== 'python' || this.python !== null)
  }

  private endMessage(run: ActiveRun, reason: 'timeout' | 'stopped'): string {
    if (reason === 'stopped') {
      if (run.language === 'python' && run.executingAt === null) return 'Stopped while Python was loading.'
      return 'Stopped.'
    }
    const limit = run.language === 'python' ? this.options.pythonTimeLimitMs : this.options.jsTimeLimitMs
    const seconds = Math.round(limit / 100) / 10
    const restart = run.language === 'python' && !this.interruptBuffer ? ' Python is restarted for the next run.' : ''
    return `Time limit exceeded: the program was stopped after ${seconds} s.${restart}`
  }

  /**
   * Resolve the run. `killWorker` terminates its worker (always for JS; for Python when it
   * is stuck or broken, followed by a fresh one loading in the background).
   */
  private finish(run: ActiveRun, outcome: { status: RunStatus; message?: string; durationMs?: number }, killWorker = true) {
    if (this.active !== run) return
    this.active = null
    this.pendingPythonCode = null
    this.options.clock.clearTimeout(run.limitTimer)
    this.options.clock.clearTimeout(run.graceTimer)
    const now = this.options.clock.now()
    const durationMs = outcome.durationMs ?? now - (run.executingAt ?? run.requestedAt)
    if (run.language === 'python') {
      // A worker that had Pyodide loaded is replaced by a fresh one loading at once; one
      // stopped while still loading is simply dropped (the next run loads again).
      if (killWorker) this.replacePython(this.pythonReady && !this.disposed)
    } else {
      run.worker.onmessage = null
      run.worker.onerror = null
      run.worker.terminate()
      this.prepareSpareJs()
    }
    if (this.notifyTimer !== null) this.options.clock.clearTimeout(this.notifyTimer)
    this.notifyTimer = null
    this.setState({ live: null })
    run.resolve({
      id: run.id,
      language: run.language,
      stdout: run.stdout,
      stderr: run.stderr,
      status: outcome.status,
      message: outcome.message,
      durationMs,
      truncated: { ...run.truncated },
    })
  }

  // ---- Python ------------------------------------------------------------------------------

  private ensurePython(): WorkerLike {
    if (this.python) return this.python
    const worker = this.options.createWorker('python')
    this.python = worker
    this.pythonReady = false
    worker.onmessage = (event) => this.onPythonMessage(worker, event.data)
    worker.onerror = (event) => {
      event.preventDefault?.()
      this.onPythonBroken(worker, `The Python runner failed: ${event.message ?? 'unknown error'}`)
    }
    worker.postMessage({ type: 'init', indexURL: this.options.pyodideIndexURL, interruptBuffer: this.interruptBuffer })
    this.setPython({ status: 'loading', stage: 'runtime', loadedBytes: 0, totalBytes: 0, error: null })
    return worker
  }

  /** Terminate the Python worker; with `reload`, start a fresh one loading now. */
  private replacePython(reload: boolean) {
    const old = this.python
    if (old) {
      old.onmessage = null
      old.onerror = null
      old.terminate()
    }
    this.python = null
    this.pythonReady = false
    if (reload) {
      this.ensurePython()
      this.setPython({ restarting: true })
    } else {
      this.setPython({ ...COLD_PYTHON })
    }
  }

  private startPython(run: ActiveRun, code: string) {
    run.worker.postMessage({ type: 'run', id: run.id, code, maxOutputBytes: this.options.maxOutputBytes })
  }

  private onPythonBroken(worker: WorkerLike, message: string) {
    if (worker !== this.python) return
    const run = this.active
    const wasReady = this.pythonReady
    this.replacePython(false)
    this.setPython({ status: 'failed', error: message })
    if (run && run.language === 'python') {
      this.finish(run, { status: 'error', message: wasReady ? message : `Python could not be loaded: ${message}` }, false)
    }
  }

  private onPythonMessage(worker: WorkerLike, data: unknown) {
    if (worker !== this.python) return
    const message = asWorkerMessage(data)
    if (!message) return
    switch (message.type) {
      case 'progress':
        this.setPython({ status: 'loading', stage: message.stage, loadedBytes: message.loadedBytes, totalBytes: message.totalBytes })
        return
      case 'ready': {
        this.pythonReady = true
        this.setPython({ status: 'ready', stage: null, restarting: false, error: null })
        const run = this.active
        if (run && run.language === 'python' && this.pendingPythonCode !== null) {
          const code = this.pendingPythonCode
          this.pendingPythonCode = null
          this.startPython(run, code)
          this.updateLive(run)
        }
        return
      }
      case 'load-error':
        this.onPythonBroken(worker, message.message)
        return
      default:
        break
    }
    const run = this.active
    if (!run || run.language !== 'python') return
    if (this.onCommonMessage(run, message)) {
      if (message.type === 'started' && run.limitTimer === null) {
        run.limitTimer = this.options.clock.setTimeout(() => this.end(run, 'timeout'), this.options.pythonTimeLimitMs)
        this.updateLive(run)
      }
      return
    }
    if (message.type === 'done') {
      run.truncated.stdout ||= message.truncated?.stdout ?? false
      run.truncated.stderr ||= message.truncated?.stderr ?? false
      if (message.status === 'interrupted') {
        // Our interrupt (Stop or the limit), or a KeyboardInterrupt the program raised itself.
        const reason = run.ending ?? 'stopped'
        this.finish(run, { status: reason, message: run.ending ? this.endMessage(run, reason) : 'KeyboardInterrupt', durationMs: message.durationMs }, false)
      } else {
        this.finish(run, { status: message.status, message: message.message, durationMs: message.durationMs }, false)
      }
    } else if (message.type === 'fatal') {
      this.finish(run, { status: 'error', message: `Python crashed and is restarted: ${message.message}` }, true)
    }
  }
}
