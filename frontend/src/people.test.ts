import { describe, expect, it } from 'vitest'
import type { PresenceEntry } from './collab/presenceFrames'
import { peopleFromAwareness, peopleFromPresence, tabsLabel } from './people'

const entry = (over: Partial<PresenceEntry>): PresenceEntry => ({
  name: 'Ada',
  color: '#3e8ef7',
  role: 'candidate',
  client: 'yjs',
  status: 'online',
  awareness: [1],
  browser: '',
  ...over,
})

describe('people from the server presence list', () => {
  it('lists a person with two tabs of one browser once, "2 tabs"', () => {
    const people = peopleFromPresence(
      [
        entry({ awareness: [11], browser: 'browserAAAA' }),
        entry({ awareness: [12], browser: 'browserAAAA' }),
        entry({ name: 'Grace', role: 'interviewer', awareness: [20], browser: 'browserGGGG' }),
      ],
      20,
      { name: 'Grace', color: '#e5484d', role: 'interviewer' },
    )
    expect(people.map((p) => [p.name, p.tabs, p.isSelf, p.clientIds])).toEqual([
      ['Grace', 1, true, [20]],
      ['Ada', 2, false, [11, 12]],
    ])
    expect(tabsLabel(people[1].tabs)).toBe('2 tabs')
    expect(tabsLabel(people[0].tabs)).toBe('')
  })

  it('shows a dropped connection as reconnecting, and online when any tab is', () => {
    const dropped = peopleFromPresence([entry({ status: 'reconnecting', browser: 'browserAAAA' })], 99, null)
    expect(dropped.map((p) => [p.name, p.status, p.tabs])).toEqual([['Ada', 'reconnecting', 1]])
    const oneLeft = peopleFromPresence(
      [entry({ status: 'reconnecting', awareness: [1], browser: 'browserAAAA' }), entry({ awareness: [2], browser: 'browserAAAA' })],
      99,
      null,
    )
    expect(oneLeft.map((p) => [p.status, p.tabs, p.clientId])).toEqual([['online', 1, 2]])
  })

  it('keeps different browsers (and roles) apart, hides observers and state-less sockets', () => {
    const people = peopleFromPresence(
      [
        entry({ awareness: [1], browser: 'browserAAAA' }),
        entry({ awareness: [2], browser: 'browserBBBB' }),
        entry({ awareness: [3], browser: 'browserAAAA', role: 'interviewer' }),
        entry({ awareness: [], role: 'observer', name: 'Anonymous' }),
        entry({ awareness: [], name: 'Anonymous' }),
        entry({ awareness: [], client: 'json', name: 'Script' }),
      ],
      99,
      null,
    )
    expect(people.map((p) => [p.name, p.role, p.clientId])).toEqual([
      ['Ada', 'interviewer', 3],
      ['Ada', 'candidate', 1],
      ['Ada', 'candidate', 2],
      ['Script', 'candidate', null],
    ])
  })

  it('adds ourselves until the server lists us, under our current name', () => {
    const people = peopleFromPresence([entry({ awareness: [1] })], 7, { name: 'Me', color: '#30a46c', role: 'interviewer' }, 'browserMMMM')
    expect(people[0]).toMatchObject({ name: 'Me', isSelf: true, clientId: 7, tabs: 1 })
    const renamed = peopleFromPresence([entry({ awareness: [7], name: 'Old' })], 7, { name: 'New', color: '#30a46c', role: 'candidate' })
    expect(renamed[0].name).toBe('New')
  })
})

describe('people from awareness alone', () => {
  it('groups tabs by the browser id in user and skips observers', () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: 'Ada', color: '#3e8ef7', role: 'candidate', browser: 'browserAAAA' } }],
      [2, { user: { name: 'Ada', color: '#3e8ef7', role: 'candidate', browser: 'browserAAAA' } }],
      [3, { user: { name: 'Obs', color: '#3e8ef7', role: 'observer' } }],
      [4, {}],
    ])
    const people = peopleFromAwareness(states, 2)
    expect(people.map((p) => [p.name, p.tabs, p.isSelf])).toEqual([['Ada', 2, true]])
  })
})
