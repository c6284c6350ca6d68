import { CONNECTION_LABELS, type ConnectionStatus } from '../connection'

export function ConnectionIndicator({ status }: { status: ConnectionStatus }) {
  return (
    <div className={`connection connection-${status}`} title={CONNECTION_LABELS[status]} role="status" aria-live="polite">
      <span className="connection-dot" aria-hidden="true" />
      <span data-testid="connection-status">{status}</span>
    </div>
  )
}
