// A helper worker of the C/C++ runtime (languages/clang.ts): precompiles C++'s standard
// headers with its own copy of clang (from the HTTP cache), so the runtime's worker stays
// free to compile and run programs meanwhile, and sends the header back.

import { commands, runLLVM } from '@yowasp/clang'

interface Request {
  args: string[]
  header: string
}

const scope = globalThis as unknown as { postMessage(message: unknown, transfer?: Transferable[]): void; onmessage: ((event: MessageEvent) => void) | null }

scope.onmessage = async (event: MessageEvent) => {
  const { args, header } = event.data as Request
  const ignore = () => {}
  try {
    await runLLVM(undefined, {}, { fetchProgress: ignore }) // load quietly (from the HTTP cache)
    const output = (await commands['clang++']([...args, '-x', 'c++-header', 'pad.h', '-o', 'pad.h.pch'], { 'pad.h': header }, {
      stdout: ignore,
      stderr: ignore,
    })) as Record<string, unknown> | undefined
    const pch = output?.['pad.h.pch']
    if (pch instanceof Uint8Array) scope.postMessage({ pch }, [pch.buffer])
    else scope.postMessage({ error: 'no header was written' })
  } catch (error) {
    scope.postMessage({ error: String((error as Error)?.message ?? error) })
  }
}
