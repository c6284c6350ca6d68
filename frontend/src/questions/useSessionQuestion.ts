// The session's question, live: the server writes its id into the document's
// `meta.question_id` when an interviewer switches it, and each page then reads the session
// again (GET /api/sessions/<id>/ answers with what this reader may see of the question).

import { useEffect, useMemo, useRef } from 'react'
import { getSession, type Session } from '../api'
import type { PadConnection } from '../collab/padConnection'
import { asSessionQuestion, type SessionQuestion } from './types'

function metaQuestionId(pad: PadConnection): number | null {
  const value = pad.meta.get('question_id')
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null
}

export function useSessionQuestion(
  pad: PadConnection | null,
  synced: boolean,
  sessionId: string,
  session: Session,
  onSession: (session: Session) => void,
): SessionQuestion | null {
  const question = useMemo(() => asSessionQuestion(session.question), [session.question])
  const currentId = question?.id ?? null
  const currentRef = useRef(currentId)
  currentRef.current = currentId
  const onSessionRef = useRef(onSession)
  onSessionRef.current = onSession

  useEffect(() => {
    if (!pad || !synced) return
    let cancelled = false
    // The id we last asked the server about, so a burst of meta changes reads once.
    let asked: number | null | undefined
    const check = () => {
      const wanted = metaQuestionId(pad)
      if (wanted === currentRef.current || wanted === asked) return
      asked = wanted
      getSession(sessionId).then(
        (fresh) => {
          if (!cancelled) onSessionRef.current(fresh)
        },
        () => {
          asked = undefined // try again on the next change
        },
      )
    }
    check()
    pad.meta.observe(check)
    return () => {
      cancelled = true
      pad.meta.unobserve(check)
    }
  }, [pad, synced, sessionId])

  return question
}
