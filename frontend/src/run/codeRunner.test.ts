import { describe, expect, it } from 'vitest'
import { CodeRunner, INTERRUPT_GRACE_MS, type Clock, type WorkerLike } from './codeRunner'

class FakeWorker implements WorkerLike {
  onmessage: ((event: { data: unknown }) => void) | null = null
  onerror: ((event: { message?: string }) => void) | null = null
  sent: any[] = []
  terminated = false
  constructor(public kind: string) {}
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
    assetsBase: 'http://pad.test/static/',
    interruptible: options.interruptible ?? false,
    clock,
  })
  const live = (kind: string) => workers.filter((w) => w.kind === kind && !w.terminated)
  return { runner, workers, clock, live }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('CodeRunner, JavaScript', () => {
  it('runs in a worker, collects output, and replaces the worker afterwards', async () => {
    const { runner, workers, live } = setup()
    const result = runner.run('javascript', 'console.log(1)')
    const worker = workers[0]
    const request = worker.lastRun()
    expect(worker.sent[0]).toMatchObject({ type: 'init', runtime: 'js', assetsBase: 'http://pad.test/static/' })
    expect(request).toMatchObject({ type: 'run', language: 'javascript', code: 'console.log(1)', stdin: '' })
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
    first.emit({ type: 'started', id: first.lastRun().id })
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
    worker.emit({ type: 'progress', stage: 'download', loadedBytes: 10, totalBytes: 100 })
    worker.emit({ type: 'ready', version: '0.0' })
  }

  it('loads Pyodide on first use, showing progress, then runs; the limit excludes loading', async () => {
    const { runner, workers, clock } = setup()
    const result = runner.run('python', 'print(45)')
    const worker = workers[0]
    expect(worker.kind).toBe('python')
    expect(worker.sent[0]).toMatchObject({ type: 'init', runtime: 'python', assetsBase: 'http://pad.test/static/' })
    // The run is queued in the worker until Python is loaded.
    expect(worker.lastRun()).toMatchObject({ code: 'print(45)' })
    expect(runner.getState().live?.phase).toBe('loading')
    expect(runner.getState().runtimes.python.status).toBe('loading')
    worker.emit({ type: 'progress', stage: 'download', loadedBytes: 50, totalBytes: 100 })
    clock.advance(60)
    expect(runner.getState().runtimes.python).toMatchObject({ stage: 'download', loadedBytes: 50 })
    clock.advance(30_000) // a slow load is not the program's time
    expect(runner.isBusy()).toBe(true)
    worker.emit({ type: 'ready', version: '0.0' })
    expect(runner.getState().live?.phase).toBe('running')
    const request = worker.lastRun()
    worker.emit({ type: 'started', id: request.id })
    worker.emit({ type: 'output', id: request.id, stdout: '45\n', stderr: '' })
    worker.emit({ type: 'done', id: request.id, status: 'ok', durationMs: 4, truncated: { stdout: false, stderr: false } })
    await expect(result).resolves.toMatchObject({ status: 'ok', stdout: '45\n', language: 'python' })
    expect(worker.terminated).toBe(false) // kept, warm, for the next run
    expect(runner.getState().runtimes.python.status).toBe('ready')
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
    expect(runner.getState().runtimes.python).toMatchObject({ status: 'loading', restarting: true })
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
    clock.advance(INTERRUPT_GRACE_MS - 1)
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
    expect(runner.getState().runtimes.python.status).toBe('cold')
  })

  it('reports a load failure as the run’s error and tries again next time', async () => {
    const { runner, workers } = setup()
    const result = runner.run('python', 'print(1)')
    workers[0].emit({ type: 'load-error', message: '404 pyodide.asm.wasm' })
    await expect(result).resolves.toMatchObject({ status: 'error', message: 'Python could not be loaded: 404 pyodide.asm.wasm' })
    expect(runner.getState().runtimes.python).toMatchObject({ status: 'failed' })
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

describe('CodeRunner, every other runtime', () => {
  const ok = { stdout: false, stderr: false }

  it('runs each language in its runtime, with the input, and keeps the runtime loaded', async () => {
    const { runner, workers } = setup()
    for (const [language, runtime] of [['ruby', 'ruby'], ['lua', 'lua'], ['php', 'php'], ['sql', 'sqlite'], ['postgresql', 'postgres']]) {
      const result = runner.run(language, 'code', { stdin: 'in\n' })
      const worker = workers.at(-1)!
      expect(worker.kind).toBe(runtime)
      expect(worker.lastRun()).toMatchObject({ language, code: 'code', stdin: 'in\n' })
      worker.emit({ type: 'ready', version: '1' })
      worker.emit({ type: 'started', id: worker.lastRun().id })
      worker.emit({ type: 'done', id: worker.lastRun().id, status: 'ok', durationMs: 1, truncated: ok })
      await expect(result).resolves.toMatchObject({ status: 'ok', language, stdin: 'in\n' })
      expect(worker.terminated).toBe(false)
      expect(runner.getState().runtimes[runtime].status).toBe('ready')
    }
    // The same worker serves the next Ruby run: nothing loads again.
    const count = workers.length
    void runner.run('ruby', 'x')
    expect(workers).toHaveLength(count)
    expect(workers.find((w) => w.kind === 'ruby')!.sent.filter((m) => m.type === 'run')).toHaveLength(2)
  })

  it('C and C++ share one compiler; compiling has its own limit, then the program gets 10 s', async () => {
    const { runner, workers, clock } = setup()
    const result = runner.run('cpp', 'int main() { for (;;); }')
    const worker = workers[0]
    expect(worker.kind).toBe('clang')
    worker.emit({ type: 'ready', version: 'clang 22' })
    const id = worker.lastRun().id
    worker.emit({ type: 'compiling', id })
    expect(runner.getState().live?.phase).toBe('compiling')
    clock.advance(20_000) // a slow compile is not the program's time
    expect(runner.isBusy()).toBe(true)
    worker.emit({ type: 'started', id })
    expect(runner.getState().live?.phase).toBe('running')
    clock.advance(10_000)
    const done = await result
    expect(done).toMatchObject({ status: 'timeout', language: 'cpp' })
    expect(done.message).toMatch(/10 s\. The C\/C\+\+ compiler is restarted/)
    expect(worker.terminated).toBe(true)
    expect(workers[1]).toMatchObject({ kind: 'clang' })
    expect(runner.getState().runtimes.clang).toMatchObject({ status: 'loading', restarting: true })
    void runner.run('c', 'int main() {}')
    expect(workers).toHaveLength(2)
  })

  it('a compile that never ends hits the compile limit', async () => {
    const { runner, workers, clock } = setup()
    const result = runner.run('c', 'x')
    workers[0].emit({ type: 'ready', version: 'clang 22' })
    workers[0].emit({ type: 'compiling', id: workers[0].lastRun().id })
    clock.advance(60_000)
    const done = await result
    expect(done.status).toBe('timeout')
    expect(done.message).toMatch(/compiling took longer than 60 s/)
  })

  it('a preface (type errors) comes first on stderr', async () => {
    const { runner, workers } = setup()
    const result = runner.run('typescript', 'let x: number = "a"', { prefaceStderr: 'main.ts:1:5 - error TS2322\n' })
    const worker = workers[0]
    worker.emit({ type: 'output', id: worker.lastRun().id, stdout: 'a\n', stderr: 'warn\n' })
    worker.emit({ type: 'done', id: worker.lastRun().id, status: 'ok', durationMs: 1, truncated: ok })
    await expect(result).resolves.toMatchObject({ status: 'ok', stdout: 'a\n', stderr: 'main.ts:1:5 - error TS2322\nwarn\n' })
  })

  it('a runtime that fails to load says so, and the next run loads it again', async () => {
    const { runner, workers } = setup()
    const result = runner.run('ruby', 'puts 1')
    workers[0].emit({ type: 'load-error', message: '404 Not Found for /static/runtimes/ruby/ruby+stdlib.wasm' })
    await expect(result).resolves.toMatchObject({ status: 'error', message: 'Ruby could not be loaded: 404 Not Found for /static/runtimes/ruby/ruby+stdlib.wasm' })
    expect(runner.getState().runtimes.ruby).toMatchObject({ status: 'failed' })
    void runner.run('ruby', 'puts 1')
    expect(workers[1]).toMatchObject({ kind: 'ruby' })
    expect(runner.getState().runtimes.ruby.status).toBe('loading')
  })

  it('refuses a language no runtime runs', async () => {
    const { runner } = setup()
    await expect(runner.run('java', 'class A {}')).rejects.toThrow(/cannot run/)
    expect(runner.timeLimitMs('python')).toBe(10_000)
    expect(runner.timeLimitMs('javascript')).toBe(5_000)
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
