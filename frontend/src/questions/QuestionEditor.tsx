// Editing one question of the bank: title, difficulty, tags, the statement (Markdown), the
// function the tests call (or none: stdin/stdout), starter code per language, the test cases
// (visible or hidden) and the interviewers' guidance. The server's refusals show next to
// the field they are about; anything else above the form.

import { useState, type FormEvent, type KeyboardEvent } from 'react'
import { languageLabel, LANGUAGES } from '../languages'
import { createQuestion, deleteQuestion, fieldErrors, updateQuestion } from './api'
import { difficultyLabel } from './format'
import { emptyForm, formFromQuestion, nextKey, questionFromForm, type CaseRow, type FormErrors, type QuestionForm } from './form'
import { DIFFICULTIES, type Difficulty, type Question } from './types'
import { ConfirmDialog } from '../components/ConfirmDialog'

interface Props {
  /** null: a new question. */
  question: Question | null
  onSaved: (question: Question) => void
  onDeleted: () => void
  onCancel: () => void
  /** Just created (the bank reopens a new question as a saved one): say it was saved. */
  justCreated?: boolean
}

const SERVER_FIELDS = ['title', 'statement', 'difficulty', 'tags', 'function_name', 'starter_code', 'tests', 'guidance']

/** Tab in a code box indents instead of leaving it. */
function indentOnTab(event: KeyboardEvent<HTMLTextAreaElement>, onChange: (text: string) => void) {
  if (event.key !== 'Tab' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return
  event.preventDefault()
  const box = event.currentTarget
  const { selectionStart: start, selectionEnd: end, value } = box
  onChange(value.slice(0, start) + '    ' + value.slice(end))
  requestAnimationFrame(() => box.setSelectionRange(start + 4, start + 4))
}

export function QuestionEditor({ question, onSaved, onDeleted, onCancel, justCreated = false }: Props) {
  const [form, setForm] = useState<QuestionForm>(() => (question ? formFromQuestion(question) : emptyForm()))
  const [errors, setErrors] = useState<FormErrors & { difficulty?: string; guidance?: string }>({})
  const [general, setGeneral] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState(justCreated)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const [addLanguage, setAddLanguage] = useState('')
  const update = (changes: Partial<QuestionForm>) => {
    setSaved(false)
    setForm((current) => ({ ...current, ...changes }))
  }
  const updateCase = (key: number, changes: Partial<CaseRow>) =>
    update({ cases: form.cases.map((row) => (row.key === key ? { ...row, ...changes } : row)) })
  const functionStyle = form.functionName.trim() !== ''
  const unusedLanguages = LANGUAGES.filter((l) => l.id !== 'plaintext' && !form.starters.some((row) => row.language === l.id))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setGeneral(null)
    const checked = questionFromForm(form)
    if (!checked.ok) {
      setErrors(checked.errors)
      setGeneral('Some fields need fixing (marked below).')
      return
    }
    setErrors({})
    setBusy(true)
    try {
      const result = question ? await updateQuestion(question.id, checked.input) : await createQuestion(checked.input)
      setSaved(true)
      onSaved(result)
    } catch (err) {
      const found = fieldErrors(err, SERVER_FIELDS)
      setErrors(found.fields)
      setGeneral(found.general ?? (Object.keys(found.fields).length ? 'The server refused some fields (marked below).' : null))
    } finally {
      setBusy(false)
    }
  }

  const remove = async () => {
    if (!question) return
    setBusy(true)
    try {
      await deleteQuestion(question.id)
      setConfirmDelete(false)
      onDeleted()
    } catch (err) {
      setGeneral(fieldErrors(err, []).general)
      setConfirmDelete(false)
    } finally {
      setBusy(false)
    }
  }

  const fieldError = (name: keyof typeof errors, id: string) =>
    typeof errors[name] === 'string' ? (
      <p className="form-error small" id={id} role="alert" data-testid={`error-${name}`}>
        {errors[name] as string}
      </p>
    ) : null

  return (
    <form className="card question-editor" onSubmit={submit} data-testid="question-editor" aria-labelledby="question-editor-title" noValidate>
      <header className="question-editor-head">
        <h2 id="question-editor-title">{question ? `Edit “${question.title}”` : 'New question'}</h2>
        {question?.author && <span className="muted small">by {question.author}</span>}
      </header>
      {general && (
        <p className="form-error" role="alert" data-testid="question-form-error">
          {general}
        </p>
      )}

      <div className="editor-grid">
        <label className="field grow">
          <span>Title</span>
          <input
            className="input"
            data-testid="q-title"
            value={form.title}
            maxLength={200}
            aria-invalid={errors.title ? true : undefined}
            aria-describedby={errors.title ? 'q-title-error' : undefined}
            onChange={(event) => update({ title: event.target.value })}
          />
          {fieldError('title', 'q-title-error')}
        </label>
        <label className="field">
          <span>Difficulty</span>
          <select className="select" data-testid="q-difficulty" value={form.difficulty} onChange={(event) => update({ difficulty: event.target.value as Difficulty })}>
            {DIFFICULTIES.map((d) => (
              <option key={d} value={d}>
                {difficultyLabel(d)}
              </option>
            ))}
          </select>
          {fieldError('difficulty', 'q-difficulty-error')}
        </label>
      </div>
      <div className="editor-grid">
        <label className="field grow">
          <span>Tags (comma-separated)</span>
          <input className="input" data-testid="q-tags" value={form.tags} placeholder="arrays, hash map" onChange={(event) => update({ tags: event.target.value })} />
          {fieldError('tags', 'q-tags-error')}
        </label>
        <label className="field grow">
          <span>Function the tests call</span>
          <input
            className="input mono"
            data-testid="q-function"
            value={form.functionName}
            placeholder="e.g. two_sum; blank: the program reads stdin and prints"
            aria-invalid={errors.function_name ? true : undefined}
            onChange={(event) => update({ functionName: event.target.value })}
          />
          {fieldError('function_name', 'q-function-error')}
        </label>
      </div>

      <label className="field">
        <span>Statement (Markdown: what the candidate reads)</span>
        <textarea
          className="input statement-input"
          data-testid="q-statement"
          rows={8}
          value={form.statement}
          aria-invalid={errors.statement ? true : undefined}
          onChange={(event) => update({ statement: event.target.value })}
        />
        {fieldError('statement', 'q-statement-error')}
      </label>

      <fieldset className="editor-section">
        <legend>Starter code</legend>
        {fieldError('starter_code', 'q-starter-error')}
        {form.starters.map((row, index) => (
          <div className="starter-row" key={row.language} data-testid="starter-row" data-language={row.language}>
            <div className="starter-row-head">
              <strong>{languageLabel(row.language)}</strong>
              <button
                type="button"
                className="link-button small"
                aria-label={`Remove the ${languageLabel(row.language)} starter code`}
                onClick={() => update({ starters: form.starters.filter((_, i) => i !== index) })}
              >
                Remove
              </button>
            </div>
            <textarea
              className="input mono code-input"
              rows={5}
              spellCheck={false}
              aria-label={`${languageLabel(row.language)} starter code`}
              data-testid={`starter-${row.language}`}
              value={row.code}
              onKeyDown={(event) => indentOnTab(event, (code) => update({ starters: form.starters.map((r, i) => (i === index ? { ...r, code } : r)) }))}
              onChange={(event) => update({ starters: form.starters.map((r, i) => (i === index ? { ...r, code: event.target.value } : r)) })}
            />
          </div>
        ))}
        <div className="inline-form">
          <select className="select" aria-label="Language to add" data-testid="starter-add-language" value={addLanguage} onChange={(event) => setAddLanguage(event.target.value)}>
            <option value="">Add a language…</option>
            {unusedLanguages.map((l) => (
              <option key={l.id} value={l.id}>
                {l.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button small"
            data-testid="starter-add"
            disabled={!addLanguage}
            onClick={() => {
              update({ starters: [...form.starters, { language: addLanguage, code: '' }] })
              setAddLanguage('')
            }}
          >
            Add starter code
          </button>
        </div>
      </fieldset>

      <fieldset className="editor-section">
        <legend>Test cases</legend>
        <p className="muted small">
          {functionStyle ? (
            <>
              Each case calls <code>{form.functionName.trim()}</code>: its arguments as a JSON list (<code>[[2, 7, 11, 15], 9]</code>), the
              expected return value as JSON (<code>[0, 1]</code>, <code>"text"</code>).
            </>
          ) : (
            'Each case gives the program an input (stdin) and the output it must print; spaces at line ends and blank lines at the end do not count. For SQL, the input is a setup script run before the query.'
          )}{' '}
          Hidden cases never reach the candidate's browser: interviewers' browsers run them, and the candidate sees how many pass.
        </p>
        {fieldError('tests', 'q-tests-error')}
        <ol className="case-rows">
          {form.cases.map((row) => {
            const problem = errors.cases?.[row.key]
            return (
              <li key={row.key} className="case-row" data-testid="case-row">
                <div className="case-row-head">
                  <input
                    className="input small"
                    aria-label="Case name"
                    data-testid="case-name"
                    value={row.name}
                    maxLength={100}
                    onChange={(event) => updateCase(row.key, { name: event.target.value })}
                  />
                  <label className="switch-row small">
                    <input type="checkbox" data-testid="case-hidden" checked={row.hidden} onChange={(event) => updateCase(row.key, { hidden: event.target.checked })} />
                    <span>Hidden</span>
                  </label>
                  <button type="button" className="link-button small" aria-label={`Remove the case ${row.name}`} onClick={() => update({ cases: form.cases.filter((r) => r.key !== row.key) })}>
                    Remove
                  </button>
                </div>
                <div className="case-row-body">
                  <label className="field grow">
                    <span>{functionStyle ? 'Arguments (JSON list)' : 'Input (stdin)'}</span>
                    <textarea className="input mono small" rows={functionStyle ? 1 : 3} spellCheck={false} data-testid="case-input" value={row.input} onChange={(event) => updateCase(row.key, { input: event.target.value })} />
                  </label>
                  <label className="field grow">
                    <span>{functionStyle ? 'Expected (JSON)' : 'Expected output'}</span>
                    <textarea className="input mono small" rows={functionStyle ? 1 : 3} spellCheck={false} data-testid="case-expected" value={row.expected} onChange={(event) => updateCase(row.key, { expected: event.target.value })} />
                  </label>
                </div>
                {problem && (
                  <p className="form-error small" role="alert" data-testid="case-error">
                    {problem}
                  </p>
                )}
              </li>
            )
          })}
        </ol>
        <button
          type="button"
          className="button small"
          data-testid="case-add"
          onClick={() => update({ cases: [...form.cases, { key: nextKey(), name: `case ${form.cases.length + 1}`, input: '', expected: '', hidden: false }] })}
        >
          Add a case
        </button>
      </fieldset>

      <label className="field">
        <span>Guidance for interviewers (Markdown: approach, hints, follow-ups; never shown to candidates)</span>
        <textarea className="input" data-testid="q-guidance" rows={5} value={form.guidance} onChange={(event) => update({ guidance: event.target.value })} />
        {fieldError('guidance', 'q-guidance-error')}
      </label>

      <div className="question-editor-actions">
        <button type="submit" className="button primary" data-testid="q-save" disabled={busy}>
          {busy ? 'Saving…' : question ? 'Save changes' : 'Create question'}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          {question ? 'Close' : 'Cancel'}
        </button>
        {saved && (
          <span className="muted small" role="status" data-testid="q-saved">
            Saved.
          </span>
        )}
        <span className="toolbar-spacer" />
        {question && (
          <button type="button" className="button danger-outline" data-testid="q-delete" onClick={() => setConfirmDelete(true)} disabled={busy}>
            Delete…
          </button>
        )}
      </div>

      {question && (
        <section className="question-saved-preview" aria-labelledby="saved-preview-title">
          <h3 id="saved-preview-title" className="panel-title">
            As candidates see it (last saved)
          </h3>
          {/* Rendered and sanitised by the server. */}
          <div className="markdown" data-testid="q-preview" dangerouslySetInnerHTML={{ __html: question.statement_html }} />
        </section>
      )}

      {confirmDelete && question && (
        <ConfirmDialog
          title="Delete this question?"
          confirmLabel="Delete"
          danger
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => setConfirmDelete(false)}
        >
          <p>
            <strong>{question.title}</strong> leaves the bank. Interviews that use it lose their statement and tests (their code stays).
          </p>
        </ConfirmDialog>
      )}
    </form>
  )
}
