// Follow mode for the session page: which person (awareness client id) this page follows.

import { useCallback, useEffect, useState } from 'react'
import type * as Monaco from 'monaco-editor/editor/editor.api'
import type { PadConnection } from '../collab/padConnection'
import { followPerson } from '../collab/follow'
import { monaco } from '../monaco/setup'
import type { Person } from '../people'

export interface Follow {
  /** The followed awareness client id, or null. */
  following: number | null
  /** Follow a person (their first online tab), or stop (null). */
  follow(person: Person | null): void
}

export function useFollow(pad: PadConnection | null, editor: Monaco.editor.IStandaloneCodeEditor | null): Follow {
  const [following, setFollowing] = useState<number | null>(null)
  useEffect(() => {
    if (!pad || !editor || following === null) return
    return followPerson(editor, pad.code, pad.provider.awareness, following, () => setFollowing(null), monaco.editor.ScrollType.Immediate)
  }, [pad, editor, following])
  // A new connection (or editor) starts unfollowed.
  useEffect(() => setFollowing(null), [pad, editor])
  const follow = useCallback((person: Person | null) => setFollowing(person?.clientId ?? null), [])
  return { following, follow }
}
