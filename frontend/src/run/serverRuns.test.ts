import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import { participantsFromStates } from '../presence'
import { peopleFromAwareness } from '../people'
import { livePhaseLabel, remoteRunnerFromState } from './liveTail'
import { isServerLanguage, runsOn, runtimeFor, SERVER_RUNTIME } from './registry'
import {
  CONNECTION_LOST_TEXT,
  encodeServerRunRequest,
  isRunId,
  newServerRunId,
  NOT_CONNECTED_TEXT,
  parseServerLanguages,
  runRefusalText,
  SERVER_RUN_MESSAGE,
  ServerRunTracker,
} from './serverRuns'

function decode(frame: Uint8Array): { type: number; body: unknown } {
  const decoder = decoding.createDecoder(frame)
  const type = decoding.readVarUint(decoder)
  const body = JSON.parse(decoding.readVarString(decoder))
  expect(decoding.hasContent(decoder)).toBe(false)
  return { type, body }
}

/** A tracker whose socket records frames; `open` says whether it accepts them. */
function tracker(ids = ['run-1', 'run-2', 'run-3']) {
  const sent: unknown[] = []
  const socket = { open: true }
  let next = 0
  const t = new ServerRunTracker(
    (frame) => {
      if (!socket.open) return false
      sent.push(decode(frame).body)
      return true
    },
    () => ids[next++],
  )
  let changes = 0
  t.subscribe(() => changes++)
  return { t, sent, socket, changes: () => changes }
}

describe('the server-run messages', () => {
  it('are var-uint 101, then length-prefixed UTF-8 JSON', () => {
    const frame = encodeServerRunRequest({ action: 'start', id: 'abc', stdin: 'héllo\n' })
    expect(decode(frame)).toEqual({ type: SERVER_RUN_MESSAGE, body: { action: 'start', id: 'abc', stdin: 'héllo\n' } })
    expect(SERVER_RUN_MESSAGE).toBe(101)
    const cancel = '{"action":"cancel","id":"x"}'
    expect(Array.from(encodeServerRunRequest({ action: 'cancel', id: 'x' }))).toEqual([101, cancel.length, ...new TextEncoder().encode(cancel)])
  })

  it('make run ids the server accepts', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newServerRunId()))
    expect(ids.size).toBe(200)
    for (const id of ids) expect(isRunId(id)).toBe(true)
    expect(isRunId(newServerRunId(() => 0.999999, () => 8.64e15))).toBe(true)
    for (const bad of ['', 'a b', 'é', 'x'.repeat(65), 7, null]) expect(isRunId(bad)).toBe(false)
    expect(isRunId('A-z_9'.repeat(12))).toBe(true)
  })
})

describe('a pending run on the server', () => {
  it('is sent with the input, and ends when its entry is in the runs', () => {
    const { t, sent } = tracker()
    expect(t.start('java', '42\n')).toBe('run-1')
    expect(sent).toEqual([{ action: 'start', id: 'run-1', stdin: '42\n' }])
    expect(t.getState()).toEqual({ pending: { id: 'run-1', language: 'java', stopping: false }, notice: null })
    // One at a time.
    expect(t.start('java', '')).toBeNull()
    expect(sent).toHaveLength(1)
    // Someone else's run finishing is not ours.
    t.entriesChanged((id) => id === 'other')
    expect(t.pending?.id).toBe('run-1')
    t.entriesChanged((id) => id === 'run-1')
    expect(t.getState()).toEqual({ pending: null, notice: null })
    expect(t.start('go', '')).toBe('run-2')
  })

  it('Stop sends a cancel once; the stopped entry ends it', () => {
    const { t, sent } = tracker()
    t.stop() // nothing pending: nothing sent
    expect(sent).toEqual([])
    t.start('rust', '')
    t.stop()
    t.stop()
    expect(sent).toEqual([
      { action: 'start', id: 'run-1', stdin: '' },
      { action: 'cancel', id: 'run-1' },
    ])
    expect(t.pending).toEqual({ id: 'run-1', language: 'rust', stopping: true })
    t.entriesChanged((id) => id === 'run-1')
    expect(t.pending).toBeNull()
  })

  it("an interviewer's Stop cancels anyone's run; its own goes through stop()", () => {
    const { t, sent, socket } = tracker()
    expect(t.cancel('someone-elses')).toBe(true)
    expect(t.cancel('not an id')).toBe(false)
    expect(sent).toEqual([{ action: 'cancel', id: 'someone-elses' }])
    expect(t.pending).toBeNull()
    t.start('java', '')
    expect(t.cancel('run-1')).toBe(true)
    expect(t.pending?.stopping).toBe(true)
    socket.open = false
    expect(t.cancel('someone-elses')).toBe(false)
  })

  it('a refusal naming it ends it, with the words shown', () => {
    const { t } = tracker()
    t.start('java', '')
    expect(t.refused({ code: 'queue_full', message: 'too many runs are waiting', run: 'someone-elses' })).toBe(false)
    expect(t.refused({ code: 'queue_full', message: 'too many runs are waiting' })).toBe(false)
    expect(t.pending?.id).toBe('run-1')
    expect(t.refused({ code: 'queue_full', message: 'too many runs are waiting', run: 'run-1' })).toBe(true)
    expect(t.getState()).toEqual({ pending: null, notice: "The server's runners are busy: too many runs are waiting. Try again in a moment." })
    // The next run clears the notice.
    t.start('java', '')
    expect(t.getState().notice).toBeNull()
  })

  it('stops waiting when the connection is lost, and says so', () => {
    const { t, socket } = tracker()
    t.connectionLost() // nothing pending: nothing to say
    expect(t.getState().notice).toBeNull()
    t.start('kotlin', '')
    t.connectionLost()
    expect(t.getState()).toEqual({ pending: null, notice: CONNECTION_LOST_TEXT })
    // Its entry arriving later changes nothing here.
    t.entriesChanged(() => true)
    expect(t.getState().notice).toBe(CONNECTION_LOST_TEXT)
    // Offline: not started, and the page says why.
    socket.open = false
    expect(t.start('kotlin', '')).toBeNull()
    expect(t.getState()).toEqual({ pending: null, notice: NOT_CONNECTED_TEXT })
    // A Stop that cannot be sent is a lost connection too.
    socket.open = true
    t.start('kotlin', '')
    socket.open = false
    t.stop()
    expect(t.getState()).toEqual({ pending: null, notice: CONNECTION_LOST_TEXT })
    t.clearNotice()
    expect(t.getState().notice).toBeNull()
  })

  it('tells its listeners', () => {
    const { t, changes } = tracker()
    t.start('java', '')
    t.stop()
    t.entriesChanged((id) => id === 'run-1')
    expect(changes()).toBe(3)
  })

  it('words every refusal', () => {
    expect(runRefusalText({ code: 'ended', message: '' })).toBe('The interview has ended: code can no longer be run.')
    expect(runRefusalText({ code: 'forbidden', message: 'the interviewer turned running off.' })).toBe(
      'Not allowed to run code: the interviewer turned running off.',
    )
    expect(runRefusalText({ code: 'rate_limited', message: '' })).toBe('Too many runs in a short time. Try again in a moment.')
    expect(runRefusalText({ code: 'unavailable', message: 'no server runner is running' })).toBe(
      'The server cannot run this now: no server runner is running.',
    )
    expect(runRefusalText({ code: 'invalid', message: 'bad id' })).toBe('The server refused the run: bad id.')
    expect(runRefusalText({ code: 'new_code', message: '' })).toBe('The server refused the run.')
  })
})

describe("the server's live run", () => {
  const serverState = {
    running: {
      id: 'run-1',
      language: 'java',
      phase: 'queued',
      position: 2,
      started: 1_700_000_000_000,
      stdout: 'line 1\n',
      stderr: '',
      cut: false,
      by: { name: 'Ada', color: '#e5484d' },
      server: true,
    },
  }

  it('is shown under the name and colour of who asked for it', () => {
    const runner = remoteRunnerFromState(7, serverState)
    expect(runner).toMatchObject({ clientId: 7, name: 'Ada', color: '#e5484d', language: 'java' })
    expect(runner?.live).toMatchObject({ id: 'run-1', phase: 'queued', position: 2, server: true, stdout: 'line 1\n', by: { name: 'Ada' } })
    expect(livePhaseLabel(runner!.live)).toBe('queued (position 2)')
    expect(livePhaseLabel({ phase: 'compiling' })).toBe('compiling')
    expect(livePhaseLabel({ phase: 'stopping' })).toBe('stopping')
    expect(livePhaseLabel({ phase: 'queued' })).toBe('queued')
    expect(livePhaseLabel({ phase: 'weird' })).toBe('running')
    expect(livePhaseLabel(null)).toBe('running')
  })

  it('is read defensively', () => {
    const odd = remoteRunnerFromState(9, { running: { by: { name: 5, color: 'url(x)' }, position: -1, server: 'yes' } })
    expect(odd).toMatchObject({ name: 'Someone', language: '' })
    expect(odd?.color).toMatch(/^#/)
    expect(odd?.live?.position).toBeUndefined()
    expect(odd?.live?.server).toBeUndefined()
    expect(remoteRunnerFromState(9, { running: null })).toBeNull()
    expect(remoteRunnerFromState(9, {})).toBeNull()
    // A person's page is named by its user, whatever its running field says.
    expect(remoteRunnerFromState(3, { user: { name: 'Grace', color: '#30a46c' }, running: { language: 'python', by: { name: 'Ada' } } })).toMatchObject({
      name: 'Grace',
      color: '#30a46c',
    })
  })

  it('is never a participant', () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: 'Grace', color: '#30a46c', role: 'interviewer' } }],
      [7, serverState],
    ])
    expect(participantsFromStates(states, 1).map((p) => p.clientId)).toEqual([1])
    expect(peopleFromAwareness(states, 1).map((p) => p.clientIds)).toEqual([[1]])
  })
})

describe('the server languages', () => {
  it('are Java, Go, Rust, C# and Kotlin, run by the server runtime', () => {
    expect([...SERVER_RUNTIME.languages].sort()).toEqual(['csharp', 'go', 'java', 'kotlin', 'rust'])
    for (const language of SERVER_RUNTIME.languages) {
      expect(runsOn(language)).toBe('server')
      expect(runtimeFor(language)).toBeUndefined()
    }
    expect(runsOn('python')).toBe('browser')
    expect(runsOn('swift')).toBeNull()
    expect(isServerLanguage('plaintext')).toBe(false)
    expect(isServerLanguage(undefined)).toBe(false)
  })

  it("availability is read from the server's language list", () => {
    expect(
      parseServerLanguages([
        { id: 'python', runs_on: 'browser', runnable: true },
        { id: 'java', runs_on: 'server', runnable: false, available: true, version: 'OpenJDK 17.0.15', reason: '' },
        { id: 'go', runs_on: 'server', available: false, reason: 'no server runner is running' },
        { id: 'rust', runs_on: 'server' },
        { id: 'swift', runs_on: null },
        null,
        'junk',
      ]),
    ).toEqual({
      java: { available: true, version: 'OpenJDK 17.0.15', reason: '' },
      go: { available: false, version: '', reason: 'no server runner is running' },
      rust: { available: false, version: '', reason: '' },
    })
    expect(parseServerLanguages({ detail: 'nope' })).toEqual({})
  })
})
