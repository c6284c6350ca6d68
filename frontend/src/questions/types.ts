// The question bank's shapes as the server sends them (sessions_app/questions.py,
// sessions_app/api/serializers.py). Candidates get `SessionQuestion` without hidden tests or
// guidance; interviewers and the bank get everything.

export type Difficulty = 'easy' | 'medium' | 'hard'
export const DIFFICULTIES: readonly Difficulty[] = ['easy', 'medium', 'hard']

/** A test case. With a function, `input` is the list of its arguments; without, stdin / stdout text. */
export interface TestCase {
  name: string
  input: unknown
  expected: unknown
  /** Interviewers only: candidates never receive hidden cases. */
  hidden?: boolean
}

/** A session's question as its reader may see it (`question` in GET /api/sessions/<id>/). */
export interface SessionQuestion {
  id: number
  title: string
  statement_html: string
  difficulty: Difficulty | string
  /** The function the tests call ("" = the program reads stdin and prints its answer). */
  function_name: string
  /** language id -> code */
  starter_code: Record<string, string>
  /** Candidates: the visible cases only. Interviewers: every case, with `hidden`. */
  tests: TestCase[]
  /** How many hidden cases exist (their content is the interviewers'). */
  hidden_tests: number
  // Interviewers only:
  tags?: string[]
  statement?: string
  guidance?: string
  guidance_html?: string
  author?: string | null
}

/** A line of the bank's list (GET /api/questions/). */
export interface QuestionSummary {
  id: number
  title: string
  difficulty: Difficulty | string
  tags: string[]
  /** Languages with starter code. */
  languages: string[]
}

/** A whole question of the bank (GET /api/questions/<id>/). */
export interface Question extends SessionQuestion {
  tags: string[]
  statement: string
  guidance: string
  guidance_html: string
  author: string | null
  created_at: string
  updated_at: string
}

/** What the bank's form sends (POST, PATCH). */
export interface QuestionInput {
  title: string
  statement: string
  difficulty: Difficulty
  tags: string[]
  function_name: string
  starter_code: Record<string, string>
  tests: TestCase[]
  guidance: string
}

export interface QuestionFilters {
  q?: string
  tag?: string
  difficulty?: string
  language?: string
}

/** `null` when the value is not a usable session question (an older server, a detached one). */
export function asSessionQuestion(value: unknown): SessionQuestion | null {
  if (value === null || typeof value !== 'object') return null
  const q = value as Record<string, unknown>
  if (typeof q.id !== 'number' || typeof q.title !== 'string') return null
  return {
    ...(q as unknown as SessionQuestion),
    statement_html: typeof q.statement_html === 'string' ? q.statement_html : '',
    function_name: typeof q.function_name === 'string' ? q.function_name : '',
    starter_code: q.starter_code && typeof q.starter_code === 'object' ? (q.starter_code as Record<string, string>) : {},
    tests: Array.isArray(q.tests) ? (q.tests as TestCase[]).filter((c) => c && typeof c === 'object' && typeof c.name === 'string') : [],
    hidden_tests: typeof q.hidden_tests === 'number' ? q.hidden_tests : 0,
  }
}

/** The cases a reader may run in its own browser as "visible", and the hidden ones (interviewers' copies only). */
export function splitCases(question: SessionQuestion): { visible: TestCase[]; hidden: TestCase[] } {
  return {
    visible: question.tests.filter((c) => !c.hidden),
    hidden: question.tests.filter((c) => c.hidden === true),
  }
}
