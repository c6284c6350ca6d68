// Getting out of the code editor with the keyboard. In the editor Tab indents, so it would
// trap keyboard users; two ways out:
// - Ctrl+M (Monaco's "Tab moves focus", registered in monaco/setup.ts) switches Tab to moving
//   focus, for as long as it is on (the status bar says so);
// - Escape, then Tab (or Shift+Tab), moves focus to the next (previous) control of the page,
//   once, without typing anything.

import type * as Monaco from 'monaco-editor/editor/editor.api'
import { TabFocus } from 'monaco-editor/editor/browser/config/tabFocus'

type Editor = Monaco.editor.IStandaloneCodeEditor

const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), summary'

function visible(element: HTMLElement): boolean {
  return element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden'
}

/** The control Tab (or Shift+Tab) reaches from outside `container`, in document order. */
export function nextFocusable(container: HTMLElement, backwards: boolean, root: ParentNode = document): HTMLElement | null {
  const all = Array.from(root.querySelectorAll<HTMLElement>(TABBABLE)).filter(
    (element) => !container.contains(element) && element.tabIndex >= 0 && visible(element) && !element.closest('[inert]'),
  )
  if (backwards) {
    const before = all.filter((element) => container.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_PRECEDING)
    return before.at(-1) ?? null
  }
  return all.find((element) => container.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) ?? null
}

/** Escape-then-Tab leaves the editor. Returns dispose. */
export function attachEscapeThenTab(editor: Editor): () => void {
  const node = editor.getDomNode()
  if (!node) return () => {}
  let armed = false
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      armed = true
      return
    }
    if (event.key === 'Tab' && armed && !event.ctrlKey && !event.altKey && !event.metaKey) {
      armed = false
      // With "Tab moves focus" on, the browser moves focus itself.
      if (TabFocus.getTabFocusMode()) return
      const target = nextFocusable(node, event.shiftKey)
      if (target) {
        event.preventDefault()
        event.stopPropagation()
        target.focus()
      }
      return
    }
    if (!['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) armed = false
  }
  const onBlur = () => {
    armed = false
  }
  // Capture: before Monaco's own handler (which would indent).
  node.addEventListener('keydown', onKeyDown, true)
  node.addEventListener('focusout', onBlur)
  return () => {
    node.removeEventListener('keydown', onKeyDown, true)
    node.removeEventListener('focusout', onBlur)
  }
}

/** Whether Tab moves focus (Ctrl+M), live. */
export function tabMovesFocus(): boolean {
  return TabFocus.getTabFocusMode()
}

export function onTabMovesFocusChange(listener: (on: boolean) => void): () => void {
  const subscription = TabFocus.onDidChangeTabFocus(listener)
  return () => subscription.dispose()
}
