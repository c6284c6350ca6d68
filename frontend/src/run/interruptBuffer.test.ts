import { describe, expect, it } from 'vitest'
import source from '../../node_modules/pyodide/pyodide.asm.mjs?raw'
import { atomicInterruptCell, type InterruptCell } from './interruptBuffer'

// Pyodide's own check, taken from the bundled build, so the test follows the code that runs.
function pyodideCheck(): (buffer: InterruptCell) => number {
  const start = source.indexOf('function _Py_CheckEmscriptenSignals_Helper(')
  const end = source.indexOf('_Py_CheckEmscriptenSignals_Helper.sig', start)
  expect(start).toBeGreaterThanOrEqual(0)
  expect(end).toBeGreaterThan(start)
  const Module: { Py_EmscriptenSignalBuffer?: InterruptCell } = {}
  const helper = new Function('Module', `${source.slice(start, end)}; return _Py_CheckEmscriptenSignals_Helper`)(Module)
  return (buffer) => {
    Module.Py_EmscriptenSignalBuffer = buffer
    return helper() as number
  }
}

/** `cell`, with the page's Stop (2) written right after each read: between the check's two steps. */
function stopAfterRead(shared: Uint8Array, cell: InterruptCell): InterruptCell {
  return {
    get 0() {
      const value = cell[0]
      Atomics.store(shared, 0, 2)
      return value
    },
    set 0(value: number) {
      cell[0] = value
    },
  }
}

describe('the interrupt buffer given to Pyodide', () => {
  const check = pyodideCheck()

  it('loses a Stop written between the read and the clear when it is the shared bytes themselves', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(1))
    expect(check(stopAfterRead(shared, shared))).toBe(0)
    expect(shared[0]).toBe(0) // the Stop was overwritten: Python never sees it
  })

  it('keeps that Stop for the next check through the atomic cell', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(1))
    const cell = atomicInterruptCell(shared)
    expect(check(stopAfterRead(shared, cell))).toBe(0)
    expect(shared[0]).toBe(2)
    expect(check(cell)).toBe(2)
    expect(shared[0]).toBe(0) // consumed once: the program's own handler is not interrupted again
    expect(check(cell)).toBe(0)
  })

  it('delivers a Stop written before the check, once', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(1))
    const cell = atomicInterruptCell(shared)
    expect(check(cell)).toBe(0)
    Atomics.store(shared, 0, 2)
    expect(cell[0]).toBe(2) // a peek (Pyodide's checkInterrupt outside Python) does not consume
    expect(check(cell)).toBe(2)
    expect(check(cell)).toBe(0)
  })

  it('does not bring back a signal the page cleared for the next run', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(1))
    const cell = atomicInterruptCell(shared)
    Atomics.store(shared, 0, 2)
    expect(cell[0]).toBe(2)
    Atomics.store(shared, 0, 0) // the page resets the byte as it starts a run
    cell[0] = 0
    expect(shared[0]).toBe(0)
    cell[0] = 2 // any other write goes through
    expect(shared[0]).toBe(2)
  })
})
