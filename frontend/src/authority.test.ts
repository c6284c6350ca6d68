import { describe, expect, it } from 'vitest'
import { isRole, permissionsFor, sessionStateFromMeta, sessionStateFromRest, type SessionState } from './authority'

const live: SessionState = { endedAt: null, candidateMayRun: true }
const noRuns: SessionState = { endedAt: null, candidateMayRun: false }
const ended: SessionState = { endedAt: '2026-11-26T14:05:00+00:00', candidateMayRun: true }

describe('the session state from the document', () => {
  it('reads the server-owned meta keys', () => {
    expect(sessionStateFromMeta(new Map())).toEqual(live)
    expect(sessionStateFromMeta(new Map<string, unknown>([['ended_at', '2026-11-26T14:05:00Z']]))).toEqual({
      endedAt: '2026-11-26T14:05:00Z',
      candidateMayRun: true,
    })
    expect(sessionStateFromMeta(new Map<string, unknown>([['candidate_may_run', false]]))).toEqual(noRuns)
    expect(sessionStateFromMeta(new Map<string, unknown>([['ended_at', ''], ['candidate_may_run', 'no']]))).toEqual(live)
  })

  it('and from a REST body', () => {
    expect(sessionStateFromRest({ ended_at: null, candidate_may_run: true })).toEqual(live)
    expect(sessionStateFromRest({})).toEqual(live)
    expect(sessionStateFromRest({ ended_at: ended.endedAt, candidate_may_run: false })).toEqual({ ...ended, candidateMayRun: false })
  })
})

describe('what each role may do (mirrors sessions_app/rules.py)', () => {
  it('knows the roles', () => {
    expect(isRole('observer')).toBe(true)
    expect(isRole('admin')).toBe(false)
    expect(isRole(undefined)).toBe(false)
  })

  it('interviewers do everything while live, and clear for everyone', () => {
    expect(permissionsFor('interviewer', live)).toEqual({
      interviewer: true,
      edit: true,
      setLanguage: true,
      run: true,
      runBlocked: null,
      clearForEveryone: true,
      showPresence: true,
    })
    expect(permissionsFor('interviewer', noRuns).run).toBe(true)
  })

  it('candidates edit and run, unless running is turned off; their Clear is their own', () => {
    const p = permissionsFor('candidate', live)
    expect([p.edit, p.setLanguage, p.run, p.clearForEveryone, p.interviewer]).toEqual([true, true, true, false, false])
    const off = permissionsFor('candidate', noRuns)
    expect(off.run).toBe(false)
    expect(off.runBlocked).toMatch(/turned off/)
    expect(off.edit).toBe(true)
  })

  it('observers change nothing and are not shown', () => {
    const p = permissionsFor('observer', live)
    expect([p.edit, p.setLanguage, p.run, p.clearForEveryone, p.showPresence]).toEqual([false, false, false, false, false])
    expect(p.runBlocked).toMatch(/Observers/)
  })

  it('an ended interview is read-only for everyone', () => {
    for (const role of ['interviewer', 'candidate', 'observer'] as const) {
      const p = permissionsFor(role, ended)
      expect([p.edit, p.setLanguage, p.run, p.clearForEveryone]).toEqual([false, false, false, false])
      expect(p.runBlocked).toMatch(/ended/)
    }
  })
})
