// The session's title, live: the server writes `meta.title` on every rename, so a rename made
// anywhere (another interviewer's page, REST, the admin) reaches every open page.

import { useEffect, useState } from 'react'
import type { PadConnection } from '../collab/padConnection'

/** `meta.title` once the document has one; until then (or in older sessions) `fallback`, the REST title. */
export function useSharedTitle(pad: PadConnection | null, fallback: string): string {
  const [title, setTitle] = useState<{ pad: PadConnection; value: string } | null>(null)
  useEffect(() => {
    if (!pad) return
    const read = () => {
      const value = pad.meta.get('title')
      setTitle(typeof value === 'string' ? { pad, value } : null)
    }
    read()
    pad.meta.observe(read)
    return () => pad.meta.unobserve(read)
  }, [pad])
  return title && title.pad === pad ? title.value : fallback
}
