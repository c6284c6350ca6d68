// Follow mode (as in VS Code Live Share): everyone publishes where their editor is scrolled
// (awareness field `viewport`: the first visible line as a Yjs relative position, so it
// stays right while others edit above it); a follower's editor scrolls with the followed
// person and keeps their caret in view. Any own scrolling, clicking, navigating or editing
// stops following.

import * as Y from 'yjs'
import type * as Monaco from 'monaco-editor/editor/editor.api'
import type { Awareness } from 'y-protocols/awareness'

type Editor = Monaco.editor.IStandaloneCodeEditor

export const VIEWPORT_FIELD = 'viewport'
// Scrolling publishes at most this often (awareness goes to everyone in the session).
const PUBLISH_INTERVAL_MS = 200

function absoluteIndex(json: unknown, ytext: Y.Text): number | null {
  if (!json || typeof json !== 'object') return null
  try {
    const doc = ytext.doc
    const abs = doc && Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(json), doc)
    return abs && abs.type === ytext ? abs.index : null
  } catch {
    return null // a malformed state from some client must not break the editor
  }
}

/** Publish this editor's first visible line in awareness, throttled. Returns dispose. */
export function shareViewport(editor: Editor, ytext: Y.Text, awareness: Awareness): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let last = ''
  const publish = () => {
    timer = undefined
    const model = editor.getModel()
    const range = editor.getVisibleRanges()[0]
    if (!model || !range || awareness.getLocalState() === null) return
    const offset = model.getOffsetAt({ lineNumber: range.startLineNumber, column: 1 })
    const top = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(ytext, offset))
    const key = `${range.startLineNumber}:${JSON.stringify(top)}`
    if (key === last) return
    last = key
    awareness.setLocalStateField(VIEWPORT_FIELD, { top })
  }
  const schedule = () => {
    if (timer === undefined) timer = setTimeout(publish, PUBLISH_INTERVAL_MS)
  }
  const scroll = editor.onDidScrollChange((event) => {
    if (event.scrollTopChanged) schedule()
  })
  const layout = editor.onDidLayoutChange(schedule)
  schedule()
  return () => {
    clearTimeout(timer)
    scroll.dispose()
    layout.dispose()
  }
}

const NAVIGATION_KEYS = new Set(['PageUp', 'PageDown', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'])

/**
 * Bring `position` into view, unless the scroll position just set already shows it. (Monaco's
 * "reveal if outside the viewport" judges by the viewport as last rendered: right after a
 * scroll it would re-centre a caret that the new position shows at its top.)
 */
function revealCaret(editor: Editor, position: Monaco.IPosition, scrollType: Monaco.editor.ScrollType): void {
  const top = editor.getScrollTop()
  const layout = editor.getLayoutInfo()
  const shown =
    editor.getTopForLineNumber(position.lineNumber) >= top && editor.getBottomForLineNumber(position.lineNumber) <= top + layout.height
  if (!shown) {
    editor.revealPositionInCenter(position, scrollType)
    return
  }
  // In view vertically: scroll sideways only when the caret is off to one side of a long line.
  const x = editor.getOffsetForColumn(position.lineNumber, position.column)
  if (x < 0) return
  const left = editor.getScrollLeft()
  if (x < left || x > left + layout.contentWidth) editor.setScrollLeft(Math.max(0, x - layout.contentWidth / 2), scrollType)
}

/**
 * Keep `editor` scrolled where `clientId` is: their first visible line at the top, their
 * caret in view. `onStop` is called once when following ends by itself: the person left,
 * or this person scrolled, clicked, navigated or edited. Returns dispose (no `onStop`).
 */
export function followPerson(
  editor: Editor,
  ytext: Y.Text,
  awareness: Awareness,
  clientId: number,
  onStop: () => void,
  scrollImmediate: Monaco.editor.ScrollType,
): () => void {
  let stopped = false
  const follow = () => {
    if (stopped) return
    const state = awareness.getStates().get(clientId) as Record<string, unknown> | undefined
    if (!state) {
      stop()
      return
    }
    const model = editor.getModel()
    if (!model) return
    const viewport = state[VIEWPORT_FIELD] as { top?: unknown } | undefined
    const topIndex = absoluteIndex(viewport?.top, ytext)
    if (topIndex !== null) {
      const line = model.getPositionAt(topIndex).lineNumber
      editor.setScrollTop(editor.getTopForLineNumber(line), scrollImmediate)
    }
    const head = absoluteIndex((state.selection as { head?: unknown } | null | undefined)?.head, ytext)
    if (head !== null) revealCaret(editor, model.getPositionAt(head), scrollImmediate)
  }
  const stop = () => {
    if (stopped) return
    dispose()
    onStop()
  }
  const node = editor.getDomNode()
  const onKey = (event: KeyboardEvent) => {
    if (NAVIGATION_KEYS.has(event.key)) stop()
  }
  const onEdit = (_event: Y.YTextEvent, transaction: Y.Transaction) => {
    if (transaction.local) stop()
    else follow()
  }
  const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    if (removed.includes(clientId)) stop()
    else if (added.includes(clientId) || updated.includes(clientId)) follow()
  }
  // Capturing: Monaco's scrollable element stops the wheel events it scrolls by.
  node?.addEventListener('wheel', stop, { passive: true, capture: true })
  node?.addEventListener('mousedown', stop, true)
  node?.addEventListener('touchstart', stop, { passive: true, capture: true })
  node?.addEventListener('keydown', onKey, true)
  ytext.observe(onEdit)
  awareness.on('change', onAwareness)
  const dispose = () => {
    stopped = true
    node?.removeEventListener('wheel', stop, true)
    node?.removeEventListener('mousedown', stop, true)
    node?.removeEventListener('touchstart', stop, true)
    node?.removeEventListener('keydown', onKey, true)
    ytext.unobserve(onEdit)
    awareness.off('change', onAwareness)
  }
  follow()
  return dispose
}
