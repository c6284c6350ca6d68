// The bits of Node a coding-interview program uses, for the JavaScript / TypeScript runner:
// reading standard input (`require('fs').readFileSync(0)`, `require('readline')`,
// `process.stdin`), `process.stdout.write`, `process.exit`. Nothing else of Node exists here.

import type { Stream } from './output'
import type { StdinReader } from './runtime'

/** Thrown by `process.exit(code)`: ends the run at once. */
export class ProcessExit extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`)
    this.name = 'ProcessExit'
  }
}

interface ShimOptions {
  /** The whole standard input. */
  stdin: string
  /** The same input, line by line (shared with readline() and prompt()). */
  reader: StdinReader
  write(stream: Stream, text: string): void
}

type Listener = (...args: unknown[]) => void

/** A tiny event emitter (on/once/off/emit), enough for readline and process.stdin. */
class Emitter {
  private listeners = new Map<string, Listener[]>()
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    this.started(event)
    return this
  }
  addListener(event: string, listener: Listener) {
    return this.on(event, listener)
  }
  once(event: string, listener: Listener) {
    const wrapper: Listener = (...args) => {
      this.off(event, wrapper)
      listener(...args)
    }
    return this.on(event, wrapper)
  }
  off(event: string, listener: Listener) {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener))
    return this
  }
  removeListener(event: string, listener: Listener) {
    return this.off(event, listener)
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args)
    return true
  }
  /** Called when a listener is added (subclasses start delivering input). */
  protected started(_event: string) {}
}

const later = (callback: () => void) => (globalThis.setTimeout as (cb: () => void, ms: number) => unknown)(callback, 0)

class Stdin extends Emitter {
  private delivered = false
  constructor(private readonly options: ShimOptions) {
    super()
  }
  readonly isTTY = false
  readonly fd = 0
  setEncoding() {
    return this
  }
  resume() {
    return this
  }
  pause() {
    return this
  }
  protected started(event: string) {
    if (this.delivered || (event !== 'data' && event !== 'end' && event !== 'readable')) return
    this.delivered = true
    // After the current synchronous code, like a stream's first chunk (a program timer: the run waits for it).
    later(() => {
      const rest = this.options.reader.readAll()
      if (rest) this.emit('data', rest)
      this.emit('end')
      this.emit('close')
    })
  }
  async *[Symbol.asyncIterator]() {
    const rest = this.options.reader.readAll()
    if (rest) yield rest
  }
}

class Interface extends Emitter {
  private closed = false
  private delivering = false
  constructor(private readonly options: ShimOptions) {
    super()
  }
  protected started(event: string) {
    if (event === 'line' && !this.delivering) {
      this.delivering = true
      later(() => this.deliver())
    }
  }
  private deliver() {
    for (let line = this.options.reader.readLine(); line !== null && !this.closed; line = this.options.reader.readLine()) this.emit('line', line)
    this.close()
  }
  question(query: string, callback: (answer: string) => void) {
    this.options.write('stdout', String(query))
    const line = this.options.reader.readLine()
    later(() => callback(line ?? ''))
  }
  setPrompt() {}
  prompt() {}
  write() {}
  pause() {
    return this
  }
  resume() {
    return this
  }
  close() {
    if (this.closed) return
    this.closed = true
    this.emit('close')
  }
  async *[Symbol.asyncIterator]() {
    for (let line = this.options.reader.readLine(); line !== null && !this.closed; line = this.options.reader.readLine()) yield line
    this.close()
  }
}

const NO_MODULE = "the pad runs plain JavaScript: only 'readline' and 'fs' (to read standard input) can be required"

/** Define `require` and `process` on the worker's global object. */
export function installNodeShims(options: ShimOptions): void {
  const stdin = new Stdin(options)
  const isStdin = (path: unknown) => path === 0 || path === '/dev/stdin' || path === 'fd0'
  const fs = {
    readFileSync(path: unknown) {
      if (isStdin(path)) return options.reader.readAll()
      throw new Error(`ENOENT: no such file or directory, open '${String(path)}' (only standard input, fd 0, can be read here)`)
    },
  }
  const readline = {
    createInterface: () => new Interface(options),
  }
  const modules: Record<string, unknown> = { fs, 'node:fs': fs, readline, 'node:readline': readline }
  const stream = (name: Stream) => ({
    write: (text: unknown) => {
      options.write(name, typeof text === 'string' ? text : String(text))
      return true
    },
    isTTY: false,
  })
  const g = globalThis as Record<string, unknown>
  g.require = (name: string) => {
    if (name in modules) return modules[name]
    const error = new Error(`Cannot find module '${name}': ${NO_MODULE}`)
    ;(error as Error & { code: string }).code = 'MODULE_NOT_FOUND'
    throw error
  }
  g.process = {
    argv: ['node', 'main.js'],
    env: {},
    platform: 'browser',
    version: 'v0.0.0-pad',
    stdin,
    stdout: stream('stdout'),
    stderr: stream('stderr'),
    exit: (code = 0) => {
      throw new ProcessExit(Number(code) || 0)
    },
    hrtime: Object.assign((previous?: [number, number]) => {
      const t = performance.now()
      const seconds = Math.floor(t / 1000)
      const nanos = Math.floor((t % 1000) * 1e6)
      return previous ? [seconds - previous[0], nanos - previous[1]] : [seconds, nanos]
    }, { bigint: () => BigInt(Math.floor(performance.now() * 1e6)) }),
    nextTick: (callback: (...args: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => callback(...args)),
    memoryUsage: () => ({ heapUsed: 0, rss: 0 }),
    on: () => undefined,
  }
}
