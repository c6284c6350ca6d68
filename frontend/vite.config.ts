import { createReadStream, statSync } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, loadEnv, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'

// The Pyodide files the browser loads at run time (pyodide.mjs itself is bundled into the
// Python worker). They are served from our own static files, never from a CDN.
const PYODIDE_DIR = fileURLToPath(new URL('./node_modules/pyodide/', import.meta.url))
const PYODIDE_FILES = ['pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json']
const PYODIDE_TYPES: Record<string, string> = {
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.json': 'application/json',
}

/** Copies the Pyodide runtime into `<outDir>/pyodide/`; serves it at `/pyodide/` in dev. */
function pyodideAssets(): Plugin {
  let outDir = 'dist'
  return {
    name: 'pad-pyodide-assets',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    async writeBundle() {
      const target = path.join(outDir, 'pyodide')
      await mkdir(target, { recursive: true })
      await Promise.all(PYODIDE_FILES.map((name) => copyFile(path.join(PYODIDE_DIR, name), path.join(target, name))))
    },
    configureServer(server) {
      server.middlewares.use('/pyodide', (req, res, next) => {
        const name = path.basename((req.url ?? '').split('?')[0])
        if (!PYODIDE_FILES.includes(name)) return next()
        res.setHeader('Content-Type', PYODIDE_TYPES[path.extname(name)] ?? 'application/octet-stream')
        res.setHeader('Content-Length', String(statSync(path.join(PYODIDE_DIR, name)).size))
        createReadStream(path.join(PYODIDE_DIR, name)).pipe(res)
      })
    },
  }
}

/** Sizes of those files, so the loading progress has a total before the first response. */
function pyodideFileSizes(): Record<string, number> {
  return Object.fromEntries(PYODIDE_FILES.map((name) => [name, statSync(path.join(PYODIDE_DIR, name)).size]))
}

export default defineConfig(({ command, mode }) => {
  // The Django server that `npm run dev` proxies to; PAD_BACKEND (shell or .env) overrides it.
  const backend = loadEnv(mode, '.', 'PAD_').PAD_BACKEND || 'http://127.0.0.1:8000'

  return {
    // Django serves frontend/dist as its static root under /static/ (and index.html itself
    // for / and /session/<id>), so built asset URLs must start with /static/. The dev
    // server serves the app at / instead.
    base: command === 'build' ? '/static/' : '/',
    plugins: [react(), pyodideAssets()],
    define: {
      __PYODIDE_FILE_SIZES__: JSON.stringify(pyodideFileSizes()),
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
    // Module workers: the Pyodide worker fails as a classic worker.
    worker: { format: 'es' as const },
    optimizeDeps: { exclude: ['pyodide'] },
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
