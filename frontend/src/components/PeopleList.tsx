// Who is in the session: one entry per person (tabs of one browser together), who is
// reconnecting, and a button per person to follow their cursor and scrolling.

import { tabsLabel, type Person } from '../people'
import { PencilIcon } from './Icons'

interface Props {
  people: Person[]
  onRename?: () => void
  /** The awareness client id being followed, or null. */
  following?: number | null
  /** Follow a person (null: stop). Without it, people are not followable (e.g. no editor). */
  onFollow?: (person: Person | null) => void
}

export function PeopleList({ people, onRename, following = null, onFollow }: Props) {
  return (
    <section className="panel people-panel" aria-labelledby="people-title">
      <h2 className="panel-title" id="people-title">
        People here <span className="count">{people.length}</span>
      </h2>
      <ul className="participants" data-testid="participants" aria-labelledby="people-title">
        {people.map((person) => {
          const followed = person.clientId !== null && following !== null && person.clientIds.includes(following)
          const tabs = tabsLabel(person.tabs)
          const body = (
            <>
              <span className="swatch" style={{ backgroundColor: person.color }} aria-hidden="true" />
              <span className="participant-info">
                <span className="participant-name" title={person.name}>
                  {person.name}
                  {person.isSelf && <span className="you"> (you)</span>}
                </span>
                <span className="participant-details">
                  {person.role && <span className={`participant-role participant-role-${person.role}`}>{person.role}</span>}
                  {tabs && (
                    <span className="participant-tabs" data-testid="participant-tabs">
                      {tabs}
                    </span>
                  )}
                  {person.status === 'reconnecting' && (
                    <span className="participant-status" data-testid="participant-reconnecting">
                      reconnecting…
                    </span>
                  )}
                  {followed && <span className="participant-following">following</span>}
                </span>
              </span>
            </>
          )
          const followable = !person.isSelf && person.clientId !== null && onFollow !== undefined
          return (
            <li
              key={person.key}
              className={`participant${person.status === 'reconnecting' ? ' is-reconnecting' : ''}${followed ? ' is-followed' : ''}`}
              data-client-id={person.clientId ?? ''}
              data-self={person.isSelf ? 'true' : undefined}
              data-status={person.status}
              data-tabs={person.tabs}
            >
              {followable ? (
                <button
                  type="button"
                  className="participant-follow"
                  data-testid="follow-person"
                  aria-pressed={followed}
                  title={followed ? `Stop following ${person.name}` : `Follow ${person.name}: their cursor and scrolling`}
                  onClick={() => onFollow(followed ? null : person)}
                >
                  <span className="visually-hidden">Follow </span>
                  {body}
                </button>
              ) : (
                <span className="participant-row">{body}</span>
              )}
              {person.isSelf && onRename && (
                <button type="button" className="icon-button tiny" onClick={onRename} title="Change your name" aria-label="Change your name">
                  <PencilIcon size={12} />
                </button>
              )}
            </li>
          )
        })}
        {people.length === 0 && <li className="muted">Connecting…</li>}
      </ul>
    </section>
  )
}
