// TypeScript's language service in the editor: type errors underlined as you type, and
// listed when Run is pressed (the program still runs, as tsc would emit it). Loaded only
// when a session's language is TypeScript: the service and its 7 MB worker are chunks of
// their own, so other sessions never download them.

import { monaco } from './setup'

type TsDefaults = {
  setCompilerOptions(options: Record<string, unknown>): void
  setDiagnosticsOptions(options: Record<string, unknown>): void
  setModeConfiguration(options: Record<string, unknown>): void
  addExtraLib(content: string, path?: string): unknown
}
interface TsWorkerProxy {
  getSyntacticDiagnostics(uri: string): Promise<TsDiagnostic[]>
  getSemanticDiagnostics(uri: string): Promise<TsDiagnostic[]>
}
interface TsDiagnostic {
  start?: number
  length?: number
  code: number
  category: number
  messageText: string | { messageText: string; next?: TsDiagnostic['messageText'][] }
}

// Globals the pad's JavaScript runner provides besides the browser's (src/run/jsNode.ts).
const PAD_GLOBALS = `
declare function readline(): string | null;
declare function require(name: 'fs' | 'node:fs'): { readFileSync(path: 0 | '/dev/stdin' | string, encoding?: string): string };
declare function require(name: 'readline' | 'node:readline'): {
  createInterface(options?: unknown): {
    on(event: 'line', listener: (line: string) => void): any;
    on(event: 'close', listener: () => void): any;
    question(query: string, callback: (answer: string) => void): void;
    close(): void;
    [Symbol.asyncIterator](): AsyncIterableIterator<string>;
  };
};
declare function require(name: string): any;
declare const process: {
  argv: string[];
  env: Record<string, string | undefined>;
  stdin: { on(event: 'data', listener: (chunk: string) => void): any; on(event: 'end' | 'close', listener: () => void): any; setEncoding(encoding: string): any; resume(): any; [Symbol.asyncIterator](): AsyncIterableIterator<string> };
  stdout: { write(text: string): boolean };
  stderr: { write(text: string): boolean };
  exit(code?: number): never;
  hrtime: { (previous?: [number, number]): [number, number]; bigint(): bigint };
  nextTick(callback: (...args: any[]) => void, ...args: any[]): void;
};
`

let requested = false
let service: Promise<{ getWorker: () => Promise<(...uris: monaco.Uri[]) => Promise<TsWorkerProxy>> }> | null = null

// Has a model asked for TypeScript's features yet? (Monaco asks once per page; the
// service's own registration only hears it if it was loaded before.)
monaco.languages.onLanguage('typescript', () => {
  requested = true
})

/** Start TypeScript's language service (once per page). */
export function enableTypeScriptService() {
  service ??= (async () => {
    const register = (await import('monaco-editor/languages/features/typescript/register')) as unknown as {
      typescriptDefaults: TsDefaults
      javascriptDefaults: TsDefaults
      getTypeScriptWorker: () => Promise<(...uris: monaco.Uri[]) => Promise<TsWorkerProxy>>
    }
    const defaults = register.typescriptDefaults
    defaults.setCompilerOptions({
      target: 99, // ESNext
      module: 99,
      moduleResolution: 2,
      moduleDetection: 3, // force: every file is a module (top-level await, no clashes with DOM globals)
      strict: true,
      noEmit: true,
      allowNonTsExtensions: true,
      esModuleInterop: true,
    })
    defaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, onlyVisible: false })
    defaults.addExtraLib(PAD_GLOBALS, 'file:///pad-globals.d.ts')
    // JavaScript keeps its plain highlighting: no language service, no worker for it.
    register.javascriptDefaults.setModeConfiguration({})
    if (requested) {
      const mode = (await import('monaco-editor/languages/features/typescript/tsMode')) as unknown as { setupTypeScript(defaults: TsDefaults): void }
      mode.setupTypeScript(defaults)
    }
    return { getWorker: register.getTypeScriptWorker }
  })()
  return service
}

function flatten(text: TsDiagnostic['messageText'], indent = ''): string {
  if (typeof text === 'string') return indent + text
  const next = (text.next ?? []).map((item) => flatten(item, `${indent}  `))
  return [indent + text.messageText, ...next].join('\n')
}

/**
 * The type errors of a TypeScript model, as tsc prints them (`main.ts:3:7 - error TS2322: ...`),
 * or null when the service did not answer in time.
 */
export async function typeErrors(model: monaco.editor.ITextModel, timeoutMs = 8000): Promise<string[] | null> {
  const work = (async () => {
    const { getWorker } = await enableTypeScriptService()
    const worker = await (await getWorker())(model.uri)
    const uri = model.uri.toString()
    const [syntactic, semantic] = await Promise.all([worker.getSyntacticDiagnostics(uri), worker.getSemanticDiagnostics(uri)])
    return [...syntactic, ...semantic]
      .filter((diagnostic) => diagnostic.category === 1) // errors (warnings and suggestions are not tsc's errors)
      .map((diagnostic) => {
        const position = model.getPositionAt(diagnostic.start ?? 0)
        return `main.ts:${position.lineNumber}:${position.column} - error TS${diagnostic.code}: ${flatten(diagnostic.messageText)}`
      })
  })()
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs))
  return Promise.race([work, timeout])
}
