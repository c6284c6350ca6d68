// The JavaScript / TypeScript runner: a dedicated module worker that runs exactly one
// program and is then thrown away (the page terminates it), so no timer, global or
// half-finished promise of one run can leak into the next.
//
// TypeScript is stripped of its types by sucrase, loaded on the first TypeScript run (or
// to locate a JavaScript syntax error) as its own chunk, so the page never downloads it.
// The program runs as `(async()=>{<code>\n})()` through an indirect eval with a sourceURL:
// sloppy mode like a Node script, top-level `await` allowed, and stack frames that point
// at `main.js:<line>`. The run is over when that function settled and no timer is left.

import { formatLogArgs } from './format'
import { OutputSink, WORKER_OUTPUT_PACING, type Stream } from './output'
import { cleanErrorText, describeSyntaxError, describeThrown, locationFromParserMessage, WRAPPER_PREFIX, type SourceInfo } from './jsErrors'
import type { JsRunRequest, WorkerMessage, WorkerRunStatus } from './protocol'

interface WorkerScope {
  postMessage(message: WorkerMessage): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void
}

const scope = globalThis as unknown as WorkerScope
const post = (message: WorkerMessage) => scope.postMessage(message)

// The worker's own timers, kept before the program can replace or wrap them.
const realSetTimeout = globalThis.setTimeout.bind(globalThis)
const realClearTimeout = globalThis.clearTimeout.bind(globalThis)
const realSetInterval = globalThis.setInterval.bind(globalThis)
const realClearInterval = globalThis.clearInterval.bind(globalThis)
const indirectEval = globalThis.eval

let started = false

scope.addEventListener('message', (event: MessageEvent) => {
  const request = event.data as JsRunRequest
  if (started || request?.type !== 'run') return
  started = true
  void run(request)
})

async function transpileTypeScript(code: string): Promise<string> {
  const { transform } = await import('sucrase')
  // Types removed; line numbers kept, so errors point at the TypeScript the person wrote.
  return transform(code, { transforms: ['typescript'], disableESTransforms: true }).code
}

/** Where the parser puts a syntax error the engine reported without a position. */
async function locateSyntaxError(code: string, language: string): Promise<{ message: string } | null> {
  try {
    const { transform } = await import('sucrase')
    transform(code, { transforms: language === 'typescript' ? ['typescript'] : [], disableESTransforms: true })
    return null
  } catch (error) {
    return { message: String((error as Error)?.message ?? error) }
  }
}

async function run(request: JsRunRequest): Promise<void> {
  const { id, code, language } = request
  const source: SourceInfo = {
    fileName: language === 'typescript' ? 'main.ts' : 'main.js',
    lineCount: code.split('\n').length,
    exactColumns: language !== 'typescript',
  }
  const sink = new OutputSink({
    maxBytes: request.maxOutputBytes,
    ...WORKER_OUTPUT_PACING,
    now: () => performance.now(),
    send: (batch) => post({ type: 'output', id, ...batch }),
    schedule: (flush, ms) => realSetTimeout(flush, ms),
  })

  let finished = false
  let startedAt = performance.now()
  const finish = (status: WorkerRunStatus, message?: string) => {
    if (finished) return
    finished = true
    const durationMs = performance.now() - startedAt
    const truncated = sink.close()
    post({ type: 'done', id, status, message, durationMs, truncated })
  }
  const fail = (value: unknown) => {
    const described = describeThrown(value, source)
    sink.write('stderr', `${described.text}\n`)
    finish('error', described.summary)
  }

  installConsole(sink, source)
  const timers = installTimers(fail, () => checkIdle())
  scope.addEventListener('unhandledrejection', (event) => {
    event.preventDefault()
    fail(event.reason)
  })
  scope.addEventListener('error', (event) => {
    event.preventDefault()
    fail(event.error ?? event.message)
  })

  let mainSettled = false
  const checkIdle = () => {
    if (finished || !mainSettled || timers.pending() > 0) return
    // Two more turns of the event loop: the browser reports an unhandled rejection in a
    // task it queues after the microtasks that made it, i.e. after a first timer.
    const settle = (turns: number) => {
      if (finished || timers.pending() > 0) return
      if (turns === 0) finish('ok')
      else realSetTimeout(() => settle(turns - 1), 0)
    }
    settle(2)
  }

  let runnable = code
  if (language === 'typescript') {
    try {
      runnable = await transpileTypeScript(code)
    } catch (error) {
      const message = String((error as Error)?.message ?? error)
      const described = describeSyntaxError(message, code, locationFromParserMessage(message), source)
      sink.write('stderr', `${described.text}\n`)
      finish('error', described.summary)
      return
    }
  }

  const program = `${WRAPPER_PREFIX}${runnable}\n})()\n//# sourceURL=${source.fileName}`
  post({ type: 'started', id })
  startedAt = performance.now()
  let completion: Promise<unknown>
  try {
    completion = indirectEval(program) as Promise<unknown>
  } catch (error) {
    // Thrown by eval itself: the program did not parse. The engine's message has no
    // position, so ask the parser where it is.
    const message = String((error as Error)?.message ?? error)
    const located = error instanceof SyntaxError ? await locateSyntaxError(code, language) : null
    const location = located ? locationFromParserMessage(located.message) : null
    const described = describeSyntaxError(`${(error as Error)?.name ?? 'SyntaxError'}: ${message}`, code, location, source)
    sink.write('stderr', `${described.text}\n`)
    finish('error', described.summary)
    return
  }
  completion.then(
    () => {
      mainSettled = true
      checkIdle()
    },
    (error: unknown) => fail(error),
  )
}

/** console.* writing into the sink: log/info/debug to stdout, warn/error/trace to stderr. */
function installConsole(sink: OutputSink, source: SourceInfo): void {
  const options = { errorText: (error: Error) => cleanErrorText(error, source) }
  let indent = ''
  const write = (stream: Stream, args: unknown[], prefix = '') => {
    if (!sink.accepting(stream)) return
    let text = prefix + formatLogArgs(args, options)
    if (indent) text = text.replace(/^/gm, indent)
    sink.write(stream, `${text}\n`)
  }
  const counts = new Map<string, number>()
  const timers = new Map<string, number>()
  const label = (value: unknown) => (value === undefined ? 'default' : String(value))
  const console: Record<string, (...args: unknown[]) => void> = {
    log: (...args) => write('stdout', args),
    info: (...args) => write('stdout', args),
    debug: (...args) => write('stdout', args),
    dir: (value) => write('stdout', [value]),
    dirxml: (...args) => write('stdout', args),
    table: (...args) => write('stdout', args),
    warn: (...args) => write('stderr', args),
    error: (...args) => write('stderr', args),
    trace: (...args) => {
      const stack = new Error().stack ?? ''
      const frames = stack.split('\n').filter((line) => line.includes(`(${source.fileName}:`) || line.includes(` ${source.fileName}:`))
      write('stderr', [`Trace${args.length ? ': ' : ''}${formatLogArgs(args, options)}${frames.length ? `\n${frames.join('\n')}` : ''}`])
    },
    assert: (condition, ...args) => {
      if (!condition) write('stderr', args.length ? ['Assertion failed:', ...args] : ['Assertion failed'])
    },
    count: (name) => {
      const key = label(name)
      const n = (counts.get(key) ?? 0) + 1
      counts.set(key, n)
      write('stdout', [`${key}: ${n}`])
    },
    countReset: (name) => void counts.delete(label(name)),
    time: (name) => void timers.set(label(name), performance.now()),
    timeLog: (name, ...args) => {
      const start = timers.get(label(name))
      if (start !== undefined) write('stdout', [`${label(name)}: ${(performance.now() - start).toFixed(3)} ms`, ...args])
    },
    timeEnd: (name) => {
      const start = timers.get(label(name))
      timers.delete(label(name))
      if (start !== undefined) write('stdout', [`${label(name)}: ${(performance.now() - start).toFixed(3)} ms`])
    },
    group: (...args) => {
      if (args.length) write('stdout', args)
      indent += '  '
    },
    groupCollapsed: (...args) => {
      if (args.length) write('stdout', args)
      indent += '  '
    },
    groupEnd: () => {
      indent = indent.slice(2)
    },
    clear: () => {},
  }
  Object.defineProperty(globalThis, 'console', { value: console, configurable: true, writable: true })
  const g = globalThis as Record<string, unknown>
  g.alert = (...args: unknown[]) => write('stdout', args)
  g.prompt = g.confirm = () => {
    throw new Error('prompt() and confirm() are not available: the program cannot ask for input here. Put the input data in the code instead.')
  }
}

/** Timers that the run waits for, and whose callbacks' errors end the run. */
function installTimers(onError: (error: unknown) => void, onSettle: () => void): { pending: () => number } {
  const timeouts = new Set<number>()
  const intervals = new Set<number>()
  const invoke = (callback: unknown, args: unknown[]) => {
    try {
      if (typeof callback === 'function') callback(...args)
    } catch (error) {
      onError(error)
    }
  }
  const g = globalThis as Record<string, unknown>
  g.setTimeout = (callback: unknown, ms?: number, ...args: unknown[]) => {
    const handle: number = realSetTimeout(() => {
      timeouts.delete(handle)
      invoke(callback, args)
      onSettle()
    }, ms) as unknown as number
    timeouts.add(handle)
    return handle
  }
  g.clearTimeout = (handle: number) => {
    if (timeouts.delete(handle)) onSettle()
    realClearTimeout(handle)
  }
  g.setInterval = (callback: unknown, ms?: number, ...args: unknown[]) => {
    const handle = realSetInterval(() => invoke(callback, args), ms) as unknown as number
    intervals.add(handle)
    return handle
  }
  g.clearInterval = (handle: number) => {
    realClearInterval(handle)
    if (intervals.delete(handle)) onSettle()
  }
  return { pending: () => timeouts.size + intervals.size }
}
