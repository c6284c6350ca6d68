import { describe, expect, it } from 'vitest'
import { firstCandidateJoin, formatElapsed, loadCandidateSeen, noteCandidateSeen, spokenElapsed } from './elapsed'
import { memoryStore } from './storage'

describe('elapsed interview time', () => {
  it('formats minutes and hours', () => {
    expect(formatElapsed(0)).toBe('0:00')
    expect(formatElapsed(7_900)).toBe('0:07')
    expect(formatElapsed(12 * 60_000 + 5_000)).toBe('12:05')
    expect(formatElapsed(3_723_000)).toBe('1:02:03')
    expect(formatElapsed(-5)).toBe('0:00')
    expect(spokenElapsed(61_000)).toBe('1 minute 1 second')
  })

  it('starts at the first candidate join of the timeline', () => {
    const events = [
      { kind: 'join', role: 'interviewer', at: '2026-11-26T10:00:00Z' },
      { kind: 'join', role: 'candidate', at: '2026-11-26T10:05:00Z' },
      { kind: 'leave', role: 'candidate', at: '2026-11-26T10:06:00Z' },
      { kind: 'join', role: 'candidate', at: '2026-11-26T10:07:00Z' },
    ]
    expect(firstCandidateJoin(events)).toBe(Date.parse('2026-11-26T10:05:00Z'))
    expect(firstCandidateJoin(events.slice(0, 1))).toBeNull()
  })

  it('remembers the first moment a browser saw a candidate', () => {
    const store = memoryStore()
    expect(loadCandidateSeen('s1', store)).toBeNull()
    expect(noteCandidateSeen('s1', 1000, store)).toBe(1000)
    expect(noteCandidateSeen('s1', 5000, store)).toBe(1000)
    expect(loadCandidateSeen('s1', store)).toBe(1000)
    expect(loadCandidateSeen('s2', store)).toBeNull()
  })
})
