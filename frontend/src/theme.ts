// Dark and light themes: remembered per browser, defaulting to the system preference.

import { browserStore, readString, writeString, type KeyValueStore } from './storage'

export type Theme = 'dark' | 'light'
export const THEME_KEY = 'pad.theme'

export function loadTheme(prefersDark: boolean, store: KeyValueStore = browserStore()): Theme {
  const saved = readString(store, THEME_KEY)
  if (saved === 'dark' || saved === 'light') return saved
  return prefersDark ? 'dark' : 'light'
}

export function saveTheme(theme: Theme, store: KeyValueStore = browserStore()): void {
  writeString(store, THEME_KEY, theme)
}

export function otherTheme(theme: Theme): Theme {
  return theme === 'dark' ? 'light' : 'dark'
}

/** Our Monaco themes (defined in monaco/setup.ts) match the page's palette. */
export function monacoThemeFor(theme: Theme): string {
  return theme === 'dark' ? 'pad-dark' : 'pad-light'
}

export function systemPrefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
}
