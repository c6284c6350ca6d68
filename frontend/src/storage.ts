// A tiny key-value store over localStorage that never throws: private browsing, disabled
// storage or a full quota must not break the pad, only its memory.

export interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** An in-memory store: the fallback when localStorage is unusable, and the tests' store. */
export function memoryStore(initial: Record<string, string> = {}): KeyValueStore {
  const data = new Map(Object.entries(initial))
  return {
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, String(value)),
    removeItem: (key) => void data.delete(key),
  }
}

let fallback: KeyValueStore | null = null

/** The browser's localStorage when usable, else a per-page in-memory store. */
export function browserStore(): KeyValueStore {
  try {
    const ls = globalThis.localStorage
    if (ls) {
      const probe = '__pad_probe__'
      ls.setItem(probe, '1')
      ls.removeItem(probe)
      return ls
    }
  } catch {
    // fall through to memory
  }
  fallback ??= memoryStore()
  return fallback
}

export function readJson<T>(store: KeyValueStore, key: string, fallbackValue: T): T {
  try {
    const raw = store.getItem(key)
    return raw == null ? fallbackValue : (JSON.parse(raw) as T)
  } catch {
    return fallbackValue
  }
}

export function writeJson(store: KeyValueStore, key: string, value: unknown): void {
  try {
    store.setItem(key, JSON.stringify(value))
  } catch {
    // quota or disabled storage: forgetting is acceptable
  }
}

export function readString(store: KeyValueStore, key: string): string | null {
  try {
    return store.getItem(key)
  } catch {
    return null
  }
}

export function writeString(store: KeyValueStore, key: string, value: string): void {
  try {
    store.setItem(key, value)
  } catch {
    // see writeJson
  }
}
