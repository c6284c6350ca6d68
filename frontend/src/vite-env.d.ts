/// <reference types="vite/client" />

/** The runtime files copied into dist/runtimes/ (vite.config.ts `define`): directory and sizes. */
declare const __RUNTIME_ASSETS__: Record<string, { base: string; files: Record<string, number> }>
/** Sizes of WebAssembly and data files the bundler emits from packages, by original name. */
declare const __EMITTED_SIZES__: Record<string, number>
