// Pyodide's interrupt check (CPython's `_Py_CheckEmscriptenSignals_Helper`, every 50 ticks of
// the interpreter) reads the interrupt buffer and then writes 0 to it, in two plain steps. A
// Stop the page writes between the two is overwritten and lost: Python runs on until the
// runner gives up and terminates it. That window is a few instructions wide, but a busy loop
// passes through it millions of times a second, so CI lost a Stop once in a few full runs.

/** What Pyodide's `setInterruptBuffer` is given: index 0 read and cleared like a buffer. */
export interface InterruptCell {
  [index: number]: number
}

/**
 * A view of the shared interrupt byte whose clear takes back only the value its last read saw
 * (compare-and-exchange), so a signal written between Pyodide's read and its clear survives
 * to the next check. Reads do not consume: `checkInterrupt()` may peek.
 */
export function atomicInterruptCell(shared: Uint8Array): InterruptCell {
  let seen = 0
  return {
    get 0() {
      seen = Atomics.load(shared, 0)
      return seen
    },
    set 0(value: number) {
      if (value === 0) Atomics.compareExchange(shared, 0, seen, 0)
      else Atomics.store(shared, 0, value)
    },
  }
}
