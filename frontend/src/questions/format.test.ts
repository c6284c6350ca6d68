import { describe, expect, it } from 'vitest'
import { callText, caseInputText, expectedText } from './format'
import type { SessionQuestion } from './types'

const question: SessionQuestion = {
  id: 1,
  title: 'Two sum',
  statement_html: '',
  difficulty: 'easy',
  function_name: 'two_sum',
  starter_code: {},
  tests: [{ name: 'example', input: [[2, 7], 9], expected: [0, 1] }],
  hidden_tests: 0,
}

describe('case text', () => {
  it('shows a function case as a call, a stdin case as its text', () => {
    expect(callText('two_sum', [[2, 7], 9])).toBe('two_sum([2,7], 9)')
    expect(callText('', 'a b\n')).toBe('a b\n')
    expect(expectedText('', 'x\n')).toBe('x\n')
    expect(expectedText('f', 'x')).toBe('"x"')
  })

  it('finds a result’s input only in the question it came from', () => {
    expect(caseInputText(question, 'example', '[0,1]')).toBe('two_sum([2,7], 9)')
    expect(caseInputText(question, 'example')).toBe('two_sum([2,7], 9)')
    // Same case name, another question's expected value: not this input.
    expect(caseInputText(question, 'example', '[[1,6]]')).toBeNull()
    expect(caseInputText(question, 'other', '[0,1]')).toBeNull()
    expect(caseInputText(null, 'example')).toBeNull()
  })
})
