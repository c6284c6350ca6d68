// The real runner workers, built by Vite as separate module-worker chunks; and the runner
// the page uses. Kept apart from codeRunner.ts so that stays testable without a browser.

import { CodeRunner, type WorkerKind, type WorkerLike } from './codeRunner'

export function createRunnerWorker(kind: WorkerKind): WorkerLike {
  const worker =
    kind === 'js'
      ? new Worker(new URL('./jsWorker.ts', import.meta.url), { type: 'module', name: 'pad-js-runner' })
      : new Worker(new URL('./pyWorker.ts', import.meta.url), { type: 'module', name: 'pad-python-runner' })
  return worker as unknown as WorkerLike
}

/** Where the build put the Pyodide files: `<base>pyodide/` on this server (`/static/pyodide/`). */
export function pyodideIndexURL(): string {
  return new URL(`${import.meta.env.BASE_URL}pyodide/`, location.origin).href
}

export function createBrowserRunner(): CodeRunner {
  return new CodeRunner({
    createWorker: createRunnerWorker,
    pyodideIndexURL: pyodideIndexURL(),
    // SharedArrayBuffer exists only on cross-origin isolated pages; then Stop can interrupt
    // Python instead of throwing the loaded interpreter away.
    interruptible: globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function',
  })
}
