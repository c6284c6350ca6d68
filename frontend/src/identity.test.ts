import { describe, expect, it } from 'vitest'
import {
  CREATED_KEY,
  MAX_NAME_LENGTH,
  MAX_REMEMBERED_SESSIONS,
  NAME_KEY,
  PALETTE,
  colorForSeed,
  loadCreatedSessions,
  loadName,
  loadPreferredColor,
  normalizeName,
  pickColor,
  rememberCreatedSession,
  forgetCreatedSession,
  roleFor,
  saveName,
} from './identity'
import { memoryStore, type KeyValueStore } from './storage'

const session = (id: string) => ({ id, title: `t${id}`, language: 'python', createdAt: '2026-11-26T10:00:00Z' })

describe('display name', () => {
  it('normalizes whitespace and length', () => {
    expect(normalizeName('  Ada   Lovelace \n')).toBe('Ada Lovelace')
    expect(normalizeName('   ')).toBe('')
    expect(normalizeName('x'.repeat(100))).toHaveLength(MAX_NAME_LENGTH)
  })

  it('is remembered and read back', () => {
    const store = memoryStore()
    expect(loadName(store)).toBeNull()
    expect(saveName('  Grace  Hopper ', store)).toBe('Grace Hopper')
    expect(store.getItem(NAME_KEY)).toBe('Grace Hopper')
    expect(loadName(store)).toBe('Grace Hopper')
  })

  it('does not store an empty name', () => {
    const store = memoryStore({ [NAME_KEY]: 'Old' })
    expect(saveName('   ', store)).toBeNull()
    expect(loadName(store)).toBe('Old')
  })

  it('survives a store that throws', () => {
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('quota')
      },
      removeItem: () => {},
    }
    expect(loadName(broken)).toBeNull()
    expect(saveName('Ada', broken)).toBe('Ada')
    expect(loadCreatedSessions(broken)).toEqual([])
    expect(roleFor('x', broken)).toBe('candidate')
  })
})

describe('colours', () => {
  it('derives a stable palette colour from a seed', () => {
    expect(PALETTE).toContain(colorForSeed('ada'))
    expect(colorForSeed(12345)).toBe(colorForSeed(12345))
  })

  it('keeps the preferred colour when it is free', () => {
    expect(pickColor(PALETTE[2], [PALETTE[0], PALETTE[1]])).toBe(PALETTE[2])
  })

  it('moves to the next free colour when taken (case-insensitive)', () => {
    expect(pickColor(PALETTE[2], [PALETTE[2].toUpperCase()])).toBe(PALETTE[3])
    expect(pickColor(PALETTE[PALETTE.length - 1], [PALETTE[PALETTE.length - 1], PALETTE[0]])).toBe(PALETTE[1])
  })

  it('keeps the preferred colour when every colour is taken', () => {
    expect(pickColor(PALETTE[4], PALETTE)).toBe(PALETTE[4])
  })

  it('remembers a randomly picked preferred colour', () => {
    const store = memoryStore()
    const first = loadPreferredColor(store, () => 0.5)
    expect(first).toBe(PALETTE[Math.floor(0.5 * PALETTE.length)])
    expect(loadPreferredColor(store, () => 0)).toBe(first)
  })

  it('replaces a stored colour that is not in the palette', () => {
    const store = memoryStore({ 'pad.color': 'red;}body{display:none' })
    expect(PALETTE).toContain(loadPreferredColor(store, () => 0))
  })
})

describe('sessions created here', () => {
  it('remembers newest first without duplicates', () => {
    const store = memoryStore()
    rememberCreatedSession(session('a'), store)
    rememberCreatedSession(session('b'), store)
    rememberCreatedSession(session('a'), store)
    expect(loadCreatedSessions(store).map((s) => s.id)).toEqual(['a', 'b'])
  })

  it('caps the list', () => {
    const store = memoryStore()
    for (let i = 0; i < MAX_REMEMBERED_SESSIONS + 5; i++) rememberCreatedSession(session(String(i)), store)
    const list = loadCreatedSessions(store)
    expect(list).toHaveLength(MAX_REMEMBERED_SESSIONS)
    expect(list[0].id).toBe(String(MAX_REMEMBERED_SESSIONS + 4))
  })

  it('forgets one', () => {
    const store = memoryStore()
    rememberCreatedSession(session('a'), store)
    rememberCreatedSession(session('b'), store)
    expect(forgetCreatedSession('a', store).map((s) => s.id)).toEqual(['b'])
  })

  it('ignores corrupt storage', () => {
    expect(loadCreatedSessions(memoryStore({ [CREATED_KEY]: '{not json' }))).toEqual([])
    expect(loadCreatedSessions(memoryStore({ [CREATED_KEY]: '{"id":"a"}' }))).toEqual([])
    expect(loadCreatedSessions(memoryStore({ [CREATED_KEY]: '[null, 3, {"id":""}, {"id":"ok"}]' }))).toEqual([
      { id: 'ok', title: '', language: '', createdAt: '' },
    ])
  })

  it('makes the creator the interviewer and anyone else a candidate', () => {
    const store = memoryStore()
    rememberCreatedSession(session('mine'), store)
    expect(roleFor('mine', store)).toBe('interviewer')
    expect(roleFor('theirs', store)).toBe('candidate')
  })
})
