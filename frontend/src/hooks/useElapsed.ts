// The interview's start (first candidate join) and a clock counting from it (elapsed.ts).

import { useEffect, useState } from 'react'
import { getEvents, type Session } from '../api'
import type { Role } from '../authority'
import type { PadConnection } from '../collab/padConnection'
import { firstCandidateJoin, loadCandidateSeen, noteCandidateSeen, parseTime } from '../elapsed'
import type { Person } from '../people'

export type StartSource = 'server' | 'timeline' | 'seen'

export interface Elapsed {
  /** ms since the epoch, or null while no candidate has joined. */
  startedAt: number | null
  source: StartSource | null
  /** Now, or the end of the interview once it ended (ms). */
  now: number
}

export function useElapsed(
  pad: PadConnection | null,
  session: Session,
  role: Role,
  people: Person[],
  endedAt: string | null,
): Elapsed {
  const sessionId = session.id
  // 1. The server's own note, should it give one (REST answer or the document's meta).
  const [metaStart, setMetaStart] = useState<number | null>(null)
  useEffect(() => {
    if (!pad) return
    const read = () => setMetaStart(parseTime(pad.meta.get('started_at')))
    read()
    pad.meta.observe(read)
    return () => pad.meta.unobserve(read)
  }, [pad])
  const serverStart = metaStart ?? parseTime(session.started_at)

  // 2. The timeline's first candidate join (interviewers and observers may read it).
  const [timelineStart, setTimelineStart] = useState<number | null>(null)
  useEffect(() => {
    if (role === 'candidate') return
    let cancelled = false
    getEvents(sessionId).then(
      (events) => {
        if (!cancelled) setTimelineStart(firstCandidateJoin(events))
      },
      () => {}, // not allowed or not reachable: the other sources stand in
    )
    return () => {
      cancelled = true
    }
  }, [sessionId, role])

  // 3. The first time this browser saw a candidate here.
  const [seen, setSeen] = useState<number | null>(() => loadCandidateSeen(sessionId))
  const candidateHere = people.some((person) => person.role === 'candidate' && person.status === 'online')
  useEffect(() => {
    if (candidateHere) setSeen(noteCandidateSeen(sessionId, Date.now()))
  }, [candidateHere, sessionId])

  const [startedAt, source]: [number | null, StartSource | null] =
    serverStart !== null
      ? [serverStart, 'server']
      : timelineStart !== null
        ? [timelineStart, 'timeline']
        : seen !== null
          ? [seen, 'seen']
          : [null, null]

  const end = parseTime(endedAt)
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (startedAt === null || end !== null) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [startedAt, end])
  return { startedAt, source, now: end ?? now }
}
