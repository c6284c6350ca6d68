import { describe, expect, it } from 'vitest'
import { ApiError } from '../api'
import { fieldErrors, questionQuery } from './api'
import { emptyForm, formFromQuestion, questionFromForm, type QuestionForm } from './form'
import type { Question } from './types'

const question: Question = {
  id: 3,
  title: 'Two sum',
  statement: 'Find them.',
  statement_html: '<p>Find them.</p>',
  difficulty: 'easy',
  tags: ['arrays', 'hash map'],
  function_name: 'two_sum',
  starter_code: { python: 'def two_sum(nums, target):\n    pass\n' },
  tests: [
    { name: 'example', input: [[2, 7], 9], expected: [0, 1], hidden: false },
    { name: 'dupes', input: [[3, 3], 6], expected: [0, 1], hidden: true },
  ],
  hidden_tests: 1,
  guidance: 'Hash map.',
  guidance_html: '<p>Hash map.</p>',
  author: 'alice',
  created_at: '',
  updated_at: '',
}

describe('the bank form', () => {
  it('round-trips a function question', () => {
    const form = formFromQuestion(question)
    expect(form.tags).toBe('arrays, hash map')
    expect(form.cases.map((c) => [c.input, c.expected, c.hidden])).toEqual([
      ['[[2,7],9]', '[0,1]', false],
      ['[[3,3],6]', '[0,1]', true],
    ])
    const back = questionFromForm(form)
    expect(back).toEqual({
      ok: true,
      input: {
        title: 'Two sum',
        statement: 'Find them.',
        difficulty: 'easy',
        tags: ['arrays', 'hash map'],
        function_name: 'two_sum',
        starter_code: question.starter_code,
        tests: question.tests,
        guidance: 'Hash map.',
      },
    })
  })

  it('keeps stdin/stdout cases as text', () => {
    const form: QuestionForm = { ...emptyForm(), title: 'Words', statement: 'Count.', functionName: '' }
    form.cases[0] = { ...form.cases[0], input: 'a b\n', expected: 'a 1\nb 1\n' }
    const result = questionFromForm(form)
    expect(result.ok && result.input.tests).toEqual([{ name: 'example', input: 'a b\n', expected: 'a 1\nb 1\n', hidden: false }])
  })

  it('says what to fix, per field and per case', () => {
    const form: QuestionForm = { ...emptyForm(), functionName: '2bad' }
    form.cases = [
      { key: 1, name: 'a', input: '[1,', expected: '1', hidden: false },
      { key: 2, name: 'a', input: '[1]', expected: 'x', hidden: false },
      { key: 3, name: 'c', input: '{"a": 1}', expected: '1', hidden: false },
    ]
    const result = questionFromForm(form)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(Object.keys(result.errors).sort()).toEqual(['cases', 'function_name', 'statement', 'title'])
    expect(result.errors.cases![1]).toMatch(/^Arguments: not JSON/)
    expect(result.errors.cases![2]).toMatch(/Another case is called “a”/)
    expect(result.errors.cases![3]).toMatch(/a JSON list of the arguments/)
  })
})

describe('question REST helpers', () => {
  it('builds the filter query, leaving empty filters out', () => {
    expect(questionQuery({})).toBe('')
    expect(questionQuery({ q: ' two sum ', tag: '', difficulty: 'easy', language: 'python' })).toBe('?q=two+sum&difficulty=easy&language=python')
  })

  it('splits a refusal into field errors and the rest', () => {
    const body = { detail: 'tests: test case 1 needs an input', errors: { tests: ['test case 1 needs an input'], starter_code: ["unknown language 'cobol'"], other: ['x'] } }
    expect(fieldErrors(new ApiError(400, 'tests: ...', body), ['tests', 'starter_code'])).toEqual({
      fields: { tests: 'test case 1 needs an input', starter_code: "unknown language 'cobol'" },
      general: 'other: x',
    })
    expect(fieldErrors(new ApiError(403, 'Authentication credentials were not provided.', { detail: 'Authentication credentials were not provided.' }), ['tests'])).toEqual({
      fields: {},
      general: 'Authentication credentials were not provided.',
    })
    expect(fieldErrors(new TypeError('fetch failed'), []).general).toBe('Could not reach the server.')
  })
})
