// REST calls of the question bank (signed-in interviewers only) and of a live session's
// question (its interviewers, signed in). Errors are ApiErrors like every other call.

import { ApiError, request, type Session } from '../api'
import type { Question, QuestionFilters, QuestionInput, QuestionSummary } from './types'

/** `?q=&tag=&difficulty=&language=`, empty filters left out. */
export function questionQuery(filters: QuestionFilters): string {
  const params = new URLSearchParams()
  for (const key of ['q', 'tag', 'difficulty', 'language'] as const) {
    const value = filters[key]?.trim()
    if (value) params.set(key, value)
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

export const listQuestions = (filters: QuestionFilters = {}) =>
  request<QuestionSummary[] | { results: QuestionSummary[] }>('GET', `/api/questions/${questionQuery(filters)}`).then((body) =>
    Array.isArray(body) ? body : (body?.results ?? []),
  )

export const getQuestion = (id: number) => request<Question>('GET', `/api/questions/${id}/`)
export const createQuestion = (input: QuestionInput) => request<Question>('POST', '/api/questions/', input)
export const updateQuestion = (id: number, input: Partial<QuestionInput>) => request<Question>('PATCH', `/api/questions/${id}/`, input)
export const deleteQuestion = (id: number) => request<null>('DELETE', `/api/questions/${id}/`)

/** Switch a live session to another question (or none); `replaceCode` puts its starter code in the editor. */
export const setSessionQuestion = (sessionId: string, question: number | null, replaceCode: boolean) =>
  request<Session>('POST', `/api/sessions/${encodeURIComponent(sessionId)}/question`, { question, replace_code: replaceCode })

/**
 * A refusal's field errors, `{field: "message"}` (the server's `{"detail", "errors": {"tests":
 * ["..."]}}`), and the rest as one line (`detail`, or a field the form does not show).
 */
export function fieldErrors(err: unknown, fields: readonly string[]): { fields: Record<string, string>; general: string | null } {
  if (!(err instanceof ApiError)) return { fields: {}, general: 'Could not reach the server.' }
  const body = err.body as { errors?: unknown } | null
  const errors = body && typeof body === 'object' ? body.errors : null
  if (!errors || typeof errors !== 'object' || Array.isArray(errors)) return { fields: {}, general: err.detail }
  const found: Record<string, string> = {}
  const other: string[] = []
  for (const [field, value] of Object.entries(errors as Record<string, unknown>)) {
    const text = Array.isArray(value) ? value.map(String).join(' ') : typeof value === 'string' ? value : JSON.stringify(value)
    if (fields.includes(field)) found[field] = text
    else other.push(field === 'non_field_errors' ? text : `${field}: ${text}`)
  }
  return { fields: found, general: other.length ? other.join('; ') : null }
}
