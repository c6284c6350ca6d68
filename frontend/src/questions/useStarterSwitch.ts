// Switching the session's language from this page, with the question's starter code: put
// in at once when nothing was written yet, else offered to this person (starter.ts).

import { useCallback, useState } from 'react'
import type { PadConnection } from '../collab/padConnection'
import { replaceCode, starterOnSwitch } from './starter'
import type { SessionQuestion } from './types'

export interface StarterOffer {
  language: string
  code: string
}

export function useStarterSwitch(
  pad: PadConnection | null,
  question: SessionQuestion | null,
  setLanguage: (language: string) => void,
): { changeLanguage: (language: string) => void; offer: StarterOffer | null; accept: () => void; dismiss: () => void } {
  const [offer, setOffer] = useState<StarterOffer | null>(null)

  const changeLanguage = useCallback(
    (language: string) => {
      setOffer(null)
      if (!pad || !question) {
        setLanguage(language)
        return
      }
      const decision = starterOnSwitch(pad.code.toString(), question.starter_code, language)
      // One transaction: everyone gets the new language and its starter code together.
      pad.doc.transact(() => {
        setLanguage(language)
        if (decision.action === 'put') replaceCode(pad.doc, pad.code, decision.code)
      })
      if (decision.action === 'offer') setOffer({ language, code: decision.code })
    },
    [pad, question, setLanguage],
  )

  const accept = useCallback(() => {
    if (pad && offer) replaceCode(pad.doc, pad.code, offer.code)
    setOffer(null)
  }, [pad, offer])

  const dismiss = useCallback(() => setOffer(null), [])
  return { changeLanguage, offer, accept, dismiss }
}
