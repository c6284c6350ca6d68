import { describe, expect, it } from 'vitest'
import * as identity from './identity'
import { MAX_NAME_LENGTH, NAME_KEY, PALETTE, colorForSeed, loadName, loadPreferredColor, normalizeName, pickColor, saveName } from './identity'
import { memoryStore, type KeyValueStore } from './storage'

describe('display name', () => {
  it('normalizes whitespace and length', () => {
    expect(normalizeName('  Ada   Lovelace \n')).toBe('Ada Lovelace')
    expect(normalizeName('   ')).toBe('')
    expect(normalizeName('x'.repeat(100))).toHaveLength(MAX_NAME_LENGTH)
  })

  it('drops invisible characters the server refuses (controls, bidi overrides, zero-width)', () => {
    expect(normalizeName('Ada\u202e ecarG')).toBe('Ada ecarG')
    expect(normalizeName('Gr\u200bace\u0000 \u2066Hopper\u2069')).toBe('Grace Hopper')
    expect(normalizeName('\u200b\u200e')).toBe('')
  })

  it('never cuts a character in half', () => {
    const name = normalizeName('a' + '😀'.repeat(60))
    expect(Array.from(name)).toHaveLength(MAX_NAME_LENGTH)
    expect(name.endsWith('😀')).toBe(true)
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
  })

  it('no longer decides roles: that is the server', () => {
    expect('roleFor' in identity).toBe(false)
    expect('rememberCreatedSession' in identity).toBe(false)
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

describe('browser id', () => {
  it('is made once per browser and kept', () => {
    const { loadBrowserId, BROWSER_KEY } = identity
    const store = memoryStore()
    const id = loadBrowserId(store, () => 0.5)
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,40}$/)
    expect(loadBrowserId(store, () => 0.1)).toBe(id)
    expect(loadBrowserId(memoryStore({ [BROWSER_KEY]: 'bad id!' }), () => 0.1)).not.toBe('bad id!')
  })
})
