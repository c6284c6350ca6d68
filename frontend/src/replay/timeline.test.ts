import { describe, expect, it } from 'vitest'
import type { ReplayData, ReplayEvent } from './steps'
import {
  formatElapsed,
  minimalEdit,
  parseDeepLinkTime,
  personRuns,
  replayPeople,
  searchWithTime,
  spanAt,
  spanOffsets,
  timelineMarks,
  timelineSpan,
} from './timeline'

const START = Date.parse('2026-11-26T10:00:00Z')
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString()

function event(id: number, kind: string, seconds: number, data: Record<string, unknown> = {}, connection = 'c1'): ReplayEvent {
  return { id, kind, at: at(seconds), name: 'Ada', role: 'candidate', connection, data }
}

function data(overrides: Partial<ReplayData> = {}): ReplayData {
  return {
    session: 's', title: 't', started_at: at(0), ended_at: null, pruned_at: null,
    authors: [], steps: [], events: [], ...overrides,
  }
}

describe('the timeline', () => {
  it('spans from the start to the last step, event or end', () => {
    expect(timelineSpan(data(), [START + 5000])).toEqual({ start: START, end: START + 5000 })
    expect(timelineSpan(data({ events: [event(1, 'join', 90)] }), []).end).toBe(START + 90_000)
    expect(timelineSpan(data({ ended_at: at(3600) }), [START + 5000]).end).toBe(START + 3_600_000)
    // A step logged before the session's recorded start (clock skew) still fits.
    expect(timelineSpan(data(), new Float64Array([START - 1000])).start).toBe(START - 1000)
  })

  it('marks runs, languages, pastes, focus losses, joins and leaves, worded neutrally', () => {
    const events = [
      event(1, 'join', 0),
      event(2, 'paste', 30, { chars: 240, text: 'x' }),
      event(3, 'blur', 60),
      event(4, 'focus', 80, { away_ms: 20_000 }),
      event(5, 'idle', 500, { idle_ms: 130_000 }),
      event(6, 'run', 600, { language: 'python', status: 'ok' }),
      event(7, 'language', 700, { language: 'javascript' }),
      event(8, 'leave', 1000),
    ]
    const marks = timelineMarks(events, { start: START, end: START + 1_000_000 })
    expect(marks.map((mark) => mark.kind)).toEqual(['join', 'paste', 'blur', 'run', 'language', 'leave'])
    expect(marks.map((mark) => mark.label)).toEqual([
      'Ada joined',
      'Ada pasted 240 characters',
      'Ada’s window lost focus (back after 20 s)',
      'Ada ran Python: ok',
      'Ada switched the language to JavaScript',
      'Ada left',
    ])
    expect(marks[1].fraction).toBeCloseTo(0.03)
    expect(marks[5].fraction).toBe(1)
  })

  it('formats interview time', () => {
    expect(formatElapsed(0)).toBe('0:00')
    expect(formatElapsed(65_400)).toBe('1:05')
    expect(formatElapsed(3_725_000)).toBe('1:02:05')
    expect(formatElapsed(-5)).toBe('0:00')
  })

  it('reads and writes the ?t= deep link', () => {
    expect(parseDeepLinkTime('?t=95')).toBe(95)
    expect(parseDeepLinkTime('?t=95.5')).toBe(95.5)
    expect(parseDeepLinkTime('?t=1:35')).toBe(95)
    expect(parseDeepLinkTime('?t=1:01:35')).toBe(3695)
    expect(parseDeepLinkTime('?x=1')).toBeNull()
    expect(parseDeepLinkTime('?t=')).toBeNull()
    expect(parseDeepLinkTime('?t=-3')).toBeNull()
    expect(parseDeepLinkTime('?t=abc')).toBeNull()
    expect(searchWithTime('', 95.7)).toBe('?t=95')
    expect(searchWithTime('?a=1&t=3', 10)).toBe('?a=1&t=10')
  })
})

describe('authorship', () => {
  const authors = [
    { name: 'Grace', role: 'interviewer', client: 'yjs', connection: 'g' },
    { name: 'Ada', role: 'candidate', client: 'yjs', connection: 'a1' },
    { name: 'Ada', role: 'candidate', client: 'yjs', connection: 'a2' },
    { name: '', role: '', client: 'server', connection: '' },
    { name: 'key', role: 'interviewer', client: 'api', connection: '' },
  ]

  it('gives each person one colour, candidates first', () => {
    const { people, byAuthor } = replayPeople(authors)
    expect(people.map((p) => p.name)).toEqual(['Ada', 'Grace', 'the interviewer (through the API)', 'the server'])
    expect(new Set(people.map((p) => p.color)).size).toBe(4)
    expect(byAuthor).toEqual([1, 0, 0, 3, 2])
  })

  it('finds who made the character at an offset, and joins a person’s neighbouring spans', () => {
    const spans = spanOffsets([
      { text: 'ab', step: 0 },
      { text: 'c', step: 1 },
      { text: 'XY', step: 2 },
      { text: 'd', step: 3 },
    ])
    expect(spans[2]).toEqual({ start: 3, end: 5, step: 2 })
    expect(spanAt(spans, 0)?.step).toBe(0)
    expect(spanAt(spans, 4)?.step).toBe(2)
    expect(spanAt(spans, 5)?.step).toBe(3)
    expect(spanAt(spans, 6)).toBeNull()
    const person = (step: number) => (step === 2 ? 1 : 0)
    expect(personRuns(spans, person)).toEqual([
      { start: 0, end: 3, person: 0 },
      { start: 3, end: 5, person: 1 },
      { start: 5, end: 6, person: 0 },
    ])
  })

  it('turns one text into the next with the smallest edit', () => {
    expect(minimalEdit('abc', 'abc')).toBeNull()
    expect(minimalEdit('abc', 'abXc')).toEqual({ start: 2, end: 2, text: 'X' })
    expect(minimalEdit('abXc', 'abc')).toEqual({ start: 2, end: 3, text: '' })
    expect(minimalEdit('', 'hello')).toEqual({ start: 0, end: 0, text: 'hello' })
    expect(minimalEdit('aaaa', 'aa')).toEqual({ start: 2, end: 4, text: '' })
    // Never inside a surrogate pair.
    const edit = minimalEdit('x\u{1F600}', 'x\u{1F601}')!
    expect(edit.start).toBe(1)
    const apply = (s: string, e: { start: number; end: number; text: string }) => s.slice(0, e.start) + e.text + s.slice(e.end)
    for (const [a, b] of [['x\u{1F600}', 'x\u{1F601}'], ['ab', 'b'], ['hello world', 'help world!'], ['\u{1F600}a', '\u{1F601}a']]) {
      expect(apply(a, minimalEdit(a, b)!)).toBe(b)
    }
  })
})
