// Python: Pyodide (CPython compiled to WebAssembly, the standard library only), loaded once
// from this server's own static files (copied from the npm `pyodide` package by the build,
// never from a CDN), then reused: each run gets a fresh `__main__` and its own stdin.

import { loadPyodide, type PyodideInterface } from 'pyodide'
import { PYTHON_SUPPORT } from '../pythonSupport'
import { byteWriter, type LoadContext, type RunIO, type Runtime } from '../runtime'
import { countRuntimeFetches } from '../assets'
import { atomicInterruptCell } from '../interruptBuffer'

let pyodide: PyodideInterface | null = null
let io: RunIO | null = null

function writer(stream: 'stdout' | 'stderr') {
  let current: RunIO | null = null
  let write: ((bytes: Uint8Array) => void) | null = null
  return {
    isatty: true, // line-buffered: output before a runaway loop still reaches the page
    write(buffer: Uint8Array): number {
      if (!io) return buffer.length
      if (current !== io) {
        current = io
        write = byteWriter(io, stream)
      }
      write!(buffer)
      return buffer.length
    },
  }
}

const runtime: Runtime = {
  async load(context: LoadContext) {
    // Pyodide fetches its own files: count their bytes as they stream in.
    const { url } = countRuntimeFetches(context, 'pyodide')
    const py = await loadPyodide({
      indexURL: url,
      env: { PYTHON_COLORS: '0', NO_COLOR: '1' },
      stdout: () => {},
      stderr: () => {},
    })
    context.progress('starting')
    py.setStdout(writer('stdout'))
    py.setStderr(writer('stderr'))
    py.setStdin({ stdin: () => null, isatty: false })
    // Pyodide's own read-then-clear of the buffer can lose a Stop; the cell's clear cannot.
    if (context.interruptBuffer) py.setInterruptBuffer(atomicInterruptCell(context.interruptBuffer) as unknown as Uint8Array)
    py.runPython(PYTHON_SUPPORT)
    pyodide = py
    interruptBuffer = context.interruptBuffer
    return py.version
  },

  async run(input, runIO) {
    if (!pyodide) throw new Error('Python is not loaded.')
    if (interruptBuffer) Atomics.store(interruptBuffer, 0, 0)
    io = runIO
    runIO.started()
    const runFn = pyodide.globals.get('_pad_run')
    try {
      const result = JSON.parse(runFn(input.code, input.stdin) as string) as { status: 'ok' | 'error' | 'interrupted'; message: string | null }
      return { status: result.status, message: result.message ?? undefined }
    } finally {
      runFn.destroy()
      io = null
    }
  },
}
let interruptBuffer: Uint8Array | undefined
export default runtime
