// The status bar's keyboard hint: how to leave the editor, and whether Tab moves focus.

import { useSyncExternalStore } from 'react'
import { onTabMovesFocusChange, tabMovesFocus } from '../collab/editorKeyboard'

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
const TOGGLE = IS_MAC ? 'Ctrl+Shift+M' : 'Ctrl+M'

export function EditorKeyHint() {
  const on = useSyncExternalStore(onTabMovesFocusChange, tabMovesFocus, () => false)
  return (
    <span className={`key-hint${on ? ' is-on' : ''}`} data-testid="tab-focus-hint" data-on={on ? 'true' : 'false'} aria-live="polite">
      {on ? (
        <>
          Tab moves focus · <kbd>{TOGGLE}</kbd> to indent with Tab again
        </>
      ) : (
        <>
          <kbd>Esc</kbd> <kbd>Tab</kbd> leaves the editor · <kbd>{TOGGLE}</kbd>: Tab moves focus
        </>
      )}
    </span>
  )
}
