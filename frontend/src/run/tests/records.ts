// Test runs in the shared `Array("runs")`: a run entry with `kind: "tests"` and per-case
// results; the hidden cases' check is a separate entry `{for_run, hidden: {passed, total}}`
// whose cases carry names and pass/fail only (the document is the candidate's too). The
// output panel shows a check under the run it belongs to.

import type { RunEntry } from '../runs'
import { clip, MAX_CASES, MAX_CASE_TEXT, type CaseResult } from './results'

/** The test fields of a run entry (runs.ts keeps them when an entry has them). */
export interface TestFields {
  kind?: 'run' | 'tests'
  tests?: CaseResult[]
  hidden?: { passed: number; total: number }
  for_run?: string
}

function text(value: unknown, limit: number): string | undefined {
  return typeof value === 'string' ? clip(value, limit) : undefined
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_CASES ? value : null
}

/** The test fields of an entry as written by any client, checked; `{}` for a plain run. */
export function parseTestFields(raw: Record<string, unknown>): TestFields {
  const fields: TestFields = {}
  if (raw.kind === 'tests' || raw.kind === 'run') fields.kind = raw.kind
  if (Array.isArray(raw.tests)) {
    fields.tests = raw.tests
      .slice(0, MAX_CASES)
      .filter((c): c is Record<string, unknown> => c !== null && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string')
      .map((c) => {
        const result: CaseResult = { name: clip(c.name as string, 100), passed: c.passed === true }
        const expected = text(c.expected, MAX_CASE_TEXT)
        const got = text(c.got, MAX_CASE_TEXT)
        const error = text(c.error, MAX_CASE_TEXT)
        if (expected !== undefined) result.expected = expected
        if (got !== undefined) result.got = got
        if (error !== undefined) result.error = error
        if (typeof c.ms === 'number' && Number.isFinite(c.ms) && c.ms >= 0) result.ms = c.ms
        return result
      })
  }
  if (raw.hidden !== null && typeof raw.hidden === 'object') {
    const h = raw.hidden as Record<string, unknown>
    const passed = count(h.passed)
    const total = count(h.total)
    if (passed !== null && total !== null && passed <= total) fields.hidden = { passed, total }
  }
  const forRun = text(raw.for_run, 64)
  if (forRun) fields.for_run = forRun
  // A hidden check without stated counts (entries.ts, WRITE_HIDDEN_COUNTS): its cases say them.
  if (forRun && !fields.hidden && fields.tests) {
    fields.hidden = { passed: fields.tests.filter((c) => c.passed).length, total: fields.tests.length }
  }
  return fields
}

export function isTestRun(run: RunEntry): boolean {
  return run.kind === 'tests'
}

/** A hidden check (it belongs to another run's entry). */
export function isHiddenCheck(run: RunEntry): boolean {
  return run.kind === 'tests' && typeof run.for_run === 'string'
}

/** A run entry with the newest hidden check of it attached (what the output panel lists). */
export type ShownRun = RunEntry & { hiddenCheck?: RunEntry }

/**
 * Runs to list (newest first, as given): hidden checks are taken out and attached to their
 * run; a check whose run is gone (cleared, capped) is listed on its own.
 */
export function attachHiddenChecks(runs: readonly RunEntry[]): ShownRun[] {
  const ids = new Set(runs.map((run) => run.id))
  const checks = new Map<string, RunEntry>()
  for (const run of runs) {
    // Newest first: the first check seen for a run is its newest.
    if (isHiddenCheck(run) && ids.has(run.for_run!) && !checks.has(run.for_run!)) checks.set(run.for_run!, run)
  }
  const shown: ShownRun[] = []
  for (const run of runs) {
    if (isHiddenCheck(run) && ids.has(run.for_run!)) continue
    const check = checks.get(run.id)
    shown.push(check ? { ...run, hiddenCheck: check } : run)
  }
  return shown
}

/** Whether the document already has a hidden check of `runId` (so nobody runs it twice). */
export function hasHiddenCheck(values: readonly unknown[], runId: string): boolean {
  return values.some(
    (value) => value !== null && typeof value === 'object' && (value as { for_run?: unknown }).for_run === runId,
  )
}

/** `3/4 passed`. */
export function passedText(passed: number, total: number): string {
  return `${passed}/${total} passed`
}
