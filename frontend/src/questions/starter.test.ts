import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { isUntouched, replaceCode, starterOnSwitch } from './starter'

const starters = {
  python: 'def two_sum(nums, target):\n    pass\n',
  javascript: 'function twoSum(nums, target) {\n}\n',
}

describe('starter code on a language switch', () => {
  it('puts the new starter in when nothing was written', () => {
    expect(isUntouched('', starters)).toBe(true)
    expect(isUntouched('  \n', starters)).toBe(true)
    expect(isUntouched('def two_sum(nums, target):   \n    pass', starters)).toBe(true) // trailing spaces do not count
    expect(starterOnSwitch(starters.python, starters, 'javascript')).toEqual({ action: 'put', code: starters.javascript })
    expect(starterOnSwitch('', starters, 'javascript')).toEqual({ action: 'put', code: starters.javascript })
  })

  it('offers it when the code is someone’s own, and does nothing without a starter', () => {
    const written = 'def two_sum(nums, target):\n    return [0, 1]\n'
    expect(isUntouched(written, starters)).toBe(false)
    expect(starterOnSwitch(written, starters, 'javascript')).toEqual({ action: 'offer', code: starters.javascript })
    expect(starterOnSwitch(starters.python, starters, 'ruby')).toEqual({ action: 'none' })
    expect(starterOnSwitch(starters.javascript, starters, 'javascript')).toEqual({ action: 'none' })
  })

  it('replaces the text in one transaction', () => {
    const doc = new Y.Doc()
    const text = doc.getText('code')
    text.insert(0, 'old')
    let updates = 0
    doc.on('update', () => updates++)
    replaceCode(doc, text, 'new code')
    expect(text.toString()).toBe('new code')
    expect(updates).toBe(1)
  })
})
