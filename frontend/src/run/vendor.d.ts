// Modules of packages that ship no type declarations for the entry points the runners use.

declare module 'monaco-editor/languages/features/typescript/tsMode' {
  export function setupTypeScript(defaults: unknown): void
}

declare module 'php-wasm/php8.4-web.mjs' {
  const PHP: new (args: object) => object
  export default PHP
}
