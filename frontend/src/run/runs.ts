// The shared run history: `Array("runs")` of the session's Yjs document holds one plain
// JSON object per finished run, newest last. Every participant appends their own runs and
// renders everyone's, so the output panel is the same for all. Entries are capped in
// count and in output size so the document (and every frame the server relays) stays small.

import type * as Y from 'yjs'
import { capText } from './output'
import { parseTestFields, type TestFields } from './tests/records'

export type RunStatus = 'ok' | 'error' | 'timeout' | 'stopped'
export const RUN_STATUSES: readonly RunStatus[] = ['ok', 'error', 'timeout', 'stopped']

/** A finished run; a test run also has the test fields (`kind`, `tests`, `hidden`, `for_run`: tests/records.ts). */
export interface RunEntry extends TestFields {
  id: string
  by: { name: string; color: string }
  language: string
  stdout: string
  stderr: string
  status: RunStatus
  message?: string
  duration_ms: number
  /** ISO 8601 time the run finished. */
  at: string
  /** The program's standard input, when it had any. */
  stdin?: string
}

/** Newest runs kept in the document. */
export const MAX_RUNS = 50
/** Per stream, in UTF-8 bytes, the `[output truncated]` marker included. */
export const MAX_OUTPUT_BYTES = 64 * 1024
/**
 * All kept runs' output together, in UTF-8 bytes as the server counts it: older runs are
 * dropped past it, so the whole array stays within the server's budget for the document.
 */
export const MAX_TOTAL_OUTPUT_BYTES = 1024 * 1024
const MAX_MESSAGE_CHARS = 1000
const MAX_NAME_CHARS = 80

export interface RunResultInput {
  id: string
  by: { name: string; color: string }
  language: string
  stdout: string
  stderr: string
  status: RunStatus
  message?: string
  durationMs: number
  /** Streams the runner stopped collecting (their text gets the marker even if short). */
  truncated?: { stdout?: boolean; stderr?: boolean }
  at?: Date
  /** The program's standard input ('' or absent: none). */
  stdin?: string
}

/** A finished run as a document entry, its output capped and marked when cut. */
export function makeRunEntry(input: RunResultInput): RunEntry {
  const entry: RunEntry = {
    id: input.id,
    by: { name: input.by.name.slice(0, MAX_NAME_CHARS), color: input.by.color },
    language: input.language,
    stdout: capText(input.stdout, MAX_OUTPUT_BYTES, input.truncated?.stdout ?? false),
    stderr: capText(input.stderr, MAX_OUTPUT_BYTES, input.truncated?.stderr ?? false),
    status: input.status,
    duration_ms: Math.max(0, Math.round(input.durationMs)),
    at: (input.at ?? new Date()).toISOString(),
  }
  if (input.message) entry.message = input.message.slice(0, MAX_MESSAGE_CHARS)
  if (input.stdin) entry.stdin = capText(input.stdin, MAX_OUTPUT_BYTES)
  return entry
}

/**
 * Append one run. The server keeps the newest runs within its caps (`MAX_RUNS`,
 * `MAX_TOTAL_OUTPUT_BYTES`) and drops the oldest itself: a candidate may not remove runs.
 */
export function appendRun(doc: Y.Doc, runs: Y.Array<unknown>, entry: RunEntry): void {
  doc.transact(() => runs.push([entry]))
}

/** Remove every run (the panel's Clear), for everyone. */
export function clearRuns(doc: Y.Doc, runs: Y.Array<unknown>): void {
  doc.transact(() => {
    if (runs.length > 0) runs.delete(0, runs.length)
  })
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback
}

/**
 * An entry as written by any client (maybe an older or a misbehaving one): a RunEntry with
 * every field of the right type, or null when it is not a run at all.
 */
export function parseRunEntry(value: unknown, index = 0): RunEntry | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const raw = value as Record<string, unknown>
  const by = raw.by !== null && typeof raw.by === 'object' ? (raw.by as Record<string, unknown>) : {}
  const status = RUN_STATUSES.includes(raw.status as RunStatus) ? (raw.status as RunStatus) : 'error'
  const duration = typeof raw.duration_ms === 'number' && Number.isFinite(raw.duration_ms) ? raw.duration_ms : 0
  const entry: RunEntry = {
    id: str(raw.id) || `run-${index}`,
    by: { name: str(by.name, 'Someone').slice(0, MAX_NAME_CHARS) || 'Someone', color: str(by.color, '#888888') },
    language: str(raw.language, 'plaintext'),
    stdout: capText(str(raw.stdout), MAX_OUTPUT_BYTES),
    stderr: capText(str(raw.stderr), MAX_OUTPUT_BYTES),
    status,
    duration_ms: Math.max(0, duration),
    at: str(raw.at),
  }
  const message = str(raw.message)
  if (message) entry.message = message.slice(0, MAX_MESSAGE_CHARS)
  const stdin = str(raw.stdin)
  if (stdin) entry.stdin = capText(stdin, MAX_OUTPUT_BYTES)
  return Object.assign(entry, parseTestFields(raw))
}

/** The runs to show, newest first, at most `MAX_RUNS`. */
export function runsNewestFirst(values: readonly unknown[]): RunEntry[] {
  const entries: RunEntry[] = []
  for (let i = values.length - 1; i >= 0 && entries.length < MAX_RUNS; i--) {
    const entry = parseRunEntry(values[i], i)
    if (entry) entries.push(entry)
  }
  return entries
}

/** `42 ms`, `1.3 s`, `12 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.round(ms / 1000)} s`
}

export const STATUS_LABELS: Record<RunStatus, string> = {
  ok: 'ok',
  error: 'error',
  timeout: 'time limit',
  stopped: 'stopped',
}
