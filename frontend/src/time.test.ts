import { describe, expect, it } from 'vitest'
import { formatDateTime, formatEndedAt, formatInterviewDuration } from './time'

describe('times', () => {
  it('formats interview durations', () => {
    expect(formatInterviewDuration(0)).toBe('under a minute')
    expect(formatInterviewDuration(59)).toBe('under a minute')
    expect(formatInterviewDuration(60)).toBe('1 min')
    expect(formatInterviewDuration(59 * 60 + 59)).toBe('59 min')
    expect(formatInterviewDuration(3600 + 5 * 60)).toBe('1 h 05 min')
    expect(formatInterviewDuration(Number.NaN)).toBe('under a minute')
  })

  it('formats dates, and nothing for a bad one', () => {
    expect(formatDateTime('2026-11-26T14:05:00Z')).not.toBe('')
    expect(formatDateTime('nope')).toBe('')
    expect(formatDateTime(null)).toBe('')
  })

  it('shows an end time today without its date', () => {
    const now = new Date('2026-11-26T15:00:00')
    const today = formatEndedAt('2026-11-26T14:05:00', now)
    const earlier = formatEndedAt('2026-11-20T14:05:00', now)
    expect(today).toMatch(/05/)
    expect(earlier.length).toBeGreaterThan(today.length)
    expect(formatEndedAt('bad', now)).toBe('')
  })
})
