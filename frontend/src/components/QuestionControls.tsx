// The interviewer's control of a live session's question (side panel): choose or change it
// (picker, then a confirmation: everyone sees the new statement at once) or remove it.
// The server allows this to signed-in interviewers; a secret-link interviewer is told so.

import { useState } from 'react'
import type { Session } from '../api'
import { useMe } from '../hooks/useMe'
import { fieldErrors, setSessionQuestion } from '../questions/api'
import { QuestionPicker } from '../questions/QuestionPicker'
import type { Question, SessionQuestion } from '../questions/types'
import { languageLabel } from '../languages'
import { ConfirmDialog } from './ConfirmDialog'

interface Props {
  sessionId: string
  question: SessionQuestion | null
  language: string
  /** The interview has ended: no switching. */
  ended: boolean
  onSession: (session: Session) => void
}

type Step = { step: 'idle' } | { step: 'picking' } | { step: 'confirm'; question: Question | null }

export function QuestionControls({ sessionId, question, language, ended, onSession }: Props) {
  const [meState] = useMe()
  const signedIn = meState.state === 'ready' && meState.me.authenticated
  const [step, setStep] = useState<Step>({ step: 'idle' })
  const [replaceCode, setReplaceCode] = useState(true)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const apply = async (next: Question | null) => {
    setBusy(true)
    setError(null)
    // Without starter code for the session's language the code stays (the server would empty it).
    const replace = next !== null && replaceCode && typeof next.starter_code[language] === 'string'
    try {
      onSession(await setSessionQuestion(sessionId, next ? next.id : null, replace))
      setStep({ step: 'idle' })
    } catch (err) {
      setError(fieldErrors(err, []).general)
    } finally {
      setBusy(false)
    }
  }

  const target = step.step === 'confirm' ? step.question : null
  const hasStarter = target ? typeof target.starter_code[language] === 'string' : false
  return (
    <section className="panel question-controls" aria-labelledby="question-controls-title" data-testid="question-controls">
      <h2 className="panel-title" id="question-controls-title">
        Question
      </h2>
      <p className="small" data-testid="current-question">
        {question ? <strong>{question.title}</strong> : <span className="muted">None: a blank pad.</span>}
      </p>
      {signedIn ? (
        <div className="button-row">
          <button
            type="button"
            className="button small"
            data-testid="change-question"
            disabled={ended || busy}
            onClick={() => {
              setError(null)
              setStep({ step: 'picking' })
            }}
          >
            {question ? 'Change question…' : 'Choose a question…'}
          </button>
          {question && (
            <button
              type="button"
              className="link-button small"
              data-testid="remove-question"
              disabled={ended || busy}
              onClick={() => {
                setError(null)
                setStep({ step: 'confirm', question: null })
              }}
            >
              Remove
            </button>
          )}
        </div>
      ) : (
        <p className="muted small">Sign in to choose questions from the bank.</p>
      )}
      {error && step.step === 'idle' && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
      {step.step === 'picking' && (
        <QuestionPicker
          title={question ? 'Change the question' : 'Choose a question'}
          confirmLabel="Continue…"
          initialId={question?.id ?? null}
          onCancel={() => setStep({ step: 'idle' })}
          onPick={(picked) => setStep({ step: 'confirm', question: picked })}
        />
      )}
      {step.step === 'confirm' && (
        <ConfirmDialog
          title={target ? `Switch to “${target.title}”?` : 'Remove the question?'}
          confirmLabel={target ? 'Switch question' : 'Remove question'}
          busy={busy}
          error={error}
          onConfirm={() => void apply(target)}
          onCancel={() => setStep({ step: 'idle' })}
        >
          {target ? (
            <>
              <p>Everyone in the session sees the new statement at once; the test results so far stay in the output.</p>
              <label className="switch-row">
                <input
                  type="checkbox"
                  data-testid="replace-code"
                  checked={replaceCode && hasStarter}
                  disabled={!hasStarter}
                  onChange={(event) => setReplaceCode(event.target.checked)}
                />
                <span>
                  {hasStarter
                    ? `Replace the code with its ${languageLabel(language)} starter code`
                    : `It has no ${languageLabel(language)} starter code: the code stays`}
                </span>
              </label>
            </>
          ) : (
            <p>The statement and the tests disappear for everyone; the code stays.</p>
          )}
        </ConfirmDialog>
      )}
    </section>
  )
}
