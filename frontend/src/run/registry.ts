// The runtimes that run code, and which language each one runs: the one place a runtime is
// registered. A browser runtime is one module in src/run/languages/<id>.ts (loaded inside a
// runner worker, see runtime.ts for the interface); this table is what the page needs to
// know about it. Adding a browser language: write its module, add an entry here (and on the
// server, sessions_app/languages.py). The languages no browser can run offline go to the
// server's sandboxed runner instead (the one `server` entry, run/serverRuns.ts): the page
// sends no code, only "run the document", and everyone watches the server's live state.

interface RuntimeBase {
  /** `browser`: src/run/languages/<id>.ts; `server`: the sandboxed server runner. */
  id: string
  /** The languages (src/languages.ts ids) it runs. */
  languages: readonly string[]
  /** Shown while loading: "Loading Ruby…". */
  name: string
  /** A line shown under the toolbar: what this runtime can and cannot do. */
  note?: string
  /** The program reads standard input (the Input box is offered). */
  stdin: boolean
}

export interface RuntimeSpec extends RuntimeBase {
  where: 'browser'
  /**
   * `fresh`: a new worker for every run (a spare one is made ahead), nothing survives a run.
   * `persistent`: one worker loads the runtime once and runs program after program; Stop or
   * the time limit terminates it, and a new one loads in the background.
   */
  lifecycle: 'fresh' | 'persistent'
  /** Execution time limit (loading and compiling excluded). */
  timeLimitMs: number
  /** For compiled languages: how long the compiler may take. */
  compileLimitMs?: number
  /** Roughly what the first run downloads, compressed (shown before it starts). */
  downloadMB?: number
}

/**
 * The server's runner: its limits are the server's (sessions_app/runner), and whether a
 * runner with a language's toolchain is up right now is asked of `GET /api/languages/`.
 */
export interface ServerRuntimeSpec extends RuntimeBase {
  where: 'server'
}

export const JS_TIME_LIMIT_MS = 5_000
export const DEFAULT_TIME_LIMIT_MS = 10_000
export const COMPILE_LIMIT_MS = 60_000

/** The browser's runtimes (src/run/codeRunner.ts runs them). */
export const RUNTIMES: readonly RuntimeSpec[] = [
  { id: 'js', where: 'browser', languages: ['javascript', 'typescript'], name: 'JavaScript', lifecycle: 'fresh', timeLimitMs: JS_TIME_LIMIT_MS, stdin: true },
  {
    id: 'python',
    where: 'browser',
    languages: ['python'],
    name: 'Python',
    lifecycle: 'persistent',
    timeLimitMs: DEFAULT_TIME_LIMIT_MS,
    downloadMB: 6,
    stdin: true,
    note: "Python 3 (Pyodide), the standard library only.",
  },
  {
    id: 'sqlite',
    where: 'browser',
    languages: ['sql'],
    name: 'SQLite',
    lifecycle: 'persistent',
    timeLimitMs: DEFAULT_TIME_LIMIT_MS,
    downloadMB: 0.4,
    stdin: false,
    note: 'SQLite 3: every run starts from an empty in-memory database; each result set is shown as a table.',
  },
  {
    id: 'postgres',
    where: 'browser',
    languages: ['postgresql'],
    name: 'PostgreSQL',
    lifecycle: 'persistent',
    timeLimitMs: DEFAULT_TIME_LIMIT_MS,
    downloadMB: 5,
    stdin: false,
    note: 'PostgreSQL 17 (PGlite): every run starts from an empty database; each result set is shown as a table.',
  },
  {
    id: 'ruby',
    where: 'browser',
    languages: ['ruby'],
    name: 'Ruby',
    lifecycle: 'persistent',
    timeLimitMs: DEFAULT_TIME_LIMIT_MS,
    downloadMB: 9,
    stdin: true,
    note: 'Ruby 3.4 (ruby.wasm) with its standard library; no gems.',
  },
  { id: 'lua', where: 'browser', languages: ['lua'], name: 'Lua', lifecycle: 'persistent', timeLimitMs: DEFAULT_TIME_LIMIT_MS, downloadMB: 0.2, stdin: true, note: 'Lua 5.4 (64-bit integers).' },
  {
    id: 'php',
    where: 'browser',
    languages: ['php'],
    name: 'PHP',
    lifecycle: 'persistent',
    timeLimitMs: DEFAULT_TIME_LIMIT_MS,
    downloadMB: 4,
    stdin: true,
    note: 'PHP 8.4 (command line: read input with fgets(STDIN) or stream_get_contents(STDIN)).',
  },
  {
    id: 'clang',
    where: 'browser',
    languages: ['c', 'cpp'],
    name: 'the C/C++ compiler',
    lifecycle: 'persistent',
    timeLimitMs: DEFAULT_TIME_LIMIT_MS,
    compileLimitMs: COMPILE_LIMIT_MS,
    downloadMB: 26,
    stdin: true,
  },
]

/** Per-language notes that differ within one runtime. */
export const LANGUAGE_NOTES: Record<string, string> = {
  c: 'C17, compiled by clang 22 to WebAssembly (WASI) in your browser: the standard library, no threads, no sockets.',
  cpp:
    'C++20, compiled by clang 22 to WebAssembly (WASI) in your browser. Not available here: exceptions (throw and try do not compile) and threads; <bits/stdc++.h> works but includes everything, so it compiles slowly: prefer the headers you use.',
  typescript: 'Type errors are shown in the editor and listed with the output; the program runs anyway, as tsc would emit it.',
}

/** Java, Go, Rust, C# and Kotlin: no browser runs them offline, the server's sandbox does. */
export const SERVER_RUNTIME: ServerRuntimeSpec = {
  id: 'server',
  where: 'server',
  languages: ['java', 'go', 'rust', 'csharp', 'kotlin'],
  name: 'the server runner',
  stdin: true,
  note: 'a fresh sandbox for every run, with no network and limits on time, memory and output.',
}

const BY_LANGUAGE = new Map(RUNTIMES.flatMap((runtime) => runtime.languages.map((language) => [language, runtime] as const)))
const BY_ID = new Map(RUNTIMES.map((runtime) => [runtime.id, runtime]))
const ON_SERVER = new Set(SERVER_RUNTIME.languages)

/** The browser runtime that runs a language, or undefined when the browser cannot run it. */
export function runtimeFor(language: string | null | undefined): RuntimeSpec | undefined {
  return language == null ? undefined : BY_LANGUAGE.get(language)
}

export function runtimeById(id: string): RuntimeSpec | undefined {
  return BY_ID.get(id)
}

/** Whether the browser runs a language. */
export function isRunnableLanguage(language: string | null | undefined): language is string {
  return runtimeFor(language) !== undefined
}

/** Whether the server's runner runs a language (when a runner with its toolchain is up). */
export function isServerLanguage(language: string | null | undefined): language is string {
  return language != null && ON_SERVER.has(language)
}

/** Where a language runs: in the browser, on the server, or nowhere (highlighted only). */
export function runsOn(language: string | null | undefined): 'browser' | 'server' | null {
  return isRunnableLanguage(language) ? 'browser' : isServerLanguage(language) ? 'server' : null
}

/** Languages that run nowhere, and why (shown by the disabled Run button). */
export const NOT_RUNNABLE_REASONS: Record<string, string> = {
  swift: 'no Swift compiler runs in a browser offline, and the server has no Swift runner',
  plaintext: 'plain text is not a program',
}
