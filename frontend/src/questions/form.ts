// The bank's editing form as plain state, and its conversion to what the server takes:
// tags as one comma-separated line, starter code as rows, test cases as text (JSON for a
// function's arguments and expected value; raw text for stdin/stdout). The server validates
// again and has the last word; this catches what the form itself can tell.

import { DIFFICULTIES, type Difficulty, type Question, type QuestionInput } from './types'

export interface CaseRow {
  key: number
  name: string
  input: string
  expected: string
  hidden: boolean
}

export interface StarterRow {
  language: string
  code: string
}

export interface QuestionForm {
  title: string
  difficulty: Difficulty
  tags: string
  functionName: string
  statement: string
  starters: StarterRow[]
  cases: CaseRow[]
  guidance: string
}

let keys = 0
export const nextKey = () => ++keys

export function emptyForm(): QuestionForm {
  return {
    title: '',
    difficulty: 'medium',
    tags: '',
    functionName: '',
    statement: '',
    starters: [{ language: 'python', code: '' }],
    cases: [{ key: nextKey(), name: 'example', input: '', expected: '', hidden: false }],
    guidance: '',
  }
}

/** A value as the form shows it: JSON for a function's arguments, the text itself for stdin. */
function asText(value: unknown, json: boolean): string {
  if (!json && typeof value === 'string') return value
  return JSON.stringify(value) ?? ''
}

export function formFromQuestion(question: Question): QuestionForm {
  const json = question.function_name !== ''
  return {
    title: question.title,
    difficulty: (DIFFICULTIES as readonly string[]).includes(question.difficulty) ? (question.difficulty as Difficulty) : 'medium',
    tags: question.tags.join(', '),
    functionName: question.function_name,
    statement: question.statement,
    starters: Object.entries(question.starter_code).map(([language, code]) => ({ language, code })),
    cases: question.tests.map((c) => ({
      key: nextKey(),
      name: c.name,
      input: asText(c.input, json),
      expected: asText(c.expected, json),
      hidden: c.hidden === true,
    })),
    guidance: question.guidance,
  }
}

export type FormErrors = Partial<Record<'title' | 'statement' | 'tags' | 'function_name' | 'starter_code' | 'tests', string>> & {
  /** Per case row (by key): what is wrong with it. */
  cases?: Record<number, string>
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}

/** The form as the server's body, or what to fix first. */
export function questionFromForm(form: QuestionForm): { ok: true; input: QuestionInput } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {}
  const caseErrors: Record<number, string> = {}
  const functionName = form.functionName.trim()
  if (!form.title.trim()) errors.title = 'A question needs a title.'
  if (!form.statement.trim()) errors.statement = 'Write the statement the candidate reads.'
  if (functionName && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(functionName)) errors.function_name = 'A function name: letters, digits and _ (not first).'
  const tags = form.tags
    .split(',')
    .map((tag) => tag.trim().toLowerCase())
    .filter(Boolean)
  const starterCode: Record<string, string> = {}
  for (const row of form.starters) {
    if (row.language in starterCode) errors.starter_code = `Two starter codes for ${row.language}: keep one.`
    starterCode[row.language] = row.code
  }
  const names = new Set<string>()
  const tests = form.cases.map((row) => {
    const name = row.name.trim()
    if (!name) caseErrors[row.key] = 'Give the case a name.'
    else if (names.has(name)) caseErrors[row.key] = `Another case is called “${name}”.`
    names.add(name)
    if (!functionName) return { name, input: row.input, expected: row.expected, hidden: row.hidden }
    const input = parseJson(row.input.trim() || '[]')
    const expected = parseJson(row.expected.trim())
    if (!input.ok) caseErrors[row.key] ??= `Arguments: not JSON (${input.message}).`
    else if (!Array.isArray(input.value)) caseErrors[row.key] ??= `Arguments: a JSON list of the arguments of ${functionName}, e.g. [[1, 2], 3].`
    if (!expected.ok) caseErrors[row.key] ??= `Expected: not JSON (${expected.message}); text goes in "quotes".`
    return { name, input: input.ok ? input.value : null, expected: expected.ok ? expected.value : null, hidden: row.hidden }
  })
  if (Object.keys(caseErrors).length) errors.cases = caseErrors
  if (Object.keys(errors).length) return { ok: false, errors }
  return {
    ok: true,
    input: {
      title: form.title.trim(),
      statement: form.statement,
      difficulty: form.difficulty,
      tags,
      function_name: functionName,
      starter_code: starterCode,
      tests,
      guidance: form.guidance,
    },
  }
}
