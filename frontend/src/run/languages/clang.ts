// C and C++: clang 22 and wasm-ld compiled to WebAssembly (@yowasp/clang), with the WASI
// C library and libc++. Loaded once (about 100 MB uncompressed, served compressed); each
// run compiles main.c / main.cpp to a WASI program, then runs it on the browser WASI shim
// with the run's input on stdin. Compiler messages keep clang's file:line:col form.

import { WASI, WASIProcExit } from '@bjorn3/browser_wasi_shim'
import { commands, runLLVM } from '@yowasp/clang'
import { StdinBytes, type LoadContext, type RunIO, type Runtime } from '../runtime'
import { outputFd, StdinFd } from '../wasi'

let loaded = false
let io: RunIO | null = null
let stdin: StdinBytes | null = null
// C++'s standard headers take seconds to parse on every compile: after the first C++ run,
// the worker precompiles them once (while idle), and later compiles take about a second.
let pch: Uint8Array | null = null
let pchStarted = false

let pchWanted = false

/** Precompile the headers in a helper worker (this one stays free for runs meanwhile). */
function buildPrecompiledHeader() {
  if (pchStarted || !pchWanted) return
  pchStarted = true
  try {
    const helper = new Worker(new URL('../pchWorker.ts', import.meta.url), { type: 'module', name: 'pad-clang-pch' })
    helper.onmessage = (event: MessageEvent) => {
      const data = event.data as { pch?: Uint8Array }
      if (data.pch instanceof Uint8Array) pch = data.pch
      helper.terminate()
    }
    helper.onerror = () => helper.terminate()
    helper.postMessage({ args: CPP_BASE, header: BITS_STDCXX })
  } catch {
    // No nested workers here: C++ compiles without the precompiled header.
  }
}

interface Compiled {
  binary?: Uint8Array
  output: string
}

async function compile(cpp: boolean, code: string, withPch: boolean): Promise<Compiled> {
  const source = cpp ? 'main.cpp' : 'main.c'
  const files: Record<string, string | Uint8Array | Record<string, string>> = { [source]: code }
  const args = cpp ? [...CPP_FLAGS] : [...C_FLAGS]
  if (cpp) files.bits = { 'stdc++.h': BITS_STDCXX }
  if (cpp && withPch && pch) {
    files['pad.h'] = BITS_STDCXX
    files['pad.h.pch'] = pch
    args.push('-include-pch', 'pad.h.pch')
  }
  let output = ''
  const decoder = new TextDecoder()
  const collect = (bytes: Uint8Array | null) => {
    if (bytes) output += decoder.decode(bytes, { stream: true })
  }
  try {
    const run = commands[cpp ? 'clang++' : 'clang']
    const result = (await run([...args, source, ...(cpp ? [] : ['-lm']), ...LINK], files, { stdout: collect, stderr: collect })) as Record<string, unknown>
    const binary = result?.['main.wasm']
    return { binary: binary instanceof Uint8Array ? binary : undefined, output }
  } catch (error) {
    if (typeof (error as { code?: unknown })?.code !== 'number') throw error
    return { output }
  }
}

// What a GCC-trained candidate includes; libc++ has the same headers but not this file.
// Threads, futures and other headers this target lacks are left out.
const BITS_STDCXX = `// <bits/stdc++.h> for the pad: the standard headers libc++ offers on WASI.
#include <cassert>
#include <cctype>
#include <cerrno>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <algorithm>
#include <array>
#include <bitset>
#include <chrono>
#include <complex>
#include <deque>
#include <functional>
#include <iomanip>
#include <iostream>
#include <istream>
#include <iterator>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <ostream>
#include <queue>
#include <random>
#include <set>
#include <sstream>
#include <stack>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>
`

const C_FLAGS = ['-std=c17', '-O2', '-fno-color-diagnostics', '-fmessage-length=0', '-Wall', '-Wno-unused-variable', '-Wno-unused-function']
// What the precompiled header and every C++ compile share (they must match).
const CPP_BASE = ['-std=c++20', '-O2', '-fno-exceptions', '-fno-color-diagnostics', '-fmessage-length=0']
const CPP_FLAGS = [...CPP_BASE, '-Wall', '-Wno-unused-variable', '-Wno-unused-function', '-I', '.']
const LINK = ['-Wl,-z,stack-size=8388608', '-o', 'main.wasm']

const HINTS: [RegExp, string][] = [
  [
    /cannot use '(throw|try)' with exceptions disabled/,
    "note: C++ exceptions are not available here (clang's WebAssembly target without exception support): return error values instead of throwing.",
  ],
  [/'(thread|mutex|future|condition_variable)' file not found|no member named 'thread' in namespace 'std'/, 'note: threads are not available here (WebAssembly without threads).'],
]

/** Compiler output: the first error line, plus a hint for what this target cannot do. */
function describeCompileErrors(output: string): { message: string; hints: string[] } {
  const lines = output.split('\n')
  const first = lines.find((line) => /: (fatal )?error: /.test(line)) ?? lines.find((line) => line.trim()) ?? 'compilation failed'
  const hints = HINTS.filter(([pattern]) => pattern.test(output)).map(([, hint]) => hint)
  return { message: `Compilation failed: ${first.trim()}`, hints }
}

/** A WebAssembly trap, in the words of a native crash. */
function describeTrap(error: unknown): string {
  const text = String((error as Error)?.message ?? error)
  if (error instanceof RangeError || /call stack/i.test(text)) return 'Stack overflow (too deep a recursion)'
  if (/unreachable/.test(text)) return 'The program aborted (abort(), a failed assert, or an error C++ would throw, such as vector::at out of range)'
  if (/divide by zero/.test(text)) return 'Integer division by zero'
  if (/out of bounds/.test(text)) return 'Segmentation fault (memory access out of bounds)'
  if (/integer overflow/.test(text)) return 'Integer overflow in a conversion or division'
  return `Runtime error: ${text}`
}

const runtime: Runtime = {
  async load(context: LoadContext) {
    let counted = 0
    let expected = false
    await runLLVM(undefined, {}, {
      fetchProgress: ({ totalLength, doneLength }) => {
        if (!expected) {
          expected = true
          context.expect(totalLength)
        }
        context.counted(doneLength - counted)
        counted = doneLength
      },
    })
    context.progress('starting')
    loaded = true
    return 'clang 22'
  },

  async run(input, runIO) {
    if (!loaded) throw new Error('The compiler is not loaded.')
    const cpp = input.language === 'cpp'
    runIO.compiling()
    let compiled = await compile(cpp, input.code, true)
    // With every standard header already included, a program can clash with a name it never
    // included (`using namespace std` and its own `count`): then compile it as it is.
    if (!compiled.binary && cpp && pch) compiled = await compile(cpp, input.code, false)
    if (cpp) pchWanted = true
    const binary = compiled.binary
    const compilerOutput = compiled.output
    if (!binary) {
      const { message, hints } = describeCompileErrors(compilerOutput)
      runIO.write('stderr', `${compilerOutput.trimEnd()}\n${hints.map((hint) => `${hint}\n`).join('')}`)
      return { status: 'error', message }
    }
    // Warnings: shown before the program's own output.
    if (compilerOutput.trim()) runIO.write('stderr', compilerOutput.endsWith('\n') ? compilerOutput : `${compilerOutput}\n`)

    io = runIO
    stdin = new StdinBytes(input.stdin)
    const fds = [new StdinFd(() => stdin), outputFd(() => io, 'stdout'), outputFd(() => io, 'stderr')]
    const wasi = new WASI(['main'], [], fds, { debug: false })
    try {
      const { instance } = (await WebAssembly.instantiate(binary, { wasi_snapshot_preview1: wasi.wasiImport })) as unknown as {
        instance: WebAssembly.Instance
      }
      runIO.started()
      let code: number
      try {
        code = wasi.start(instance as unknown as { exports: { memory: WebAssembly.Memory; _start: () => unknown } })
      } catch (error) {
        if (error instanceof WASIProcExit) code = error.code
        else {
          const message = describeTrap(error)
          runIO.write('stderr', `${message}\n`)
          return { status: 'error', message }
        }
      }
      return code === 0 ? { status: 'ok' } : { status: 'error', message: `exit status ${code}` }
    } finally {
      io = null
      stdin = null
    }
  },

  // After the first C++ run's result is out: precompile the standard headers.
  idle: buildPrecompiledHeader,
}
export default runtime
