// The runtimes that run code in the browser, and which language each one runs: the one
// place a runtime is registered. Each runtime is one module in src/run/languages/<id>.ts
// (loaded inside a runner worker, see runtime.ts for the interface); this table is what the
// page needs to know about it. Adding a language: write its module, add an entry here, mark
// it runnable in src/languages.ts (and on the server, sessions_app/languages.py).

export interface RuntimeSpec {
  /** The module src/run/languages/<id>.ts. */
  id: string
  /** The languages (src/languages.ts ids) it runs. */
  languages: readonly string[]
  /** Shown while loading: "Loading Ruby…". */
  name: string
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
  /** A line shown under the toolbar: what this runtime can and cannot do. */
  note?: string
  /** The program reads standard input (the Input box is offered). */
  stdin: boolean
}

export const JS_TIME_LIMIT_MS = 5_000
export const DEFAULT_TIME_LIMIT_MS = 10_000
export const COMPILE_LIMIT_MS = 60_000

export const RUNTIMES: readonly RuntimeSpec[] = [
  { id: 'js', languages: ['javascript', 'typescript'], name: 'JavaScript', lifecycle: 'fresh', timeLimitMs: JS_TIME_LIMIT_MS, stdin: true },
  {
    id: 'python',
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
    languages: ['ruby'],
    name: 'Ruby',
    lifecycle: 'persistent',
    timeLimitMs: DEFAULT_TIME_LIMIT_MS,
    downloadMB: 9,
    stdin: true,
    note: 'Ruby 3.4 (ruby.wasm) with its standard library; no gems.',
  },
  { id: 'lua', languages: ['lua'], name: 'Lua', lifecycle: 'persistent', timeLimitMs: DEFAULT_TIME_LIMIT_MS, downloadMB: 0.2, stdin: true, note: 'Lua 5.4 (64-bit integers).' },
  {
    id: 'php',
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

const BY_LANGUAGE = new Map(RUNTIMES.flatMap((runtime) => runtime.languages.map((language) => [language, runtime] as const)))
const BY_ID = new Map(RUNTIMES.map((runtime) => [runtime.id, runtime]))

/** The runtime that runs a language, or undefined when the browser cannot run it. */
export function runtimeFor(language: string | null | undefined): RuntimeSpec | undefined {
  return language == null ? undefined : BY_LANGUAGE.get(language)
}

export function runtimeById(id: string): RuntimeSpec | undefined {
  return BY_ID.get(id)
}

export function isRunnableLanguage(language: string | null | undefined): language is string {
  return runtimeFor(language) !== undefined
}

/** Languages the browser cannot run offline, and why (shown by the disabled Run button). */
export const NOT_RUNNABLE_REASONS: Record<string, string> = {
  java: 'no Java virtual machine runs offline in a browser from this server',
  go: 'no Go toolchain runs in a browser offline',
  rust: 'no Rust compiler runs in a browser offline',
  kotlin: 'no Kotlin compiler runs in a browser offline',
  swift: 'no Swift compiler runs in a browser offline',
  csharp: 'no C# compiler runs in a browser offline',
  plaintext: 'plain text is not a program',
}
