// Above the editor while following someone: whom, and a way to stop.

import type { Person } from '../people'

export function FollowBanner({ person, onStop }: { person: Person; onStop: () => void }) {
  return (
    <div className="banner banner-follow" role="status" data-testid="follow-banner">
      <span className="swatch" style={{ backgroundColor: person.color }} aria-hidden="true" />
      Following <strong>{person.name}</strong>: your editor shows their cursor and scrolling. Scroll, click or type to stop.
      <button type="button" className="button small" data-testid="stop-following" onClick={onStop}>
        Stop following
      </button>
    </div>
  )
}
