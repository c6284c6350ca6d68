import { defineConfig, loadEnv } from 'vite'
import react from '@vitejs/plugin-react'

export default defineConfig(({ command, mode }) => {
  // The Django server that `npm run dev` proxies to; PAD_BACKEND (shell or .env) overrides it.
  const backend = loadEnv(mode, '.', 'PAD_').PAD_BACKEND || 'http://127.0.0.1:8000'

  return {
    // Django serves frontend/dist as its static root under /static/ (and index.html itself
    // for / and /session/<id>), so built asset URLs must start with /static/. The dev
    // server serves the app at / instead.
    base: command === 'build' ? '/static/' : '/',
    plugins: [react()],
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
    // Module workers: the Pyodide worker (a later task) fails as a classic worker.
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
