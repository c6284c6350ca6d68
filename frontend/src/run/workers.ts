// The real runner workers (src/run/runtimeWorker.ts, built by Vite as a module-worker
// chunk; each runtime's code is a further chunk it loads) and the runner the page uses.
// Kept apart from codeRunner.ts so that stays testable without a browser.

import { CodeRunner, type WorkerLike } from './codeRunner'

export function createRunnerWorker(runtime: string): WorkerLike {
  const worker = new Worker(new URL('./runtimeWorker.ts', import.meta.url), { type: 'module', name: `pad-${runtime}-runner` })
  return worker as unknown as WorkerLike
}

/** The build's static root on this server (`/static/`), where the runtimes' files are. */
export function assetsBase(): string {
  return new URL(import.meta.env.BASE_URL, location.origin).href
}

export function createBrowserRunner(): CodeRunner {
  return new CodeRunner({
    createWorker: createRunnerWorker,
    assetsBase: assetsBase(),
    // SharedArrayBuffer exists only on cross-origin isolated pages; then Stop can interrupt
    // Python instead of throwing the loaded interpreter away.
    interruptible: globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function',
  })
}
