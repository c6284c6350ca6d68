// Errors of a JavaScript / TypeScript run described for people: the message, the line in
// their program, and a stack trace that shows their code only (no runner internals).
//
// The runner evaluates the program as `(async()=>{<code>\n})()` with a sourceURL of
// `main.js` (or `main.ts`), so V8 frames read `at f (main.js:3:9)`; the wrapper adds
// `PREFIX.length` columns on line 1 and one frame after the last line.

import { errorHeadline, inspect } from './format'

export const WRAPPER_PREFIX = '(async()=>{'

export interface SourceInfo {
  /** `main.js` or `main.ts`. */
  fileName: string
  /** Lines in the user's program; frames below it belong to the wrapper. */
  lineCount: number
  /** Whether columns match the user's text (false after TypeScript was transpiled). */
  exactColumns: boolean
}

export interface Location {
  line: number
  column?: number
}

interface Frame {
  text: string
  location: Location | null
  user: boolean
}

const FRAME_RE = /^\s*at (?:(.*?) \()?(.*?)(?::(\d+):(\d+))?\)?$/

function parseFrame(line: string, source: SourceInfo): Frame | null {
  if (!/^\s*at /.test(line)) return null
  const match = FRAME_RE.exec(line)
  if (!match) return { text: line.trim(), location: null, user: false }
  const [, rawName, file, lineText, columnText] = match
  const name = rawName?.replace(/^async /, '')
  const isAsync = /^\s*at async /.test(line)
  if (file === source.fileName && lineText) {
    const lineNumber = Number(lineText)
    let column = Number(columnText)
    if (lineNumber === 1) column = Math.max(1, column - WRAPPER_PREFIX.length)
    const location: Location = source.exactColumns ? { line: lineNumber, column } : { line: lineNumber }
    const where = `${source.fileName}:${lineNumber}${source.exactColumns ? `:${column}` : ''}`
    // The program's own top level shows as `eval` (it runs inside an indirect eval).
    const shownName = name && name !== 'eval' ? name : null
    const text = `at ${isAsync ? 'async ' : ''}${shownName ? `${shownName} (${where})` : where}`
    return { text, location, user: lineNumber <= source.lineCount }
  }
  return { text: line.trim(), location: null, user: false }
}

/** The frames of `stack` that are the user's code, plus built-ins called from it. */
export function userFrames(stack: string, source: SourceInfo): { frames: string[]; location: Location | null } {
  const parsed = stack
    .split('\n')
    .map((line) => parseFrame(line, source))
    .filter((frame): frame is Frame => frame !== null)
  const lastUser = parsed.map((frame) => frame.user).lastIndexOf(true)
  const kept = parsed.slice(0, lastUser + 1).filter((frame) => frame.user || /\((<anonymous>|native)\)$/.test(frame.text))
  const first = kept.find((frame) => frame.user)
  return { frames: kept.map((frame) => frame.text), location: first?.location ?? null }
}

/** The message part of a V8 stack (everything before the first `at` line). */
function stackHeadline(stack: string): string | null {
  const lines = stack.split('\n')
  const index = lines.findIndex((line) => /^\s*at /.test(line))
  if (index <= 0) return null
  return lines.slice(0, index).join('\n')
}

export interface Described {
  /** Text for stderr: headline and user frames. */
  text: string
  /** One line for the run's `message`: headline and line number. */
  summary: string
  location: Location | null
}

function safeStack(error: unknown): string | null {
  try {
    const stack = (error as { stack?: unknown }).stack
    return typeof stack === 'string' ? stack : null
  } catch {
    return null
  }
}

function whereText(location: Location | null): string {
  return location ? ` (line ${location.line})` : ''
}

/** An Error's stack as a person should see it: headline plus their own frames. */
export function cleanErrorText(error: Error, source: SourceInfo): string {
  const stack = safeStack(error)
  const headline = (stack && stackHeadline(stack)) || errorHeadline(error)
  if (!stack) return headline
  const { frames } = userFrames(stack, source)
  return [headline, ...frames.map((frame) => `    ${frame}`)].join('\n')
}

/** An uncaught throw (any value, not only an Error). */
export function describeThrown(value: unknown, source: SourceInfo): Described {
  if (value instanceof Error || (value !== null && typeof value === 'object' && typeof safeStack(value) === 'string' && 'message' in value)) {
    const error = value as Error
    const stack = safeStack(error)
    const { frames, location } = stack ? userFrames(stack, source) : { frames: [], location: null }
    const headline = (stack && stackHeadline(stack)) || errorHeadline(error)
    const firstLine = headline.split('\n')[0]
    return {
      text: [`Uncaught ${headline}`, ...frames.map((frame) => `    ${frame}`)].join('\n'),
      summary: clip(`${firstLine}${whereText(location)}`),
      location,
    }
  }
  const shown = inspect(value, { maxDepth: 2 })
  return {
    text: `Uncaught ${shown}`,
    summary: clip(`Uncaught ${shown.split('\n').join(' ')} (a thrown value that is not an Error has no line)`),
    location: null,
  }
}

function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/**
 * A syntax error at a known place (from the transpiler's parser), with the offending line
 * and a caret under the column: what a person needs to find it.
 */
export function describeSyntaxError(message: string, code: string, location: Location | null, source: SourceInfo): Described {
  const bare = message.replace(/\s*\(\d+:\d+\)\s*$/, '')
  const headline = bare.startsWith('SyntaxError') ? bare : `SyntaxError: ${bare}`
  if (!location) {
    const hint = /import statement|import declarations|export/.test(bare)
      ? '\n(the pad runs one file: import and export are not available)'
      : ''
    return { text: `${headline}${hint}`, summary: clip(headline), location: null }
  }
  const lines = code.split('\n')
  const lineText = lines[location.line - 1] ?? ''
  const gutter = String(location.line)
  const frame = [`> ${gutter} | ${lineText}`]
  if (location.column !== undefined) frame.push(`  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, location.column - 1))}^`)
  const where = `${source.fileName}:${location.line}${location.column !== undefined ? `:${location.column}` : ''}`
  return {
    text: `${headline} (${where})\n\n${frame.join('\n')}`,
    summary: clip(`${headline} (line ${location.line})`),
    location,
  }
}

/** Sucrase's parse errors end with `(line:column)`, 1-based; read it. */
export function locationFromParserMessage(message: string): Location | null {
  const match = /\((\d+):(\d+)\)\s*$/.exec(message)
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null
}
