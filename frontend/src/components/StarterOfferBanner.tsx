// Offered to the person who switched the language when the editor already holds their own
// code: the new language's starter code replaces it only if they say so.

import { languageLabel } from '../languages'
import type { StarterOffer } from '../questions/useStarterSwitch'

export function StarterOfferBanner({ offer, onAccept, onDismiss }: { offer: StarterOffer; onAccept: () => void; onDismiss: () => void }) {
  return (
    <div className="banner starter-offer" role="status" data-testid="starter-offer">
      <span>
        Use the question's {languageLabel(offer.language)} starter code? It replaces the code in the editor for everyone.
      </span>
      <button type="button" className="button small primary" data-testid="starter-accept" onClick={onAccept}>
        Replace the code
      </button>
      <button type="button" className="button small" data-testid="starter-dismiss" onClick={onDismiss}>
        Keep it
      </button>
    </div>
  )
}
