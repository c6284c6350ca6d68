// Monaco, trimmed to what a coding interview needs. Importing the editor API plus chosen
// features and languages (instead of the package root, which pulls in ~80 languages and
// the TypeScript/CSS/HTML/JSON language services) keeps the bundle a fraction of the size.
// JavaScript and TypeScript get Monarch highlighting only, so the 7 MB TS worker is not built.

import * as monaco from 'monaco-editor/editor/editor.api'
import { CODE_FONT } from './look'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
// TypeScript's language service (type errors as you type), started only for TypeScript
// sessions (src/monaco/typescript.ts): its worker is a 7 MB chunk of its own.
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker'

// Editor features (each module registers itself on import). Hover is left out on purpose:
// with Monarch-only languages it has little to show and costs ~200 kB.
import 'monaco-editor/features/codicon/register'
import 'monaco-editor/features/codeEditor/register'
import 'monaco-editor/editor/browser/coreCommands'
import 'monaco-editor/features/bracketMatching/register'
import 'monaco-editor/features/caretOperations/register'
import 'monaco-editor/features/clipboard/register'
import 'monaco-editor/features/comment/register'
import 'monaco-editor/features/contextmenu/register'
import 'monaco-editor/features/cursorUndo/register'
import 'monaco-editor/features/dnd/register'
import 'monaco-editor/features/find/register'
import 'monaco-editor/features/folding/register'
import 'monaco-editor/features/gotoLine/register'
import 'monaco-editor/features/quickCommand/register'
import 'monaco-editor/features/indentation/register'
import 'monaco-editor/features/inPlaceReplace/register'
import 'monaco-editor/features/lineSelection/register'
import 'monaco-editor/features/linesOperations/register'
import 'monaco-editor/features/links/register'
import 'monaco-editor/features/multicursor/register'
import 'monaco-editor/features/smartSelect/register'
import 'monaco-editor/features/snippet/register'
import 'monaco-editor/features/suggest/register'
import 'monaco-editor/editor/contrib/suggest/browser/suggestController'
import 'monaco-editor/features/tokenization/register'
import 'monaco-editor/features/unicodeHighlighter/register'
import 'monaco-editor/features/wordHighlighter/register'
import 'monaco-editor/features/wordOperations/register'
import 'monaco-editor/features/wordPartOperations/register'
// Ctrl+M: "Tab moves focus", so keyboard users can leave the editor (issue 14).
import 'monaco-editor/features/toggleTabFocusMode/register'

// Highlighting for exactly the languages in src/languages.ts (plaintext is built in;
// cpp/register also registers "c"), plus Markdown for the notes. Grammars load lazily as
// small chunks.
import 'monaco-editor/languages/definitions/python/register'
import 'monaco-editor/languages/definitions/javascript/register'
import 'monaco-editor/languages/definitions/typescript/register'
import 'monaco-editor/languages/definitions/java/register'
import 'monaco-editor/languages/definitions/cpp/register'
import 'monaco-editor/languages/definitions/csharp/register'
import 'monaco-editor/languages/definitions/go/register'
import 'monaco-editor/languages/definitions/rust/register'
import 'monaco-editor/languages/definitions/ruby/register'
import 'monaco-editor/languages/definitions/kotlin/register'
import 'monaco-editor/languages/definitions/swift/register'
import 'monaco-editor/languages/definitions/php/register'
import 'monaco-editor/languages/definitions/sql/register'
import 'monaco-editor/languages/definitions/pgsql/register'
import 'monaco-editor/languages/definitions/lua/register'
// The interviewers' private notes.
import 'monaco-editor/languages/definitions/markdown/register'

// Every language here is Monarch-only, so the generic editor worker serves them all
// (word-based suggestions, links, diff), except TypeScript's language service. Bundled by
// Vite: nothing loads from another host.
self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
}

// Themes whose backgrounds match the page's own palette (see styles.css).
monaco.editor.defineTheme('pad-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#15171c',
    'editorGutter.background': '#15171c',
    'editor.lineHighlightBackground': '#1d2028',
    'editorLineNumber.foreground': '#4b5263',
    'editorLineNumber.activeForeground': '#aab2c0',
  },
})
monaco.editor.defineTheme('pad-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#ffffff',
    'editor.lineHighlightBackground': '#f4f6fa',
    'editorLineNumber.foreground': '#a0a7b4',
    'editorLineNumber.activeForeground': '#3b4252',
  },
})

/** How every code editor of the app looks: the session's and the replay's. */
export const CODE_EDITOR_LOOK = {
  ...CODE_FONT,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  renderWhitespace: 'selection',
} satisfies monaco.editor.IStandaloneEditorConstructionOptions

export { monaco }
