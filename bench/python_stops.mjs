// How many Stops Pyodide loses: a worker thread runs `while True: pass` in Pyodide (from the
// frontend's node_modules), the main thread writes SIGINT (2) into the interrupt buffer, and a
// Stop that has not ended the loop within 500 ms counts as lost (it is written again to go on).
//   node bench/python_stops.mjs [rounds]        # both ways: the shared bytes, then our cell
// "plain" gives Pyodide the shared bytes themselves; "cell" gives it
// frontend/src/run/interruptBuffer.ts's atomicInterruptCell, as the pad's Python runner does.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'

const here = path.dirname(fileURLToPath(import.meta.url))
const frontend = path.join(here, '..', 'frontend')
const LOST_AFTER_MS = 500

async function atomicInterruptCell () {
  // The runner's own module, its types stripped by the frontend's TypeScript.
  const ts = createRequire(path.join(frontend, 'package.json'))('typescript')
  const source = readFileSync(path.join(frontend, 'src/run/interruptBuffer.ts'), 'utf8')
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
  return (await import(`data:text/javascript,${encodeURIComponent(outputText)}`)).atomicInterruptCell
}

async function worker () {
  const { shared, way } = workerData
  const pyodideDir = path.join(frontend, 'node_modules', 'pyodide')
  const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, 'pyodide.mjs')).href)
  const py = await loadPyodide({ indexURL: pyodideDir + path.sep })
  py.setInterruptBuffer(way === 'cell' ? (await atomicInterruptCell())(shared) : shared)
  py.runPython('def spin():\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        return 1\n')
  const spin = py.globals.get('spin')
  parentPort.on('message', () => {
    Atomics.store(shared, 0, 0)
    parentPort.postMessage('started')
    spin()
    parentPort.postMessage('stopped')
  })
  parentPort.postMessage('ready')
}

async function measure (way, rounds) {
  const shared = new Uint8Array(new SharedArrayBuffer(1))
  const thread = new Worker(fileURLToPath(import.meta.url), { workerData: { shared, way } })
  const next = () => new Promise((resolve) => thread.once('message', resolve))
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
  await next()
  let lost = 0
  const waits = []
  for (let i = 0; i < rounds; i++) {
    thread.postMessage('run')
    await next()
    await sleep(5 + Math.random() * 5) // into the loop
    const stopped = next()
    let done = false
    void stopped.then(() => { done = true })
    const at = performance.now()
    Atomics.store(shared, 0, 2)
    let again = 0
    while (!done) {
      await sleep(1)
      if (!done && performance.now() - at > LOST_AFTER_MS * (again + 1)) {
        again++
        Atomics.store(shared, 0, 2)
      }
    }
    if (again) lost++
    waits.push(performance.now() - at)
  }
  await thread.terminate()
  waits.sort((a, b) => a - b)
  return { way, rounds, lost, median_ms: +waits[rounds >> 1].toFixed(2), max_ms: +waits.at(-1).toFixed(1) }
}

if (isMainThread) {
  const rounds = Number(process.argv[2] ?? 1000)
  for (const way of ['plain', 'cell']) console.log(JSON.stringify(await measure(way, rounds)))
} else {
  await worker()
}
