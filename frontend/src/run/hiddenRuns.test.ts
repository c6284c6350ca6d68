import { describe, expect, it } from 'vitest'
import { memoryStore } from '../storage'
import { HIDDEN_RUNS_KEY, MAX_HIDDEN_PER_SESSION, MAX_HIDDEN_SESSIONS, hideRuns, loadHiddenRuns, visibleRuns } from './hiddenRuns'

const runs = (...ids: string[]) => ids.map((id) => ({ id }))

describe('runs hidden in this view only', () => {
  it('hides what was there at Clear, not what comes later', () => {
    const store = memoryStore()
    const hidden = hideRuns('s1', new Set(), runs('a', 'b'), store)
    expect(visibleRuns(runs('c', 'b', 'a'), hidden)).toEqual(runs('c'))
  })

  it('keeps the same array when nothing is hidden', () => {
    const list = runs('a')
    expect(visibleRuns(list, new Set())).toBe(list)
    expect(visibleRuns(list, new Set(['x']))).toBe(list)
  })

  it('remembers per session', () => {
    const store = memoryStore()
    hideRuns('s1', new Set(), runs('a'), store)
    hideRuns('s2', new Set(), runs('b'), store)
    expect([...loadHiddenRuns('s1', store)]).toEqual(['a'])
    expect([...loadHiddenRuns('s2', store)]).toEqual(['b'])
    expect(loadHiddenRuns('s3', store).size).toBe(0)
    const more = hideRuns('s1', loadHiddenRuns('s1', store), runs('a', 'c'), store)
    expect([...more]).toEqual(['a', 'c'])
  })

  it('stays small: ids and sessions are capped, oldest first', () => {
    const store = memoryStore()
    const many = runs(...Array.from({ length: MAX_HIDDEN_PER_SESSION + 10 }, (_, i) => `r${i}`))
    expect(hideRuns('s', new Set(), many, store).size).toBe(MAX_HIDDEN_PER_SESSION)
    for (let i = 0; i < MAX_HIDDEN_SESSIONS + 5; i++) hideRuns(`t${i}`, new Set(), runs('x'), store)
    const stored = JSON.parse(store.getItem(HIDDEN_RUNS_KEY) ?? '{}')
    expect(Object.keys(stored)).toHaveLength(MAX_HIDDEN_SESSIONS)
    expect(stored['t0']).toBeUndefined()
    expect(stored[`t${MAX_HIDDEN_SESSIONS + 4}`]).toEqual(['x'])
  })

  it('ignores corrupt storage', () => {
    expect(loadHiddenRuns('s', memoryStore({ [HIDDEN_RUNS_KEY]: '{bad' })).size).toBe(0)
    expect(loadHiddenRuns('s', memoryStore({ [HIDDEN_RUNS_KEY]: '{"s": [1, "a", null]}' }))).toEqual(new Set(['a']))
    expect(loadHiddenRuns('s', memoryStore({ [HIDDEN_RUNS_KEY]: '[]' })).size).toBe(0)
  })
})
