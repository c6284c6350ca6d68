import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { Role } from '../authority'
import { MAX_NAME_LENGTH, normalizeName } from '../identity'

interface Props {
  role: Role
  initialName?: string
  /** Why the name must change (e.g. the server refused it). */
  error?: string | null
  onSubmit: (name: string) => void
  onCancel?: () => void
}

/** Asks for the display name others see next to your cursor. */
export function NamePrompt({ role, initialName = '', error, onSubmit, onCancel }: Props) {
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
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'name-prompt-error' : undefined}
          />
        </label>
        {error && (
          <p className="form-error" id="name-prompt-error" role="alert" data-testid="name-error">
            {error}
          </p>
        )}
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
