// JavaScript and TypeScript: each run in a fresh module worker (the page terminates it
// afterwards), so no timer, global or half-finished promise of one run leaks into the next.
//
// TypeScript is stripped of its types by sucrase (loaded on the first TypeScript run, or to
// locate a JavaScript syntax error, as its own chunk). The program runs as
// `(async()=>{<code>\n})()` through an indirect eval with a sourceURL: sloppy mode like a
// Node script, top-level `await` allowed, and stack frames that point at `main.js:<line>`.
// The run is over when that function settled and no timer is left. Standard input is read
// Node-style (`require('fs').readFileSync(0)`, `require('readline')`, `process.stdin`) or
// with `readline()` / `prompt()`.

import { formatLogArgs } from '../format'
import { cleanErrorText, describeSyntaxError, describeThrown, locationFromParserMessage, WRAPPER_PREFIX, type SourceInfo } from '../jsErrors'
import type { Stream } from '../output'
import { StdinReader, type RunIO, type RunOutcome, type Runtime } from '../runtime'
import { installNodeShims, ProcessExit } from '../jsNode'

// The worker's own timers, kept before the program can replace or wrap them.
const realSetTimeout = globalThis.setTimeout.bind(globalThis)
const realClearTimeout = globalThis.clearTimeout.bind(globalThis)
const realSetInterval = globalThis.setInterval.bind(globalThis)
const realClearInterval = globalThis.clearInterval.bind(globalThis)
const indirectEval = globalThis.eval

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

interface WorkerEvents {
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void
}

const runtime: Runtime = {
  async load() {
    return 'JavaScript'
  },
  run: (input, io) => new Promise<RunOutcome>((resolve) => void runProgram(input.language, input.code, input.stdin, io, resolve)),
}
export default runtime

async function runProgram(language: string, code: string, stdinText: string, io: RunIO, resolve: (outcome: RunOutcome) => void) {
  const source: SourceInfo = {
    fileName: language === 'typescript' ? 'main.ts' : 'main.js',
    lineCount: code.split('\n').length,
    exactColumns: language !== 'typescript',
  }
  let finished = false
  const finish = (status: RunOutcome['status'], message?: string) => {
    if (finished) return
    finished = true
    resolve({ status, message })
  }
  const fail = (value: unknown) => {
    if (value instanceof ProcessExit) {
      finish(value.code === 0 ? 'ok' : 'error', value.code === 0 ? undefined : `process.exit(${value.code})`)
      return
    }
    const described = describeThrown(value, source)
    io.write('stderr', `${described.text}\n`)
    finish('error', described.summary)
  }

  const stdin = new StdinReader(stdinText)
  installConsole(io, source, stdin)
  const timers = installTimers(fail, () => checkIdle())
  installNodeShims({ stdin: stdinText, reader: stdin, write: (stream: Stream, text: string) => io.write(stream, text) })
  const events = globalThis as unknown as WorkerEvents
  events.addEventListener('unhandledrejection', (event) => {
    event.preventDefault()
    fail(event.reason)
  })
  events.addEventListener('error', (event) => {
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
      io.write('stderr', `${described.text}\n`)
      finish('error', described.summary)
      return
    }
  }

  const program = `${WRAPPER_PREFIX}${runnable}\n})()\n//# sourceURL=${source.fileName}`
  io.started()
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
    io.write('stderr', `${described.text}\n`)
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
function installConsole(io: RunIO, source: SourceInfo, stdin: StdinReader): void {
  const options = { errorText: (error: Error) => cleanErrorText(error, source) }
  let indent = ''
  const write = (stream: Stream, args: unknown[], prefix = '') => {
    if (!io.accepting(stream)) return
    let text = prefix + formatLogArgs(args, options)
    if (indent) text = text.replace(/^/gm, indent)
    io.write(stream, `${text}\n`)
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
  // Input comes from the run's Input box: prompt() and readline() read its next line (null at
  // the end), confirm() answers whether a next line is there and not "n"/"no"/"false".
  g.prompt = (message?: unknown) => {
    if (message !== undefined && message !== '') io.write('stdout', String(message))
    return stdin.readLine()
  }
  g.readline = () => stdin.readLine()
  g.confirm = () => {
    const line = stdin.readLine()
    return line !== null && !/^(n|no|false|0)?$/i.test(line.trim())
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
