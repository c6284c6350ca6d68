import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import { ACTIVITY_MESSAGE, AwayTracker, encodeActivity, IDLE_AFTER_MS, IdleTracker, MAX_PASTE_SENT, pasteSignal } from './signals'
import { describeEvent, formatSpan } from './wording'

function clock(start = 1_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

describe('the activity message', () => {
  it('is var-uint 100, then length-prefixed UTF-8 JSON', () => {
    const frame = encodeActivity({ kind: 'paste', text: 'héllo ✓' })
    expect(frame[0]).toBe(ACTIVITY_MESSAGE)
    const decoder = decoding.createDecoder(frame)
    expect(decoding.readVarUint(decoder)).toBe(100)
    expect(JSON.parse(decoding.readVarString(decoder))).toEqual({ kind: 'paste', text: 'héllo ✓' })
    expect(decoding.hasContent(decoder)).toBe(false)
    expect(Array.from(encodeActivity({ kind: 'blur' }))).toEqual([100, 15, ...new TextEncoder().encode('{"kind":"blur"}')])
  })

  it('carries a paste’s text, bounded; an empty paste is nothing', () => {
    expect(pasteSignal('')).toBeNull()
    expect(pasteSignal('abc')).toEqual({ kind: 'paste', text: 'abc' })
    const big = pasteSignal('x'.repeat(MAX_PASTE_SENT + 10)) as { text: string }
    expect(big.text.length).toBe(MAX_PASTE_SENT)
  })
})

describe('focus lost and regained', () => {
  it('reports one blur per spell away, then the time away', () => {
    const time = clock()
    const tracker = new AwayTracker(time.now)
    expect(tracker.back()).toBeNull() // never away
    expect(tracker.lost()).toEqual({ kind: 'blur' })
    time.advance(5_000)
    expect(tracker.lost()).toBeNull() // hidden after the window blurred: the same spell
    time.advance(15_400)
    expect(tracker.away).toBe(true)
    expect(tracker.back()).toEqual({ kind: 'focus', away_ms: 20_400 })
    expect(tracker.back()).toBeNull() // focus and visible both fire on return: one report
    expect(tracker.away).toBe(false)
  })
})

describe('idle spells', () => {
  it('reports a long spell once, when activity resumes', () => {
    const time = clock()
    const tracker = new IdleTracker(IDLE_AFTER_MS, time.now)
    time.advance(30_000)
    expect(tracker.activity()).toBeNull()
    time.advance(IDLE_AFTER_MS - 1)
    expect(tracker.activity()).toBeNull()
    time.advance(IDLE_AFTER_MS + 5_000)
    expect(tracker.activity()).toEqual({ kind: 'idle', idle_ms: IDLE_AFTER_MS + 5_000 })
    expect(tracker.activity()).toBeNull()
  })

  it('does not count time away from the page', () => {
    const time = clock()
    const tracker = new IdleTracker(1_000, time.now)
    tracker.pause()
    time.advance(60_000)
    expect(tracker.activity()).toBeNull()
    tracker.resume()
    time.advance(500)
    expect(tracker.activity()).toBeNull()
    time.advance(2_000)
    expect(tracker.activity()).toEqual({ kind: 'idle', idle_ms: 2_000 })
  })
})

describe('events in words', () => {
  const ada = { name: 'Ada', role: 'candidate' }
  it('states facts neutrally', () => {
    expect(describeEvent({ ...ada, kind: 'paste', data: { chars: 240 } })).toBe('Ada pasted 240 characters')
    expect(describeEvent({ ...ada, kind: 'paste', data: { chars: 1 } })).toBe('Ada pasted 1 character')
    expect(describeEvent({ ...ada, kind: 'paste', data: { chars: 12345 } })).toBe('Ada pasted 12,345 characters')
    expect(describeEvent({ ...ada, kind: 'blur' })).toBe('Ada’s window lost focus')
    expect(describeEvent({ name: 'Jess', kind: 'blur' })).toBe('Jess’ window lost focus')
    expect(describeEvent({ ...ada, kind: 'focus', data: { away_ms: 20_000 } })).toBe('Ada is back after 20 s')
    expect(describeEvent({ ...ada, kind: 'idle', data: { idle_ms: 150_000 } })).toBe('No typing or pointer activity from Ada for 2 min 30 s')
    expect(describeEvent({ ...ada, kind: 'run', data: { language: 'python', status: 'ok' } })).toBe('Ada ran Python: ok')
    expect(describeEvent({ ...ada, kind: 'run', data: { status: 'timeout' } })).toBe('Ada ran the code: timed out')
    expect(describeEvent({ ...ada, kind: 'join', data: { renamed_from: 'anon' } })).toBe('Anon is now called Ada')
    expect(describeEvent({ ...ada, kind: 'leave' })).toBe('Ada left')
    expect(describeEvent({ name: '', role: 'candidate', kind: 'join' })).toBe('The candidate joined')
    expect(describeEvent({ kind: 'end' })).toBe('The server ended the interview')
    // A REST call without a display name is named by how it proved its role: say the role.
    expect(describeEvent({ name: 'key', role: 'interviewer', connection: '', kind: 'language', data: { language: 'go' } }))
      .toBe('The interviewer switched the language to Go')
    expect(describeEvent({ name: 'key', role: 'candidate', connection: 'c1', kind: 'join' })).toBe('Key joined')
    for (const kind of ['paste', 'blur', 'focus', 'idle']) {
      expect(describeEvent({ ...ada, kind, data: {} })).not.toMatch(/cheat|suspic|warning|violation/i)
    }
  })

  it('formats spans of time', () => {
    expect(formatSpan(0)).toBe('0 s')
    expect(formatSpan(20_400)).toBe('20 s')
    expect(formatSpan(125_000)).toBe('2 min 05 s')
    expect(formatSpan(3_780_000)).toBe('1 h 03 min')
  })
})
