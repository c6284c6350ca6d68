// How a question's cases read on screen: a function call with its arguments, or the input
// text of a stdin/stdout case.

import { clip, showValue } from '../run/tests/results'
import type { SessionQuestion, TestCase } from './types'

/** `two_sum([2,7,11,15], 9)`, or the stdin text. */
export function callText(functionName: string, input: unknown): string {
  if (!functionName) return typeof input === 'string' ? input : showValue(input)
  const args = Array.isArray(input) ? input : [input]
  return `${functionName}(${args.map(showValue).join(', ')})`
}

export function expectedText(functionName: string, expected: unknown): string {
  return !functionName && typeof expected === 'string' ? expected : showValue(expected)
}

/**
 * The input of the case called `name` of `question`, for a result that expected `expected`
 * (null when this reader has no such case, or the result is from another question: runs
 * outlive a switch of question, and case names like "example" recur).
 */
export function caseInputText(question: SessionQuestion | null, name: string, expected?: string): string | null {
  const found = question?.tests.find((c: TestCase) => c.name === name)
  if (!found) return null
  if (expected !== undefined && clip(expectedText(question!.function_name, found.expected)) !== expected) return null
  return clip(callText(question!.function_name, found.input))
}

export const DIFFICULTY_LABELS: Record<string, string> = { easy: 'Easy', medium: 'Medium', hard: 'Hard' }

export function difficultyLabel(difficulty: string): string {
  return DIFFICULTY_LABELS[difficulty] ?? difficulty
}
