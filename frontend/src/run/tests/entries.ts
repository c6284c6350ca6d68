// The run entries a test run appends to the shared document: the visible cases' run (with
// expected vs got), and the hidden cases' check, which holds counts, names and pass/fail
// only. A hidden check never carries the program's output or messages either: a program
// can print its arguments, and an exception's text can quote them.

import { makeRunEntry, type RunEntry } from '../runs'
import { redactHidden } from './results'
import type { SuiteResult } from './runTests'

/**
 * Whether a hidden check also states its counts as `hidden: {passed, total}`. Off for now: the
 * server's check of that field wants integers, and every number a browser writes reaches the
 * server's CRDT as a float (2.0), so it refuses the whole entry. The counts are the check's
 * `tests` (names and pass/fail), which parseTestFields reads them from.
 */
export const WRITE_HIDDEN_COUNTS = false

export interface EntryBase {
  id: string
  by: { name: string; color: string }
  language: string
  at?: Date
}

/** The visible cases' run, for everyone. */
export function testsEntry(base: EntryBase, suite: SuiteResult): RunEntry {
  const entry = makeRunEntry({
    ...base,
    stdout: suite.stdout,
    stderr: suite.stderr,
    status: suite.status,
    message: suite.message,
    durationMs: suite.durationMs,
    truncated: suite.truncated,
  })
  return { ...entry, kind: 'tests', tests: suite.results }
}

/** The hidden cases' check of run `forRun`: how many passed, which by name, nothing else. */
export function hiddenCheckEntry(base: EntryBase, forRun: string, suite: SuiteResult): RunEntry {
  const entry = makeRunEntry({
    ...base,
    stdout: '',
    stderr: '',
    status: suite.status,
    message: `Hidden tests: ${suite.passed}/${suite.total} passed`,
    durationMs: suite.durationMs,
  })
  const check: RunEntry = { ...entry, kind: 'tests', for_run: forRun, tests: suite.results.map(redactHidden) }
  if (WRITE_HIDDEN_COUNTS) check.hidden = { passed: suite.passed, total: suite.total }
  return check
}
