// The "Question" field of the forms that create an interview: none (a blank pad) or one of
// the bank's, chosen in the picker. Picking one whose starter code lacks the form's language
// moves the language to one it has.

import { useState } from 'react'
import { languageLabel } from '../languages'
import { QuestionPicker, DifficultyBadge } from './QuestionPicker'
import type { Question } from './types'

interface Props {
  value: Question | null
  onChange: (question: Question | null) => void
  language: string
  onLanguage: (language: string) => void
}

/** The language to start a question in: the chosen one if it has starter code, else Python, else its first. */
export function languageForQuestion(question: Question, current: string): string {
  const languages = Object.keys(question.starter_code)
  if (languages.length === 0 || languages.includes(current)) return current
  return languages.includes('python') ? 'python' : languages[0]
}

export function QuestionField({ value, onChange, language, onLanguage }: Props) {
  const [picking, setPicking] = useState(false)
  return (
    <div className="field question-field">
      <span id="question-field-label">Question</span>
      <div className="question-field-row" role="group" aria-labelledby="question-field-label">
        {value ? (
          <span className="question-chip" data-testid="chosen-question" data-question-id={value.id}>
            <strong>{value.title}</strong> <DifficultyBadge difficulty={value.difficulty} />
            {!Object.keys(value.starter_code).includes(language) && Object.keys(value.starter_code).length > 0 && (
              <span className="muted small"> (no {languageLabel(language)} starter code)</span>
            )}
          </span>
        ) : (
          <span className="muted">None: a blank pad</span>
        )}
        <button type="button" className="button small" data-testid="choose-question" onClick={() => setPicking(true)}>
          {value ? 'Change…' : 'Choose a question…'}
        </button>
        {value && (
          <button type="button" className="link-button small" data-testid="clear-question" onClick={() => onChange(null)} aria-label="No question">
            Remove
          </button>
        )}
      </div>
      {picking && (
        <QuestionPicker
          title="Start from a question"
          confirmLabel="Use this question"
          initialId={value?.id ?? null}
          onCancel={() => setPicking(false)}
          onPick={(question) => {
            setPicking(false)
            onChange(question)
            onLanguage(languageForQuestion(question, language))
          }}
        />
      )}
    </div>
  )
}
