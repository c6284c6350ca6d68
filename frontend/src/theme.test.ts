import { describe, expect, it } from 'vitest'
import { THEME_KEY, loadTheme, monacoThemeFor, otherTheme, saveTheme } from './theme'
import { memoryStore } from './storage'

describe('theme', () => {
  it('defaults to the system preference', () => {
    expect(loadTheme(true, memoryStore())).toBe('dark')
    expect(loadTheme(false, memoryStore())).toBe('light')
  })

  it('remembers the choice over the system preference', () => {
    const store = memoryStore()
    saveTheme('light', store)
    expect(store.getItem(THEME_KEY)).toBe('light')
    expect(loadTheme(true, store)).toBe('light')
    expect(loadTheme(true, memoryStore({ [THEME_KEY]: 'purple' }))).toBe('dark')
  })

  it('toggles and maps to Monaco themes', () => {
    expect(otherTheme('dark')).toBe('light')
    expect(otherTheme('light')).toBe('dark')
    expect(monacoThemeFor('dark')).toBe('pad-dark')
    expect(monacoThemeFor('light')).toBe('pad-light')
  })
})
