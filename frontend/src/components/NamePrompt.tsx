import { useEffect, useRef, useState, type FormEvent } from 'react'
import { MAX_NAME_LENGTH, normalizeName, type Role } from '../identity'

interface Props {
  role: Role
  initialName?: string
  onSubmit: (name: string) => void
  onCancel?: () => void
}

/** Asks for the display name others see next to your cursor. */
export function NamePrompt({ role, initialName = '', onSubmit, onCancel }: Props) {
  const [name, setName] = useState(initialName)
  const inputRef = useRef<HTMLInputElement>(null)
  useEffect(() => inputRef.current?.focus(), [])
  const clean = normalizeName(name)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (clean) onSubmit(clean)
  }

  return (
    <div className="modal-backdrop" role="presentation">
      <form className="modal" role="dialog" aria-modal="true" aria-labelledby="name-prompt-title" onSubmit={submit}>
        <h2 id="name-prompt-title">What should we call you?</h2>
        <p className="muted">
          Your name is shown to everyone in this session, next to your cursor. You are joining as the{' '}
          <strong>{role}</strong>.
        </p>
        <label className="field">
          <span>Display name</span>
          <input
            ref={inputRef}
            className="input"
            data-testid="name-input"
            value={name}
            maxLength={MAX_NAME_LENGTH}
            autoComplete="name"
            placeholder="e.g. Ada Lovelace"
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <div className="modal-actions">
          {onCancel && (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="button primary" data-testid="name-submit" disabled={!clean}>
            Join session
          </button>
        </div>
      </form>
    </div>
  )
}
