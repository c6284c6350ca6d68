import { describe, expect, it } from 'vitest'
import { CodeRunner, type Clock, type WorkerKind, type WorkerLike } from './codeRunner'

class FakeWorker implements WorkerLike {
  onmessage: ((event: { data: unknown }) => void) | null = null
  onerror: ((event: { message?: string }) => void) | null = null
  sent: any[] = []
  terminated = false
  constructor(public kind: WorkerKind) {}
  postMessage(message: unknown) {
    this.sent.push(message)
  }
  terminate() {
    this.terminated = true
  }
  /** A message from the worker to the page. */
  emit(data: unknown) {
    this.onmessage?.({ data })
  }
  lastRun() {
    return [...this.sent].reverse().find((m) => m.type === 'run')
  }
}

class FakeClock implements Clock {
  time = 0
  private timers = new Map<number, { at: number; callback: () => void }>()
  private next = 1
  now() {
    return this.time
  }
  setTimeout(callback: () => void, ms: number) {
    const id = this.next++
    this.timers.set(id, { at: this.time + ms, callback })
    return id
  }
  clearTimeout(handle: unknown) {
    this.timers.delete(handle as number)
  }
  advance(ms: number) {
    const end = this.time + ms
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      this.timers.delete(due[0])
      this.time = due[1].at
      due[1].callback()
    }
    this.time = end
  }
}

function setup(options: { interruptible?: boolean } = {}) {
  const workers: FakeWorker[] = []
  const clock = new FakeClock()
  const runner = new CodeRunner({
    createWorker: (kind) => {
      const worker = new FakeWorker(kind)
      workers.push(worker)
      return worker
    },
    pyodideIndexURL: 'http://pad.test/static/pyodide/',
    interruptible: options.interruptible ?? false,
    clock,
  })
  const live = (kind: WorkerKind) => workers.filter((w) => w.kind === kind && !w.terminated)
  return { runner, workers, clock, live }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('CodeRunner, JavaScript', () => {
  it('runs in a worker, collects output, and replaces the worker afterwards', async () => {
    const { runner, workers, live } = setup()
    const result = runner.run('javascript', 'console.log(1)')
    const worker = workers[0]
    const request = worker.lastRun()
    expect(request).toMatchObject({ type: 'run', language: 'javascript', code: 'console.log(1)' })
    expect(runner.getState().live?.phase).toBe('running')
    worker.emit({ type: 'started', id: request.id })
    worker.emit({ type: 'output', id: request.id, stdout: '1\n', stderr: '' })
    worker.emit({ type: 'done', id: request.id, status: 'ok', durationMs: 3, truncated: { stdout: false, stderr: false } })
    await expect(result).resolves.toMatchObject({ status: 'ok', stdout: '1\n', stderr: '', durationMs: 3, language: 'javascript' })
    expect(worker.terminated).toBe(true)
    expect(live('js')).toHaveLength(1) // a spare, ready for the next run
    expect(runner.getState().live).toBeNull()
  })

  it('terminates a program that runs past the limit; the next run gets a fresh worker', async () => {
    const { runner, workers, clock } = setup()
    const result = runner.run('javascript', 'for(;;){}')
    const first = workers[0]
    first.emit({ type: 'output', id: first.lastRun().id, stdout: 'before\n', stderr: '' })
    clock.advance(4_999)
    expect(first.terminated).toBe(false)
    clock.advance(1)
    await expect(result).resolves.toMatchObject({ status: 'timeout', stdout: 'before\n' })
    expect((await result).message).toMatch(/time limit.*5 s/i)
    expect(first.terminated).toBe(true)

    const next = runner.run('typescript', 'console.log(2)')
    const second = workers.find((w) => w !== first && w.sent.length > 0)!
    expect(second.terminated).toBe(false)
    second.emit({ type: 'done', id: second.lastRun().id, status: 'ok', durationMs: 1, truncated: { stdout: false, stderr: false } })
    await expect(next).resolves.toMatchObject({ status: 'ok', language: 'typescript' })
  })

  it('Stop ends the run at once', async () => {
    const { runner, workers } = setup()
    const result = runner.run('javascript', 'while(true){}')
    runner.stop()
    await expect(result).resolves.toMatchObject({ status: 'stopped' })
    expect(workers[0].terminated).toBe(true)
  })

  it('ignores messages of other runs and foreign messages', async () => {
    const { runner, workers } = setup()
    const result = runner.run('javascript', 'x')
    const worker = workers[0]
    worker.emit({ type: 'done', id: 'someone-else', status: 'ok', durationMs: 1, truncated: { stdout: false, stderr: false } })
    worker.emit('hello from user code')
    worker.emit({ type: 'output', id: worker.lastRun().id, stdout: 5, stderr: '' })
    expect(runner.isBusy()).toBe(true)
    worker.emit({ type: 'done', id: worker.lastRun().id, status: 'error', message: 'boom', durationMs: 1, truncated: { stdout: false, stderr: false } })
    await expect(result).resolves.toMatchObject({ status: 'error', message: 'boom' })
  })

  it('caps output that arrives at the page too', async () => {
    const { runner, workers } = setup()
    const result = runner.run('javascript', 'x')
    const worker = workers[0]
    const id = worker.lastRun().id
    for (let i = 0; i < 20; i++) worker.emit({ type: 'output', id, stdout: 'x'.repeat(8 * 1024), stderr: '' })
    worker.emit({ type: 'done', id, status: 'ok', durationMs: 1, truncated: { stdout: false, stderr: false } })
    const done = await result
    expect(done.stdout.length).toBe(64 * 1024)
    expect(done.truncated.stdout).toBe(true)
  })

  it('refuses a second run while one is in progress', async () => {
    const { runner } = setup()
    void runner.run('javascript', 'x')
    await expect(runner.run('javascript', 'y')).rejects.toThrow(/in progress/)
  })
})

describe('CodeRunner, Python', () => {
  function ready(worker: FakeWorker) {
    worker.emit({ type: 'progress', stage: 'runtime', loadedBytes: 10, totalBytes: 100 })
    worker.emit({ type: 'ready', version: '0.0' })
  }

  it('loads Pyodide on first use, showing progress, then runs; the limit excludes loading', async () => {
    const { runner, workers, clock } = setup()
    const result = runner.run('python', 'print(45)')
    const worker = workers[0]
    expect(worker.kind).toBe('python')
    expect(worker.sent[0]).toMatchObject({ type: 'init', indexURL: 'http://pad.test/static/pyodide/' })
    expect(runner.getState().live?.phase).toBe('loading')
    expect(runner.getState().python.status).toBe('loading')
    worker.emit({ type: 'progress', stage: 'stdlib', loadedBytes: 50, totalBytes: 100 })
    clock.advance(60)
    expect(runner.getState().python).toMatchObject({ stage: 'stdlib', loadedBytes: 50 })
    clock.advance(30_000) // a slow load is not the program's time
    expect(worker.lastRun()).toBeUndefined()
    worker.emit({ type: 'ready', version: '0.0' })
    const request = worker.lastRun()
    expect(request).toMatchObject({ code: 'print(45)' })
    worker.emit({ type: 'started', id: request.id })
    worker.emit({ type: 'output', id: request.id, stdout: '45\n', stderr: '' })
    worker.emit({ type: 'done', id: request.id, status: 'ok', durationMs: 4, truncated: { stdout: false, stderr: false } })
    await expect(result).resolves.toMatchObject({ status: 'ok', stdout: '45\n', language: 'python' })
    expect(worker.terminated).toBe(false) // kept, warm, for the next run
    expect(runner.getState().python.status).toBe('ready')
  })

  it('without an interrupt buffer, the limit terminates the worker and loads a fresh one', async () => {
    const { runner, workers, clock } = setup()
    const result = runner.run('python', 'while True: pass')
    const first = workers[0]
    ready(first)
    first.emit({ type: 'started', id: first.lastRun().id })
    clock.advance(10_000)
    const done = await result
    expect(done.status).toBe('timeout')
    expect(done.message).toMatch(/10 s.*restarted/)
    expect(first.terminated).toBe(true)
    const second = workers[1]
    expect(second.kind).toBe('python')
    expect(second.sent[0].type).toBe('init')
    expect(runner.getState().python).toMatchObject({ status: 'loading', restarting: true })
  })

  it('with an interrupt buffer, the limit interrupts Python and keeps it loaded', async () => {
    const { runner, workers, clock } = setup({ interruptible: true })
    const result = runner.run('python', 'while True: pass')
    const worker = workers[0]
    const buffer: Uint8Array = worker.sent[0].interruptBuffer
    expect(buffer).toBeInstanceOf(Uint8Array)
    ready(worker)
    const id = worker.lastRun().id
    worker.emit({ type: 'started', id })
    clock.advance(10_000)
    expect(buffer[0]).toBe(2)
    expect(runner.getState().live?.phase).toBe('stopping')
    worker.emit({ type: 'done', id, status: 'interrupted', durationMs: 10_001, truncated: { stdout: false, stderr: false } })
    await expect(result).resolves.toMatchObject({ status: 'timeout' })
    expect(worker.terminated).toBe(false)
    expect(workers).toHaveLength(1)
  })

  it('terminates Python that ignores the interrupt', async () => {
    const { runner, workers, clock } = setup({ interruptible: true })
    const result = runner.run('python', 'try: ...')
    const worker = workers[0]
    ready(worker)
    worker.emit({ type: 'started', id: worker.lastRun().id })
    runner.stop()
    clock.advance(1_499)
    expect(runner.isBusy()).toBe(true)
    clock.advance(1)
    await expect(result).resolves.toMatchObject({ status: 'stopped' })
    expect(worker.terminated).toBe(true)
    expect(workers[1].kind).toBe('python')
  })

  it('Stop while Pyodide is loading drops the load', async () => {
    const { runner, workers } = setup()
    const result = runner.run('python', 'print(1)')
    runner.stop()
    const done = await result
    expect(done).toMatchObject({ status: 'stopped', message: 'Stopped while Python was loading.' })
    expect(workers[0].terminated).toBe(true)
    expect(workers).toHaveLength(1)
    expect(runner.getState().python.status).toBe('cold')
  })

  it('reports a load failure as the run’s error and tries again next time', async () => {
    const { runner, workers } = setup()
    const result = runner.run('python', 'print(1)')
    workers[0].emit({ type: 'load-error', message: '404 pyodide.asm.wasm' })
    await expect(result).resolves.toMatchObject({ status: 'error', message: 'Python could not be loaded: 404 pyodide.asm.wasm' })
    expect(runner.getState().python).toMatchObject({ status: 'failed' })
    void runner.run('python', 'print(1)')
    expect(workers[1].sent[0].type).toBe('init')
  })

  it('replaces a worker whose Python crashed', async () => {
    const { runner, workers } = setup()
    const result = runner.run('python', 'f()')
    ready(workers[0])
    workers[0].emit({ type: 'fatal', id: workers[0].lastRun().id, message: 'Maximum call stack size exceeded' })
    await expect(result).resolves.toMatchObject({ status: 'error' })
    expect(workers[0].terminated).toBe(true)
    expect(workers[1].kind).toBe('python')
  })
})

describe('CodeRunner.dispose', () => {
  it('terminates every worker', async () => {
    const { runner, workers } = setup()
    const js = runner.run('javascript', 'x')
    runner.dispose()
    await expect(js).resolves.toMatchObject({ status: 'stopped' })
    await flush()
    expect(workers.every((w) => w.terminated)).toBe(true)
  })
})
