// "Run tests" on a session page, and the hidden cases' checks.
//
// Anyone who may run code runs the visible cases in their own browser; the result is one
// shared run entry (kind "tests"). Hidden cases exist only on interviewers' pages (the
// server sends them to nobody else), so an interviewer's page checks them: automatically for
// each new test run, by exactly one interviewer (the connected one with the lowest awareness
// id, and only while no check of that run exists), or when an interviewer asks. A check is
// appended as counts, names and pass/fail; the details stay in that interviewer's page.

import { useCallback, useEffect, useRef, useState } from 'react'
import type { Role } from '../authority'
import type { PadConnection } from '../collab/padConnection'
import type { CodeRunner, LiveRun } from '../run/codeRunner'
import { appendRun } from '../run/runs'
import { hiddenCheckEntry, testsEntry } from '../run/tests/entries'
import { newMarker, testSupport } from '../run/tests/harness'
import { hasHiddenCheck } from '../run/tests/records'
import { parseHarnessOutput, type CaseResult } from '../run/tests/results'
import { runSuite, type SuiteCase } from '../run/tests/runTests'
import { splitCases, type SessionQuestion } from '../questions/types'

export interface TestProgress {
  /** `visible`: this person's Run tests; `hidden`: an interviewer's check of the hidden cases. */
  kind: 'visible' | 'hidden'
  done: number
  total: number
}

export interface TestRuns {
  /** Why Run tests is off (null when it can run). */
  blocked: string | null
  progress: TestProgress | null
  runTests: () => Promise<void>
  /** Interviewers: check the hidden cases of run `runId` now, on the current code. */
  checkHidden: (runId: string) => void
  /** Interviewers: the hidden cases' full results of the checks this page ran, by check entry id. */
  hiddenDetails: ReadonlyMap<string, CaseResult[]>
  /** The live run with the harness's marker lines taken out. */
  liveView: (live: LiveRun | null) => LiveRun | null
  /** Some interviewer's page is connected (hidden cases get checked). */
  interviewerPresent: boolean
}

interface Options {
  pad: PadConnection | null
  runner: CodeRunner | null
  synced: boolean
  question: SessionQuestion | null
  language: string
  role: Role
  /** This person may run code now (else the reason). */
  runBlocked: string | null
  /** Who appears as the runner. */
  by: () => { name: string; color: string }
}

let counter = 0
function newId(): string {
  counter += 1
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-t${counter}`
}

/** The interviewers connected to the pad, by awareness id (the server stamps each role). */
function interviewerIds(pad: PadConnection): number[] {
  const ids: number[] = []
  pad.provider.awareness.getStates().forEach((state, clientId) => {
    const user = (state as { user?: { role?: unknown } }).user
    if (user?.role === 'interviewer') ids.push(clientId)
  })
  return ids.sort((a, b) => a - b)
}

function casesOf(cases: readonly { name: string; input: unknown; expected: unknown }[]): SuiteCase[] {
  return cases.map(({ name, input, expected }) => ({ name, input, expected }))
}

export function useTestRuns({ pad, runner, synced, question, language, role, runBlocked, by }: Options): TestRuns {
  const [progress, setProgress] = useState<TestProgress | null>(null)
  const [hiddenDetails, setHiddenDetails] = useState<ReadonlyMap<string, CaseResult[]>>(new Map())
  const [interviewerPresent, setInterviewerPresent] = useState(false)
  const marker = useRef<string | null>(null)
  const interviewer = role === 'interviewer'

  // The latest values for callbacks that outlive a render (document observers, the queue).
  const latest = useRef({ pad, runner, question, language, by, runBlocked })
  latest.current = { pad, runner, question, language, by, runBlocked }

  const support = question ? testSupport(language, question.function_name) : null
  const cases = question ? splitCases(question) : null
  const blocked = !question
    ? 'This session has no question with tests.'
    : question.tests.length === 0 && question.hidden_tests === 0
      ? 'This question has no test cases.'
      : support && !support.ok
        ? `Run tests is not available: ${support.reason}.`
        : runBlocked
  const ready = pad !== null && runner !== null && synced

  const setRunning = (on: boolean) => {
    const awareness = latest.current.pad?.provider.awareness
    if (awareness?.getLocalState()) awareness.setLocalStateField('running', on ? { language: latest.current.language } : null)
  }

  /** One suite through the runner, its marker kept so the live output can hide the harness's lines. */
  const run = useCallback(async (kind: TestProgress['kind'], suiteCases: SuiteCase[], code: string) => {
    const { runner: activeRunner, question: activeQuestion, language: activeLanguage } = latest.current
    if (!activeRunner || !activeQuestion) return null
    marker.current = newMarker()
    setProgress({ kind, done: 0, total: suiteCases.length })
    setRunning(true)
    try {
      return await runSuite(activeRunner, {
        language: activeLanguage,
        code,
        functionName: activeQuestion.function_name,
        cases: suiteCases,
        marker: marker.current,
        onProgress: (done, total) => setProgress({ kind, done, total }),
      })
    } catch {
      return null // the page is going away, or a run was already in progress
    } finally {
      setRunning(false)
      setProgress(null)
    }
  }, [])

  const runTests = useCallback(async () => {
    if (!pad || !runner || !ready || blocked !== null || !cases || runner.isBusy()) return
    const suite = await run('visible', casesOf(cases.visible), pad.code.toString())
    if (!suite || runner.isDisposed()) return
    appendRun(pad.doc, pad.runs, testsEntry({ id: newId(), by: by(), language }, suite))
  }, [pad, runner, ready, blocked, cases, run, by, language])

  // ---- hidden cases (interviewers' pages only) -------------------------------------------

  const queue = useRef<{ runId: string; manual: boolean }[]>([])
  const draining = useRef(false)

  const drain = useCallback(async () => {
    if (draining.current) return
    draining.current = true
    try {
      for (;;) {
        const { pad: activePad, runner: activeRunner, question: activeQuestion, language: activeLanguage } = latest.current
        const next = queue.current[0]
        if (!next || !activePad || !activeRunner || activeRunner.isDisposed() || !activeQuestion) break
        if (activeRunner.isBusy()) break // resumed by the runner's next state change
        queue.current.shift()
        // The interview ended meanwhile: the server would refuse the check.
        if (latest.current.runBlocked) continue
        const hidden = splitCases(activeQuestion).hidden
        if (hidden.length === 0 || !testSupport(activeLanguage, activeQuestion.function_name).ok) continue
        if (!next.manual && hasHiddenCheck(activePad.runs.toArray(), next.runId)) continue
        const suite = await run('hidden', casesOf(hidden), activePad.code.toString())
        if (!suite || activeRunner.isDisposed() || suite.status === 'stopped') continue
        if (!next.manual && hasHiddenCheck(activePad.runs.toArray(), next.runId)) continue
        const entry = hiddenCheckEntry({ id: newId(), by: latest.current.by(), language: activeLanguage }, next.runId, suite)
        setHiddenDetails((current) => new Map(current).set(entry.id, suite.results))
        appendRun(activePad.doc, activePad.runs, entry)
      }
    } finally {
      draining.current = false
    }
  }, [run])

  const checkHidden = useCallback(
    (runId: string) => {
      if (!interviewer) return
      queue.current.push({ runId, manual: true })
      void drain()
    },
    [interviewer, drain],
  )

  // A queued check waits for the runner to be free (this interviewer may be running code).
  useEffect(() => {
    if (!runner || !interviewer) return
    return runner.subscribe(() => {
      if (queue.current.length && !runner.isBusy()) void drain()
    })
  }, [runner, interviewer, drain])

  // New test runs, from anyone: the chosen interviewer checks their hidden cases.
  useEffect(() => {
    if (!pad || !synced || !interviewer) return
    const seen = new Set<string>()
    const idOf = (value: unknown) => (value !== null && typeof value === 'object' ? (value as { id?: unknown }).id : undefined)
    for (const value of pad.runs.toArray()) {
      const id = idOf(value)
      if (typeof id === 'string') seen.add(id)
    }
    const onRuns = () => {
      for (const value of pad.runs.toArray()) {
        const id = idOf(value)
        if (typeof id !== 'string' || seen.has(id)) continue
        seen.add(id)
        const entry = value as { kind?: unknown; for_run?: unknown }
        if (entry.kind !== 'tests' || entry.for_run !== undefined) continue
        const chosen = interviewerIds(pad)[0]
        if (chosen !== undefined && chosen !== pad.doc.clientID) continue
        queue.current.push({ runId: id, manual: false })
      }
      void drain()
    }
    pad.runs.observe(onRuns)
    return () => pad.runs.unobserve(onRuns)
  }, [pad, synced, interviewer, drain])

  useEffect(() => {
    if (!pad) return
    const awareness = pad.provider.awareness
    const read = () => setInterviewerPresent(interviewerIds(pad).length > 0)
    read()
    awareness.on('change', read)
    return () => awareness.off('change', read)
  }, [pad])

  const liveView = useCallback(
    (live: LiveRun | null) => {
      if (!live || progress === null || !marker.current) return live
      return { ...live, stdout: parseHarnessOutput(live.stdout, marker.current).stdout }
    },
    [progress],
  )

  return { blocked, progress, runTests, checkHidden, hiddenDetails, liveView, interviewerPresent }
}
