// Per-person undo: Ctrl/Cmd+Z undoes only this person's own edits, never another
// person's. Monaco's own undo stack knows nothing of the edits y-monaco applies for others
// (so it would undo at stale offsets, or undo someone else's typing); a Yjs UndoManager
// scoped to this binding's transactions (y-monaco's local origin) replaces it, and the caret
// goes back to where the undone edit was.

import * as Y from 'yjs'
import type { MonacoBinding } from 'y-monaco'
import type * as Monaco from 'monaco-editor/editor/editor.api'

type Editor = Monaco.editor.IStandaloneCodeEditor

interface Caret {
  before: Y.RelativePosition | null
  after: Y.RelativePosition | null
}

export interface LocalUndo {
  undoManager: Y.UndoManager
  dispose(): void
}

export function attachLocalUndo(monaco: typeof Monaco, editor: Editor, ytext: Y.Text, binding: MonacoBinding): LocalUndo {
  const undoManager = new Y.UndoManager(ytext, { trackedOrigins: new Set([binding]), captureTimeout: 500 })
  const model = editor.getModel()

  const caretHere = (): Y.RelativePosition | null => {
    const position = editor.getPosition()
    if (!model || !position) return null
    return Y.createRelativePositionFromTypeIndex(ytext, model.getOffsetAt(position))
  }
  // Where the caret was before each undo step: y-monaco writes the edit to the doc (and the
  // UndoManager adds its step) before Monaco reports the caret's new position.
  let caretBefore: Y.RelativePosition | null = null
  const cursor = editor.onDidChangeCursorPosition(() => {
    caretBefore = caretHere()
  })
  const onAdded = ({ stackItem, type }: { stackItem: { meta: Map<string, unknown> }; type: 'undo' | 'redo' }) => {
    if (type === 'undo' && !stackItem.meta.has('caret')) stackItem.meta.set('caret', { before: caretBefore, after: null } as Caret)
  }
  const onPopped = ({ stackItem, type }: { stackItem: { meta: Map<string, unknown> }; type: 'undo' | 'redo' }) => {
    const caret = stackItem.meta.get('caret') as Caret | undefined
    const target = type === 'undo' ? caret?.before : (caret?.after ?? null)
    const doc = ytext.doc
    if (!target || !doc || !model) return
    const abs = Y.createAbsolutePositionFromRelativePosition(target, doc)
    if (abs && abs.type === ytext) {
      const position = model.getPositionAt(abs.index)
      editor.setPosition(position)
      editor.revealPositionInCenterIfOutsideViewport(position)
    }
  }
  undoManager.on('stack-item-added', onAdded)
  undoManager.on('stack-item-popped', onPopped)

  const { KeyMod, KeyCode } = monaco
  const run = (action: 'undo' | 'redo') => {
    if (editor.getOption(monaco.editor.EditorOption.readOnly)) return
    if (action === 'undo') undoManager.undo()
    else undoManager.redo()
  }
  // Keybindings of this editor (they win over Monaco's built-in undo and redo).
  editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyZ, () => run('undo'))
  editor.addCommand(KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.KeyZ, () => run('redo'))
  editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyY, () => run('redo'))
  // The browser's own undo (context menu, Edit menu, input events) must not reach Monaco's stack.
  const node = editor.getDomNode()
  const onBeforeInput = (event: InputEvent) => {
    if (event.inputType === 'historyUndo' || event.inputType === 'historyRedo') {
      event.preventDefault()
      run(event.inputType === 'historyUndo' ? 'undo' : 'redo')
    }
  }
  node?.addEventListener('beforeinput', onBeforeInput, true)

  return {
    undoManager,
    dispose() {
      node?.removeEventListener('beforeinput', onBeforeInput, true)
      cursor.dispose()
      undoManager.off('stack-item-added', onAdded)
      undoManager.off('stack-item-popped', onPopped)
      undoManager.destroy()
    },
  }
}
