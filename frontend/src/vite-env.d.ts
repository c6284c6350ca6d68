/// <reference types="vite/client" />

/** Byte sizes of the Pyodide files in dist/pyodide/ (vite.config.ts `define`). */
declare const __PYODIDE_FILE_SIZES__: Record<string, number>
