// Choosing a question of the bank: search, filters (tag, difficulty, language), the list,
// and a preview of the selected one's statement (rendered and sanitised by the server).
// A modal, used when creating an interview and when switching a live session's question.

import { useEffect, useRef, useState, type ReactNode } from 'react'
import { createPortal } from 'react-dom'
import { ApiError } from '../api'
import { languageLabel } from '../languages'
import { getQuestion, listQuestions } from './api'
import { FilterBar } from './FilterBar'
import { difficultyLabel } from './format'
import { type Question, type QuestionFilters, type QuestionSummary } from './types'

interface Props {
  title: string
  confirmLabel: string
  /** Preselected question. */
  initialId?: number | null
  /** Filter to questions with starter code in this language at first. */
  initialLanguage?: string
  onPick: (question: Question) => void
  onCancel: () => void
  /** Under the preview (e.g. what switching does). */
  footer?: ReactNode
}

const SEARCH_DELAY_MS = 250

function message(err: unknown): string {
  return err instanceof ApiError ? err.detail : 'Could not reach the server.'
}

export function QuestionPicker({ title, confirmLabel, initialId = null, initialLanguage = '', onPick, onCancel, footer }: Props) {
  const [filters, setFilters] = useState<QuestionFilters>({ q: '', tag: '', difficulty: '', language: initialLanguage })
  const [search, setSearch] = useState('')
  const [list, setList] = useState<QuestionSummary[] | null>(null)
  const [allTags, setAllTags] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const [selectedId, setSelectedId] = useState<number | null>(initialId)
  const [preview, setPreview] = useState<Question | null>(null)
  const [previewError, setPreviewError] = useState<string | null>(null)
  const searchRef = useRef<HTMLInputElement>(null)

  useEffect(() => searchRef.current?.focus(), [])
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onCancel()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onCancel])

  // The search box waits for a pause in typing; the selects apply at once.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((current) => (current.q === search ? current : { ...current, q: search })), SEARCH_DELAY_MS)
    return () => clearTimeout(timer)
  }, [search])

  // Every tag of the bank, for the tag filter (read once, unfiltered).
  useEffect(() => {
    let cancelled = false
    listQuestions().then(
      (all) => !cancelled && setAllTags([...new Set(all.flatMap((q) => q.tags))].sort()),
      () => {},
    )
    return () => {
      cancelled = true
    }
  }, [])

  useEffect(() => {
    let cancelled = false
    setError(null)
    listQuestions(filters).then(
      (found) => {
        if (cancelled) return
        setList(found)
        setSelectedId((current) => (current !== null && found.some((q) => q.id === current) ? current : (found[0]?.id ?? null)))
      },
      (err) => !cancelled && setError(message(err)),
    )
    return () => {
      cancelled = true
    }
  }, [filters])

  useEffect(() => {
    if (selectedId === null) {
      setPreview(null)
      return
    }
    let cancelled = false
    setPreviewError(null)
    getQuestion(selectedId).then(
      (question) => !cancelled && setPreview(question),
      (err) => !cancelled && setPreviewError(message(err)),
    )
    return () => {
      cancelled = true
    }
  }, [selectedId])

  const shown = preview && preview.id === selectedId ? preview : null

  // In a portal: the picker opens from inside forms, whose Enter key must not submit them.
  return createPortal(
    <div className="modal-backdrop" role="presentation">
      <div className="modal question-picker" role="dialog" aria-modal="true" aria-labelledby="question-picker-title" data-testid="question-picker">
        <h2 id="question-picker-title">{title}</h2>
        <FilterBar
          search={search}
          onSearch={setSearch}
          filters={filters}
          onFilters={setFilters}
          tags={allTags}
          testPrefix="question"
          placeholder="Search titles and statements…"
          searchRef={searchRef}
        />

        <div className="picker-body">
          <div className="picker-list" role="listbox" aria-label="Questions" data-testid="question-list">
            {error ? (
              <p className="form-error" role="alert">
                {error}
              </p>
            ) : list === null ? (
              <div className="spinner" aria-label="Loading" />
            ) : list.length === 0 ? (
              <p className="muted small" data-testid="no-questions">
                No question matches.
              </p>
            ) : (
              list.map((q) => (
                <button
                  key={q.id}
                  type="button"
                  role="option"
                  aria-selected={q.id === selectedId}
                  className={`picker-item${q.id === selectedId ? ' selected' : ''}`}
                  data-testid="question-option"
                  data-question-id={q.id}
                  onClick={() => setSelectedId(q.id)}
                  onDoubleClick={() => shown && shown.id === q.id && onPick(shown)}
                >
                  <QuestionItem question={q} />
                </button>
              ))
            )}
          </div>
          <div className="picker-preview" data-testid="question-preview" aria-live="polite">
            {previewError ? (
              <p className="form-error" role="alert">
                {previewError}
              </p>
            ) : shown ? (
              <>
                <h3>
                  {shown.title} <DifficultyBadge difficulty={shown.difficulty} />
                </h3>
                {/* statement_html is rendered and sanitised by the server (no raw HTML, no scripts, nothing remote). */}
                <div className="markdown" dangerouslySetInnerHTML={{ __html: shown.statement_html }} />
                <p className="muted small">
                  {shown.function_name ? (
                    <>
                      Tests call <code>{shown.function_name}</code>
                    </>
                  ) : (
                    'Tests compare standard output'
                  )}
                  {' · '}
                  {shown.tests.filter((c) => !c.hidden).length} visible, {shown.tests.filter((c) => c.hidden).length} hidden
                  {Object.keys(shown.starter_code).length > 0 && <> · starter code: {Object.keys(shown.starter_code).map(languageLabel).join(', ')}</>}
                </p>
              </>
            ) : selectedId !== null ? (
              <div className="spinner" aria-label="Loading" />
            ) : (
              <p className="muted">Select a question to preview it.</p>
            )}
          </div>
        </div>
        {footer}
        <div className="modal-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button primary" data-testid="question-pick" disabled={!shown} onClick={() => shown && onPick(shown)}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  )
}

export function DifficultyBadge({ difficulty }: { difficulty: string }) {
  return (
    <span className={`difficulty difficulty-${difficulty}`} data-testid="difficulty">
      {difficultyLabel(difficulty)}
    </span>
  )
}

/** A question in a list: its title, difficulty, tags and the languages it has starter code for. */
export function QuestionItem({ question }: { question: QuestionSummary }) {
  return (
    <>
      <span className="picker-item-title">{question.title}</span>
      <span className="picker-item-meta">
        <DifficultyBadge difficulty={question.difficulty} />
        {question.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
      </span>
      {question.languages.length > 0 && <span className="muted small">{question.languages.map(languageLabel).join(', ')}</span>}
    </>
  )
}
