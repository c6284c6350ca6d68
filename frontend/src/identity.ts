// Who this browser is to others: the remembered display name and colour. (Its role in a
// session is the server's to decide: see authority.ts.)

import { browserStore, readString, writeString, type KeyValueStore } from './storage'

export const NAME_KEY = 'pad.displayName'
export const COLOR_KEY = 'pad.color'
export const MAX_NAME_LENGTH = 40

/**
 * Cursor colours: saturated enough to read on both the dark and the light theme, and far
 * enough apart that two people are told apart at a glance.
 */
export const PALETTE: readonly string[] = [
  '#e5484d', // red
  '#3e8ef7', // blue
  '#30a46c', // green
  '#f76b15', // orange
  '#8e4ec6', // purple
  '#12a594', // teal
  '#d6409f', // pink
  '#c9a400', // mustard
  '#0090ff', // sky
  '#7c66dc', // violet
  '#5fb92f', // lime
  '#ad7f58', // brown
]

// Control, format (bidi overrides, zero-width joiners...), surrogate and private-use
// characters: the server refuses a name holding any (they can disguise one name as another).
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu

/** Drop invisible characters, collapse whitespace, cap the length; '' means "no usable name". */
export function normalizeName(raw: string): string {
  const clean = raw.replace(/\s+/g, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim()
  // Cut by code points, never inside a surrogate pair.
  return Array.from(clean).slice(0, MAX_NAME_LENGTH).join('').trim()
}

export function loadName(store: KeyValueStore = browserStore()): string | null {
  const name = normalizeName(readString(store, NAME_KEY) ?? '')
  return name || null
}

export function saveName(name: string, store: KeyValueStore = browserStore()): string | null {
  const clean = normalizeName(name)
  if (clean) writeString(store, NAME_KEY, clean)
  return clean || null
}

function hash(text: string): number {
  let h = 0
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0
  return Math.abs(h)
}

/** A stable palette colour for any seed (a name, a client id). */
export function colorForSeed(seed: string | number): string {
  return PALETTE[hash(String(seed)) % PALETTE.length]
}

/**
 * The colour to use in a session: the preferred one unless someone else already has it,
 * else the first free palette colour after it, else (everyone taken) the preferred one.
 */
export function pickColor(preferred: string, taken: Iterable<string>): string {
  const used = new Set(Array.from(taken, (c) => c.toLowerCase()))
  if (!used.has(preferred.toLowerCase())) return preferred
  const start = Math.max(0, PALETTE.indexOf(preferred))
  for (let i = 1; i <= PALETTE.length; i++) {
    const candidate = PALETTE[(start + i) % PALETTE.length]
    if (!used.has(candidate.toLowerCase())) return candidate
  }
  return preferred
}

/** This browser's preferred colour: picked at random once, then remembered. */
export function loadPreferredColor(
  store: KeyValueStore = browserStore(),
  random: () => number = Math.random,
): string {
  const saved = readString(store, COLOR_KEY)
  if (saved && PALETTE.includes(saved)) return saved
  const color = PALETTE[Math.floor(random() * PALETTE.length) % PALETTE.length]
  writeString(store, COLOR_KEY, color)
  return color
}

export const BROWSER_KEY = 'pad.browser'
const BROWSER_ID = /^[A-Za-z0-9_-]{8,40}$/

/**
 * A random id for this browser, made once and kept (localStorage, so every tab of the
 * browser shares it): published in awareness `user.browser`, so that one person with the pad
 * open in two tabs is listed once. It says nothing about who the person is.
 */
export function loadBrowserId(store: KeyValueStore = browserStore(), random: () => number = Math.random): string {
  const saved = readString(store, BROWSER_KEY)
  if (saved && BROWSER_ID.test(saved)) return saved
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  let id = ''
  for (let i = 0; i < 20; i++) id += alphabet[Math.floor(random() * alphabet.length) % alphabet.length]
  writeString(store, BROWSER_KEY, id)
  return id
}
