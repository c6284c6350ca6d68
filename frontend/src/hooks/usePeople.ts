// The session page's people list: the server's presence frames while the socket is open
// (who is reconnecting, tabs of one browser as one person), else awareness alone.

import { useEffect, useState } from 'react'
import type { PadConnection } from '../collab/padConnection'
import { watchPresence, type PresenceFrame } from '../collab/presenceFrames'
import { peopleFromAwareness, peopleFromPresence, type LocalUser, type Person } from '../people'
import { isRole } from '../authority'

function localUser(pad: PadConnection): { user: LocalUser | null; browser: string } {
  const user = pad.provider.awareness.getLocalState()?.user as Record<string, unknown> | undefined
  if (!user || typeof user !== 'object') return { user: null, browser: '' }
  return {
    user: {
      name: typeof user.name === 'string' && user.name.trim() ? user.name.trim() : 'Anonymous',
      color: typeof user.color === 'string' ? user.color : '#888888',
      role: isRole(user.role) ? user.role : null,
    },
    browser: typeof user.browser === 'string' ? user.browser : '',
  }
}

export function usePeople(pad: PadConnection | null): Person[] {
  const [people, setPeople] = useState<Person[]>([])
  useEffect(() => {
    if (!pad) {
      setPeople([])
      return
    }
    const awareness = pad.provider.awareness
    let frame: PresenceFrame | null = null
    // Awareness changes with every caret move: keep the list's identity when it is the same.
    let last = ''
    const update = (next: Person[]) => {
      const key = JSON.stringify(next)
      if (key === last) return
      last = key
      setPeople(next)
    }
    const refresh = () => {
      const selfId = pad.doc.clientID
      if (frame && pad.provider.wsconnected) {
        const { user, browser } = localUser(pad)
        update(peopleFromPresence(frame.participants, selfId, user, browser))
      } else update(peopleFromAwareness(awareness.getStates(), selfId))
    }
    const stop = watchPresence(pad.provider, (next) => {
      frame = next
      refresh()
    })
    refresh()
    awareness.on('change', refresh)
    return () => {
      stop()
      awareness.off('change', refresh)
    }
  }, [pad])
  return people
}
