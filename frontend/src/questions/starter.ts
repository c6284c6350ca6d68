// Starter code when the session's language changes: if nobody has written anything yet
// (the editor is empty or holds some language's starter code), the new language's starter
// goes in; otherwise the person who switched is offered it. Only the switching browser acts,
// so two pages never both replace the text (their edits would merge into two copies).

import type * as Y from 'yjs'

function same(a: string, b: string): boolean {
  const tidy = (text: string) => text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').trim()
  return tidy(a) === tidy(b)
}

/** Nothing written yet: empty, or exactly one of the question's starter codes. */
export function isUntouched(code: string, starters: Record<string, string>): boolean {
  if (code.trim() === '') return true
  return Object.values(starters).some((starter) => typeof starter === 'string' && same(code, starter))
}

export type StarterAction = { action: 'none' } | { action: 'put'; code: string } | { action: 'offer'; code: string }

/** What to do with the code when the language becomes `language`. */
export function starterOnSwitch(code: string, starters: Record<string, string>, language: string): StarterAction {
  const starter = starters[language]
  if (typeof starter !== 'string' || starter === '' || same(code, starter)) return { action: 'none' }
  return isUntouched(code, starters) ? { action: 'put', code: starter } : { action: 'offer', code: starter }
}

/** Replace the whole text in one transaction (one change for everyone, one undo step). */
export function replaceCode(doc: Y.Doc, text: Y.Text, code: string): void {
  doc.transact(() => {
    if (text.length > 0) text.delete(0, text.length)
    text.insert(0, code)
  })
}
