import { createReadStream, readFileSync, statSync } from 'node:fs'
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { defineConfig, loadEnv, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'

const gzip = promisify(zlib.gzip)
const brotliCompress = promisify(zlib.brotliCompress)

// Runtime files the browser loads when a session first runs a language: copied from their
// npm packages into `<outDir>/runtimes/<name>-<version>/` (served as /static/runtimes/...,
// never from a CDN; the version in the path means a URL never changes meaning, so they may
// be cached for good). Libraries that locate their own files with `new URL(..., import.meta.url)`
// (PHP, PGlite, clang) get them emitted by Vite into assets/ with content hashes instead.
const NODE_MODULES = fileURLToPath(new URL('./node_modules/', import.meta.url))

interface RuntimeFiles {
  name: string
  /** Package whose version goes into the directory name. */
  pkg: string
  dir: string
  files: string[]
}

const RUNTIME_FILES: RuntimeFiles[] = [
  { name: 'pyodide', pkg: 'pyodide', dir: 'pyodide', files: ['pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'] },
  { name: 'sqlite', pkg: 'sql.js', dir: 'sql.js/dist', files: ['sql-wasm-browser.js', 'sql-wasm-browser.wasm'] },
  { name: 'ruby', pkg: '@ruby/3.4-wasm-wasi', dir: '@ruby/3.4-wasm-wasi/dist', files: ['ruby+stdlib.wasm'] },
  { name: 'lua', pkg: 'wasmoon', dir: 'wasmoon/dist', files: ['glue.wasm'] },
]

// Files Vite emits from packages (for the loading progress: their sizes, by original name).
const EMITTED_FILES = [
  'php-wasm/e31ec3faf3e2323a2b4a448342b50307765b8217.wasm',
  '@electric-sql/pglite/dist/pglite.wasm',
  '@electric-sql/pglite/dist/pglite.data',
  '@electric-sql/pglite/dist/initdb.wasm',
]

function packageVersion(pkg: string): string {
  return JSON.parse(readFileSync(path.join(NODE_MODULES, pkg, 'package.json'), 'utf8')).version
}

function runtimeBase(runtime: RuntimeFiles): string {
  return `runtimes/${runtime.name}-${packageVersion(runtime.pkg)}/`
}

/** What the workers need to know: each runtime's directory and its files' sizes. */
function runtimeAssetsManifest(): Record<string, { base: string; files: Record<string, number> }> {
  return Object.fromEntries(
    RUNTIME_FILES.map((runtime) => [
      runtime.name,
      {
        base: runtimeBase(runtime),
        files: Object.fromEntries(runtime.files.map((file) => [file, statSync(path.join(NODE_MODULES, runtime.dir, file)).size])),
      },
    ]),
  )
}

function emittedSizes(): Record<string, number> {
  return Object.fromEntries(EMITTED_FILES.map((file) => [path.basename(file), statSync(path.join(NODE_MODULES, file)).size]))
}

const CONTENT_TYPES: Record<string, string> = {
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.json': 'application/json',
}

/** Copies the runtimes' files into `<outDir>/runtimes/`; serves them at `/runtimes/` in dev. */
function runtimeAssets(): Plugin {
  let outDir = 'dist'
  return {
    name: 'pad-runtime-assets',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    async writeBundle() {
      await Promise.all(
        RUNTIME_FILES.map(async (runtime) => {
          const target = path.join(outDir, runtimeBase(runtime))
          await mkdir(target, { recursive: true })
          await Promise.all(runtime.files.map((file) => copyFile(path.join(NODE_MODULES, runtime.dir, file), path.join(target, file))))
        }),
      )
    },
    configureServer(server) {
      server.middlewares.use('/runtimes', (req, res, next) => {
        const [dir, file] = (req.url ?? '').split('?')[0].replace(/^\//, '').split('/')
        const runtime = RUNTIME_FILES.find((candidate) => runtimeBase(candidate) === `runtimes/${dir}/` && candidate.files.includes(file))
        if (!runtime) return next()
        const source = path.join(NODE_MODULES, runtime.dir, file)
        res.setHeader('Content-Type', CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream')
        res.setHeader('Content-Length', String(statSync(source).size))
        createReadStream(source).pipe(res)
      })
    },
  }
}

// Pre-compressed copies for WhiteNoise, which serves `x.br` or `x.gz` in place of `x` to a
// browser that accepts them: the C/C++ compiler is ~100 MB uncompressed, ~26 MB gzip, ~21 MB
// brotli. Brotli at quality 5 is as fast as gzip here and a fifth smaller.
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.wasm', '.data', '.tar', '.json', '.ttf', '.svg', '.zip', '.map'])
const MIN_COMPRESS_BYTES = 1024

async function compressFile(file: string): Promise<void> {
  const data = await readFile(file)
  const [gz, br] = await Promise.all([
    gzip(data, { level: 9 }),
    brotliCompress(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
  ])
  // Only where it pays (an already compressed file is served as it is).
  if (gz.length < data.length * 0.95) await writeFile(`${file}.gz`, gz)
  if (br.length < data.length * 0.95) await writeFile(`${file}.br`, br)
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : Promise.resolve([path.join(dir, entry.name)]))),
  )
  return nested.flat()
}

/** After the build (and the runtimes' copy), write `.gz` and `.br` beside every compressible file. */
function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'pad-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    async closeBundle() {
      const files = (await listFiles(outDir)).filter((file) => COMPRESSIBLE.has(path.extname(file)) && statSync(file).size >= MIN_COMPRESS_BYTES)
      // Biggest first, a few at a time: zlib works on libuv's thread pool.
      files.sort((a, b) => statSync(b).size - statSync(a).size)
      const queue = [...files]
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let file = queue.shift(); file; file = queue.shift()) await compressFile(file)
        }),
      )
    },
  }
}

export default defineConfig(({ command, mode }) => {
  // The Django server that `npm run dev` proxies to; PAD_BACKEND (shell or .env) overrides it.
  const backend = loadEnv(mode, '.', 'PAD_').PAD_BACKEND || 'http://127.0.0.1:8000'

  return {
    // Django serves frontend/dist as its static root under /static/ (and index.html itself
    // for / and /session/<id>), so built asset URLs must start with /static/. The dev
    // server serves the app at / instead.
    base: command === 'build' ? '/static/' : '/',
    plugins: [react(), runtimeAssets(), precompress()],
    define: {
      __RUNTIME_ASSETS__: JSON.stringify(runtimeAssetsManifest()),
      __EMITTED_SIZES__: JSON.stringify(emittedSizes()),
    },
    resolve: {
      alias: [
        {
          // y-monaco imports this path, which monaco-editor 0.56+ no longer exports; point it
          // at the module our own code imports, so the page holds exactly one Monaco.
          find: /^monaco-editor\/esm\/vs\/editor\/editor\.api(\.js)?$/,
          replacement: 'monaco-editor/editor/editor.api.js',
        },
      ],
    },
    // Module workers: Pyodide fails in a classic worker, and each runtime is a chunk the
    // runner worker imports when it is first needed.
    worker: { format: 'es' as const },
    optimizeDeps: { exclude: ['pyodide', '@electric-sql/pglite', 'php-wasm', '@yowasp/clang', 'wasmoon', '@ruby/wasm-wasi'] },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      // Monaco alone is a few MB; the default warning would fire on every build.
      chunkSizeWarningLimit: 4096,
    },
    server: {
      proxy: {
        '/api': { target: backend, changeOrigin: true },
        '/health': { target: backend, changeOrigin: true },
        '/ws': { target: backend, ws: true, changeOrigin: true },
      },
    },
  }
})
