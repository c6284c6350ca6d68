// The page's side of running code, the same for every language: it owns the runner
// workers (one per runtime of src/run/registry.ts), enforces the time limits, implements
// Stop, and turns what the workers report into one result per run. Workers come from a
// factory so the unit tests can drive this with fakes and a fake clock.
//
// A `fresh` runtime (JavaScript) gets a new worker for every run (a spare one is made ahead
// so a run starts at once) and the worker is terminated afterwards. A `persistent` runtime
// (Python, Ruby, SQL, C/C++, ...) loads once in its worker, with its progress shown, and
// then runs program after program. The time limit counts from the moment the program
// starts (loading and compiling excluded; compiling has a limit of its own). Stop or the
// limit terminates the worker, and a fresh one loads in the background; Python on a
// cross-origin isolated page is interrupted instead (its interrupt buffer), so it stays
// loaded. A runtime that fails to load says so in the run; the next run tries again.

import { asWorkerMessage, type LoadStage, type Truncated } from './protocol'
import { runtimeFor, RUNTIMES, type RuntimeSpec } from './registry'
import { MAX_OUTPUT_BYTES, type RunStatus } from './runs'
import { utf8Length, truncateUtf8 } from './output'

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
  /** A new worker for a runtime (src/run/runtimeWorker.ts in the browser). */
  createWorker(runtime: string): WorkerLike
  /** Absolute URL of the static root the runtimes' files are under (`https://host/static/`). */
  assetsBase: string
  /** Use Pyodide's interrupt buffer (needs SharedArrayBuffer, i.e. crossOriginIsolated). */
  interruptible: boolean
  clock?: Clock
  /** Per runtime id: a different execution limit (tests). */
  timeLimits?: Record<string, number>
  /** After an interrupt request, how long Python gets to stop before its worker is terminated. */
  interruptGraceMs?: number
  maxOutputBytes?: number
}

// Generous: an interrupted Python is ready at once, a terminated one takes seconds to reload,
// and a busy machine may not schedule the worker's thread at once. Only a Python stuck in
// native code, which never checks the interrupt, waits this long for Stop. (The fallbacks CI
// saw once in a few runs were Stops lost by Pyodide's check: see interruptBuffer.ts.)
export const INTERRUPT_GRACE_MS = 8_000
const NOTIFY_INTERVAL_MS = 50

export interface RunOptions {
  /** The program's standard input. */
  stdin?: string
  /** Text shown first on stderr (e.g. TypeScript's type errors), part of the run's output. */
  prefaceStderr?: string
}

export interface RunResult {
  id: string
  language: string
  stdout: string
  stderr: string
  status: RunStatus
  message?: string
  durationMs: number
  truncated: Truncated
  stdin: string
}

export type LivePhase = 'loading' | 'compiling' | 'running' | 'stopping'

export interface LiveRun {
  id: string
  language: string
  runtime: string
  /** `loading` while its runtime is still loading; `compiling` while a compiler works; `stopping` after Stop. */
  phase: LivePhase
  stdout: string
  stderr: string
  startedAt: number
}

export interface RuntimeState {
  status: 'cold' | 'loading' | 'ready' | 'failed'
  stage: LoadStage | null
  loadedBytes: number
  totalBytes: number
  /** Loading again after its worker was terminated (Stop or time limit). */
  restarting: boolean
  error: string | null
}

export interface RunnerState {
  live: LiveRun | null
  /** Per runtime id (registry.ts). */
  runtimes: Record<string, RuntimeState>
}

export const COLD_RUNTIME: RuntimeState = { status: 'cold', stage: null, loadedBytes: 0, totalBytes: 0, restarting: false, error: null }

export function idleRunnerState(): RunnerState {
  return { live: null, runtimes: Object.fromEntries(RUNTIMES.map((spec) => [spec.id, COLD_RUNTIME])) }
}

const defaultClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/** A worker hosting one runtime. */
interface Slot {
  spec: RuntimeSpec
  worker: WorkerLike
  ready: boolean
  /** Set once the run it served is over (a fresh worker serves one run). */
  used: boolean
}

interface ActiveRun {
  id: string
  language: string
  spec: RuntimeSpec
  slot: Slot
  stdout: string
  stderr: string
  stdin: string
  /** UTF-8 bytes held per stream (kept as we go: output arrives in many small pieces). */
  bytes: { stdout: number; stderr: number }
  truncated: Truncated
  requestedAt: number
  /** When the program started executing (after loading and compiling). */
  executingAt: number | null
  compiling: boolean
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
  private readonly options: Required<Omit<RunnerOptions, 'clock' | 'timeLimits'>> & { clock: Clock; timeLimits: Record<string, number> }
  private readonly listeners = new Set<() => void>()
  private state: RunnerState = idleRunnerState()
  private active: ActiveRun | null = null
  /** Persistent runtimes' workers, by runtime id. */
  private readonly slots = new Map<string, Slot>()
  /** Fresh runtimes' spare workers, by runtime id. */
  private readonly spares = new Map<string, Slot>()
  private readonly interruptBuffer: Uint8Array | undefined
  private notifyTimer: unknown = null
  private disposed = false

  constructor(options: RunnerOptions) {
    this.options = {
      clock: defaultClock,
      timeLimits: {},
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

  /** The execution time limit of a language's runtime, in ms. */
  timeLimitMs(language: string): number {
    const spec = runtimeFor(language)
    if (!spec) return 0
    return this.options.timeLimits[spec.id] ?? spec.timeLimitMs
  }

  private setState(next: Partial<RunnerState>) {
    this.state = { ...this.state, ...next }
    this.emit()
  }

  private emit() {
    for (const listener of this.listeners) listener()
  }

  private setRuntime(id: string, next: Partial<RuntimeState>) {
    const current = this.state.runtimes[id] ?? COLD_RUNTIME
    this.setState({ runtimes: { ...this.state.runtimes, [id]: { ...current, ...next } } })
  }

  private phaseOf(run: ActiveRun): LivePhase {
    if (run.ending) return 'stopping'
    if (run.executingAt !== null) return 'running'
    if (run.compiling) return 'compiling'
    return run.spec.lifecycle === 'persistent' && !run.slot.ready ? 'loading' : 'running'
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
        runtime: run.spec.id,
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

  /** Run a program; resolves when it finished, failed, hit a limit or was stopped. */
  run(language: string, code: string, options: RunOptions = {}): Promise<RunResult> {
    if (this.disposed) return Promise.reject(new Error('runner disposed'))
    if (this.active) return Promise.reject(new Error('a run is already in progress'))
    const spec = runtimeFor(language)
    if (!spec) return Promise.reject(new Error(`${language} cannot run in the browser`))
    return new Promise<RunResult>((resolve) => {
      const slot = spec.lifecycle === 'fresh' ? this.takeFresh(spec) : this.ensurePersistent(spec)
      const run: ActiveRun = {
        id: newRunId(),
        language,
        spec,
        slot,
        stdout: '',
        stderr: '',
        stdin: options.stdin ?? '',
        bytes: { stdout: 0, stderr: 0 },
        truncated: { stdout: false, stderr: false },
        requestedAt: this.options.clock.now(),
        executingAt: null,
        compiling: false,
        limitTimer: null,
        graceTimer: null,
        ending: null,
        resolve,
      }
      this.active = run
      if (options.prefaceStderr) this.appendOutput(run, '', options.prefaceStderr)
      if (this.interruptBuffer && spec.id === 'python') Atomics.store(this.interruptBuffer, 0, 0)
      // A worker queues the run until its runtime is loaded.
      slot.worker.postMessage({ type: 'run', id: run.id, language, code, stdin: run.stdin, maxOutputBytes: this.options.maxOutputBytes })
      this.updateLive(run)
    })
  }

  /** Stop the current run (Stop button). */
  stop(): void {
    if (this.active) this.end(this.active, 'stopped')
  }

  dispose(): void {
    if (this.slots.size) console.info('interview pad: the runners are closed with the page')
    this.disposed = true
    if (this.active) this.end(this.active, 'stopped')
    for (const slot of [...this.slots.values(), ...this.spares.values()]) this.kill(slot)
    this.slots.clear()
    this.spares.clear()
    if (this.notifyTimer !== null) this.options.clock.clearTimeout(this.notifyTimer)
    this.notifyTimer = null
    this.listeners.clear()
  }

  // ---- workers ---------------------------------------------------------------------------

  private newSlot(spec: RuntimeSpec): Slot {
    const worker = this.options.createWorker(spec.id)
    const slot: Slot = { spec, worker, ready: false, used: false }
    worker.onmessage = (event) => this.onMessage(slot, event.data)
    worker.onerror = (event) => {
      event.preventDefault?.()
      this.onBroken(slot, `${event.message ?? 'the runner failed'}`)
    }
    const interruptBuffer = spec.id === 'python' ? this.interruptBuffer : undefined
    worker.postMessage({ type: 'init', runtime: spec.id, assetsBase: this.options.assetsBase, interruptBuffer })
    return slot
  }

  private kill(slot: Slot) {
    slot.worker.onmessage = null
    slot.worker.onerror = null
    slot.worker.terminate()
  }

  private takeFresh(spec: RuntimeSpec): Slot {
    const spare = this.spares.get(spec.id)
    this.spares.delete(spec.id)
    return spare ?? this.newSlot(spec)
  }

  private prepareSpare(spec: RuntimeSpec) {
    if (!this.disposed && !this.spares.has(spec.id)) this.spares.set(spec.id, this.newSlot(spec))
  }

  private ensurePersistent(spec: RuntimeSpec): Slot {
    const existing = this.slots.get(spec.id)
    if (existing) return existing
    const slot = this.newSlot(spec)
    this.slots.set(spec.id, slot)
    this.setRuntime(spec.id, { status: 'loading', stage: 'download', loadedBytes: 0, totalBytes: 0, error: null })
    return slot
  }

  /** Terminate a persistent runtime's worker; with `reload`, start a fresh one loading now. */
  private replacePersistent(spec: RuntimeSpec, reload: boolean, why: string) {
    // Said in the console: a reload costs seconds, and whoever wonders why can look there.
    console.info(`interview pad: the ${spec.name} runner is replaced: ${why}`)
    const old = this.slots.get(spec.id)
    if (old) this.kill(old)
    this.slots.delete(spec.id)
    if (reload && !this.disposed) {
      this.ensurePersistent(spec)
      this.setRuntime(spec.id, { restarting: true })
    } else {
      this.setRuntime(spec.id, { ...COLD_RUNTIME })
    }
  }

  /** A worker failed outside a run's normal course (it could not load, or crashed). */
  private onBroken(slot: Slot, message: string) {
    const run = this.active
    const mine = run?.slot === slot ? run : null
    if (slot.spec.lifecycle === 'fresh') {
      this.kill(slot)
      if (this.spares.get(slot.spec.id) === slot) this.spares.delete(slot.spec.id)
      if (mine) this.finish(mine, { status: 'error', message: `The ${slot.spec.name} runner failed: ${message}` }, null)
      return
    }
    if (this.slots.get(slot.spec.id) !== slot) return
    console.info(`interview pad: the ${slot.spec.name} runner failed: ${message}`)
    const wasReady = slot.ready
    this.kill(slot)
    this.slots.delete(slot.spec.id)
    this.setRuntime(slot.spec.id, { ...COLD_RUNTIME, status: 'failed', error: message })
    if (mine) {
      this.finish(mine, { status: 'error', message: wasReady ? `${capitalise(slot.spec.name)} failed: ${message}` : `${capitalise(slot.spec.name)} could not be loaded: ${message}` }, null)
    }
  }

  private onMessage(slot: Slot, data: unknown) {
    const message = asWorkerMessage(data)
    if (!message) return
    const persistent = slot.spec.lifecycle === 'persistent'
    if (persistent && this.slots.get(slot.spec.id) !== slot) return
    switch (message.type) {
      case 'progress':
        if (persistent) this.setRuntime(slot.spec.id, { status: 'loading', stage: message.stage, loadedBytes: message.loadedBytes, totalBytes: message.totalBytes })
        return
      case 'ready': {
        slot.ready = true
        if (persistent) this.setRuntime(slot.spec.id, { status: 'ready', stage: null, restarting: false, error: null })
        const run = this.active
        if (run?.slot === slot) this.updateLive(run)
        return
      }
      case 'load-error':
        this.onBroken(slot, message.message)
        return
      default:
        break
    }
    const run = this.active
    if (!run || run.slot !== slot) return
    if ('id' in message && message.id !== undefined && message.id !== run.id) return
    switch (message.type) {
      case 'output':
        this.appendOutput(run, message.stdout, message.stderr)
        this.updateLiveSoon(run)
        return
      case 'compiling':
        if (run.executingAt !== null || run.compiling) return
        run.compiling = true
        run.limitTimer = this.options.clock.setTimeout(() => this.end(run, 'timeout'), run.spec.compileLimitMs ?? this.timeLimitMs(run.language))
        this.updateLive(run)
        return
      case 'started':
        if (run.executingAt !== null) return
        run.executingAt = this.options.clock.now()
        this.options.clock.clearTimeout(run.limitTimer)
        run.limitTimer = this.options.clock.setTimeout(() => this.end(run, 'timeout'), this.timeLimitMs(run.language))
        this.updateLive(run)
        return
      case 'done': {
        run.truncated.stdout ||= message.truncated?.stdout ?? false
        run.truncated.stderr ||= message.truncated?.stderr ?? false
        if (message.status === 'interrupted') {
          // Our interrupt (Stop or the limit), or a KeyboardInterrupt the program raised itself.
          const reason = run.ending ?? 'stopped'
          this.finish(run, { status: reason, message: run.ending ? this.endMessage(run, reason) : 'KeyboardInterrupt', durationMs: message.durationMs }, null)
        } else {
          this.finish(run, { status: message.status === 'ok' ? 'ok' : 'error', message: message.message, durationMs: message.durationMs }, null)
        }
        return
      }
      case 'fatal':
        this.finish(run, { status: 'error', message: `${capitalise(slot.spec.name)} crashed and is restarted: ${message.message}` }, `it crashed: ${message.message}`)
        return
      default:
        return
    }
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

  /** Ask the run to end: Stop (`stopped`) or the limit (`timeout`). */
  private end(run: ActiveRun, reason: 'timeout' | 'stopped') {
    if (this.active !== run || run.ending) return
    run.ending = reason
    const message = this.endMessage(run, reason)
    if (run.spec.id === 'python' && run.executingAt !== null && this.interruptBuffer) {
      // SIGINT: Python raises KeyboardInterrupt at its next check and reports `interrupted`.
      Atomics.store(this.interruptBuffer, 0, 2)
      this.updateLive(run)
      const why = `it did not stop within ${this.options.interruptGraceMs} ms of the interrupt`
      run.graceTimer = this.options.clock.setTimeout(() => this.finish(run, { status: reason, message }, why), this.options.interruptGraceMs)
      return
    }
    this.finish(run, { status: reason, message }, reason === 'stopped' ? 'Stop' : 'the time limit')
  }

  private endMessage(run: ActiveRun, reason: 'timeout' | 'stopped'): string {
    const name = capitalise(run.spec.name)
    if (reason === 'stopped') {
      if (run.spec.lifecycle === 'persistent' && !run.slot.ready) return `Stopped while ${run.spec.name} was loading.`
      if (run.compiling && run.executingAt === null) return 'Stopped while compiling.'
      return 'Stopped.'
    }
    if (run.compiling && run.executingAt === null) {
      return `Time limit exceeded: compiling took longer than ${Math.round((run.spec.compileLimitMs ?? 0) / 1000)} s. ${name} is restarted for the next run.`
    }
    const limit = this.timeLimitMs(run.language)
    const seconds = Math.round(limit / 100) / 10
    const restart = run.spec.lifecycle === 'persistent' && !(run.spec.id === 'python' && this.interruptBuffer) ? ` ${name} is restarted for the next run.` : ''
    return `Time limit exceeded: the program was stopped after ${seconds} s.${restart}`
  }

  /**
   * Resolve the run. A fresh runtime's worker is always terminated (a spare is made). A
   * persistent one is terminated when `killWhy` says why (it is stuck or broken): a new one
   * loads in the background if the old one had finished loading (one stopped while loading
   * is dropped: the next run loads again).
   */
  private finish(run: ActiveRun, outcome: { status: RunStatus; message?: string; durationMs?: number }, killWhy: string | null) {
    if (this.active !== run) return
    this.active = null
    this.options.clock.clearTimeout(run.limitTimer)
    this.options.clock.clearTimeout(run.graceTimer)
    const now = this.options.clock.now()
    const durationMs = outcome.durationMs ?? now - (run.executingAt ?? run.requestedAt)
    if (run.spec.lifecycle === 'fresh') {
      this.kill(run.slot)
      this.prepareSpare(run.spec)
    } else if (killWhy !== null && this.slots.get(run.spec.id) === run.slot) {
      this.replacePersistent(run.spec, run.slot.ready, killWhy)
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
      stdin: run.stdin,
    })
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
