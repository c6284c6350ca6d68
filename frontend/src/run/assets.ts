// Runtime files the build copies into the static files (vite.config.ts, `runtimeAssets`):
// each runtime's directory (relative to the static root, with the package's version in its
// name, so its URLs never change meaning and may be cached for good) and its files' sizes.

export interface RuntimeAssets {
  /** `runtimes/<name>-<version>/`, relative to the static root. */
  base: string
  /** File name -> size in bytes (uncompressed). */
  files: Record<string, number>
}

export function runtimeAsset(name: string): RuntimeAssets {
  const assets = __RUNTIME_ASSETS__[name]
  if (!assets) throw new Error(`no runtime files for ${name} in this build`)
  return assets
}

/** Size of a file the bundler emitted from a package (e.g. a WebAssembly module), by its original name. */
export function emittedSize(name: string): number | undefined {
  return __EMITTED_SIZES__[name]
}

/** The original name of a file the bundler emitted (`pglite-Ab12_xYz.wasm` -> `pglite.wasm`). */
export function originalName(url: string): string {
  const name = new URL(url, 'http://x/').pathname.split('/').pop() ?? ''
  return name.replace(/-[A-Za-z0-9_-]{8}(?=\.[^.]+$)/, '')
}

/**
 * Count a library's own downloads of the named emitted files towards the loading progress:
 * wraps the worker's fetch (the worker hosts this one runtime only).
 */
export function countLibraryFetches(context: { fetch(url: string, expectedBytes?: number): Promise<Response>; expect(bytes: number): void }, names: readonly string[]): void {
  const sizes = Object.fromEntries(names.map((name) => [name, emittedSize(name) ?? 0]))
  context.expect(Object.values(sizes).reduce((a, b) => a + b, 0))
  const realFetch = globalThis.fetch.bind(globalThis)
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const name = originalName(url)
    if (name in sizes && (!init || !init.method || init.method === 'GET')) return context.fetch(url, sizes[name])
    return realFetch(input, init)
  }
}

/**
 * Count a library's own downloads of a runtime's copied files (runtimes/<name>-<version>/)
 * towards the loading progress; returns the directory's absolute URL.
 */
export function countRuntimeFetches(
  context: { assetsBase: string; fetch(url: string, expectedBytes?: number): Promise<Response>; expect(bytes: number): void },
  runtime: string,
): { url: string; files: Record<string, number> } {
  const { base, files } = runtimeAsset(runtime)
  const url = new URL(base, context.assetsBase).href
  context.expect(Object.values(files).reduce((a, b) => a + b, 0))
  const realFetch = globalThis.fetch.bind(globalThis)
  globalThis.fetch = (input, init) => {
    const target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const absolute = new URL(target, location.href).href
    const name = absolute.startsWith(url) ? absolute.slice(url.length) : ''
    if (name in files && (!init || !init.method || init.method === 'GET')) return context.fetch(absolute, files[name])
    return realFetch(input, init)
  }
  return { url, files }
}
