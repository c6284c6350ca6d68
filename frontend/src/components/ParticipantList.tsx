import type { Participant } from '../presence'
import { PencilIcon } from './Icons'

export function ParticipantList({ participants, onRename }: { participants: Participant[]; onRename?: () => void }) {
  return (
    <section className="panel">
      <h2 className="panel-title">
        People here <span className="count">{participants.length}</span>
      </h2>
      <ul className="participants" data-testid="participants">
        {participants.map((p) => (
          <li key={p.clientId} className="participant" data-client-id={p.clientId} data-self={p.isSelf ? 'true' : undefined}>
            <span className="swatch" style={{ backgroundColor: p.color }} aria-hidden="true" />
            <span className="participant-info">
              <span className="participant-name" title={p.name}>
                {p.name}
                {p.isSelf && <span className="you"> (you)</span>}
              </span>
              {p.role && <span className={`participant-role participant-role-${p.role}`}>{p.role}</span>}
            </span>
            {p.isSelf && onRename && (
              <button type="button" className="icon-button tiny" onClick={onRename} title="Change your name" aria-label="Change your name">
                <PencilIcon size={12} />
              </button>
            )}
          </li>
        ))}
        {participants.length === 0 && <li className="muted">Connecting…</li>}
      </ul>
    </section>
  )
}
