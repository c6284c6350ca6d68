// Who is signed in (GET /api/auth/me), read when a page mounts.

import { useCallback, useEffect, useState } from 'react'
import { ApiError, getMe, type Me } from '../api'

export type MeState = { state: 'loading' } | { state: 'ready'; me: Me } | { state: 'error'; message: string }

export function useMe(): [MeState, (me: Me) => void, () => void] {
  const [value, setValue] = useState<MeState>({ state: 'loading' })
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    let cancelled = false
    getMe().then(
      (me) => !cancelled && setValue({ state: 'ready', me }),
      (err) =>
        !cancelled &&
        setValue({ state: 'error', message: err instanceof ApiError ? err.detail : 'Could not reach the server.' }),
    )
    return () => {
      cancelled = true
    }
  }, [attempt])
  const set = useCallback((me: Me) => setValue({ state: 'ready', me }), [])
  const retry = useCallback(() => setAttempt((n) => n + 1), [])
  return [value, set, retry]
}
