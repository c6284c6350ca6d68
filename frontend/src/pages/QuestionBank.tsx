// The question bank (/questions, signed-in interviewers): every question, searchable and
// filtered by tag, difficulty and language; open one to edit it, or write a new one. The
// address keeps what is open (`?id=12`, `?new`) so a reload comes back to it.

import { useCallback, useEffect, useState } from 'react'
import { ApiError } from '../api'
import { AccountBar } from '../components/AccountBar'
import { TopBar } from '../components/TopBar'
import { useMe } from '../hooks/useMe'
import { getQuestion, listQuestions } from '../questions/api'
import { FilterBar } from '../questions/FilterBar'
import { QuestionEditor } from '../questions/QuestionEditor'
import { QuestionItem } from '../questions/QuestionPicker'
import { type Question, type QuestionFilters, type QuestionSummary } from '../questions/types'
import { navigate } from '../router'
import type { Theme } from '../theme'

interface Props {
  theme: Theme
  onToggleTheme: () => void
}

type Open = { kind: 'none' } | { kind: 'new' } | { kind: 'question'; id: number }

function openFromAddress(): Open {
  const params = new URLSearchParams(location.search)
  if (params.has('new')) return { kind: 'new' }
  const id = Number(params.get('id'))
  return Number.isInteger(id) && id > 0 ? { kind: 'question', id } : { kind: 'none' }
}

function addressOf(open: Open): string {
  return open.kind === 'new' ? '/questions?new' : open.kind === 'question' ? `/questions?id=${open.id}` : '/questions'
}

function message(err: unknown): string {
  return err instanceof ApiError ? err.detail : 'Could not reach the server.'
}

export default function QuestionBank({ theme, onToggleTheme }: Props) {
  const [meState] = useMe()
  const me = meState.state === 'ready' ? meState.me : null
  const signedIn = me?.authenticated === true
  const [filters, setFilters] = useState<QuestionFilters>({ q: '', tag: '', difficulty: '', language: '' })
  const [search, setSearch] = useState('')
  const [list, setList] = useState<QuestionSummary[] | null>(null)
  const [tags, setTags] = useState<string[]>([])
  const [listError, setListError] = useState<string | null>(null)
  const [open, setOpenState] = useState<Open>(openFromAddress)
  const [loaded, setLoaded] = useState<Question | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [createdId, setCreatedId] = useState<number | null>(null)

  useEffect(() => {
    if (me && !me.authenticated) navigate('/login', { replace: true })
  }, [me])

  const setOpen = useCallback((next: Open) => {
    setOpenState(next)
    history.replaceState(null, '', addressOf(next))
  }, [])

  useEffect(() => {
    const timer = setTimeout(() => setFilters((current) => (current.q === search ? current : { ...current, q: search })), 250)
    return () => clearTimeout(timer)
  }, [search])

  const refresh = useCallback(async () => {
    try {
      const [found, all] = await Promise.all([listQuestions(filters), listQuestions()])
      setList(found)
      setTags([...new Set(all.flatMap((q) => q.tags))].sort())
      setListError(null)
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) navigate('/login', { replace: true })
      else setListError(message(err))
    }
  }, [filters])

  useEffect(() => {
    if (signedIn) void refresh()
  }, [signedIn, refresh])

  useEffect(() => {
    setLoaded(null)
    setLoadError(null)
    if (open.kind !== 'question' || !signedIn) return
    let cancelled = false
    getQuestion(open.id).then(
      (question) => !cancelled && setLoaded(question),
      (err) => !cancelled && setLoadError(message(err)),
    )
    return () => {
      cancelled = true
    }
  }, [open, signedIn])

  return (
    <div className="page">
      <TopBar theme={theme} onToggleTheme={onToggleTheme}>
        <AccountBar me={me} current="questions" />
      </TopBar>
      <main className="question-bank">
        <header className="dashboard-head">
          <h1>Question bank</h1>
          <p className="muted">The team's questions: statement, starter code, test cases (some hidden) and guidance for interviewers.</p>
        </header>
        <div className="bank-layout">
          <section className="card bank-list" aria-labelledby="bank-list-title">
            <div className="bank-list-head">
              <h2 id="bank-list-title" className="panel-title">
                Questions {list && <span className="count">{list.length}</span>}
              </h2>
              <button type="button" className="button primary small" data-testid="new-question" onClick={() => setOpen({ kind: 'new' })}>
                New question
              </button>
            </div>
            <FilterBar
              search={search}
              onSearch={setSearch}
              filters={filters}
              onFilters={setFilters}
              tags={tags}
              testPrefix="bank"
              placeholder="Search…"
              className="stacked"
            />
            {listError ? (
              <div role="alert">
                <p className="form-error">{listError}</p>
                <button type="button" className="button small" onClick={() => void refresh()}>
                  Try again
                </button>
              </div>
            ) : list === null ? (
              <div className="spinner" aria-label="Loading" />
            ) : list.length === 0 ? (
              <p className="muted small" data-testid="bank-empty">
                No question matches.
              </p>
            ) : (
              <ul className="bank-items" data-testid="bank-list">
                {list.map((q) => {
                  const selected = open.kind === 'question' && open.id === q.id
                  return (
                    <li key={q.id}>
                      <button
                        type="button"
                        className={`picker-item${selected ? ' selected' : ''}`}
                        aria-current={selected ? 'true' : undefined}
                        data-testid="bank-item"
                        data-question-id={q.id}
                        onClick={() => setOpen({ kind: 'question', id: q.id })}
                      >
                        <QuestionItem question={q} />
                      </button>
                    </li>
                  )
                })}
              </ul>
            )}
          </section>

          <div className="bank-detail">
            {open.kind === 'new' ? (
              <QuestionEditor
                key="new"
                question={null}
                onSaved={(question) => {
                  setCreatedId(question.id)
                  setOpen({ kind: 'question', id: question.id })
                  void refresh()
                }}
                onDeleted={() => setOpen({ kind: 'none' })}
                onCancel={() => setOpen({ kind: 'none' })}
              />
            ) : open.kind === 'question' ? (
              loadError ? (
                <div className="card" role="alert">
                  <p className="form-error">{loadError}</p>
                </div>
              ) : loaded ? (
                <QuestionEditor
                  key={loaded.id}
                  question={loaded}
                  justCreated={createdId === loaded.id}
                  onSaved={(question) => {
                    setLoaded(question)
                    void refresh()
                  }}
                  onDeleted={() => {
                    setOpen({ kind: 'none' })
                    void refresh()
                  }}
                  onCancel={() => setOpen({ kind: 'none' })}
                />
              ) : (
                <div className="spinner" aria-label="Loading" />
              )
            ) : (
              <div className="card muted bank-placeholder">Choose a question to edit it, or write a new one.</div>
            )}
          </div>
        </div>
      </main>
    </div>
  )
}
