// The Monaco editor bound to the session's Y.Text through y-monaco. Monaco owns its DOM;
// React only provides the host element and passes language and theme changes on.

import { useEffect, useRef, useState } from 'react'
import { MonacoBinding } from 'y-monaco'
import type { PadConnection } from '../collab/padConnection'
import { RemoteCursorLabels } from '../collab/remoteCursorLabels'
import { attachLocalUndo } from '../collab/localUndo'
import { attachEscapeThenTab } from '../collab/editorKeyboard'
import { shareViewport } from '../collab/follow'
import { EditorKeyHint } from './EditorKeyHint'
import { useEverSynced, useParticipants } from '../hooks/usePad'
import { languageLabel, monacoLanguageFor } from '../languages'
import { CODE_EDITOR_LOOK, monaco } from '../monaco/setup'
import { remoteCursorCss } from '../presence'
import { monacoThemeFor, type Theme } from '../theme'

/** Test hook: browser tests drive and inspect the pad through this. */
export interface PadTestHook {
  doc: PadConnection['doc']
  provider: PadConnection['provider']
  editor: monaco.editor.IStandaloneCodeEditor
  monaco: typeof monaco
  binding: MonacoBinding
  sessionId: string
}

declare global {
  interface Window {
    __pad?: PadTestHook
  }
}

interface Props {
  pad: PadConnection
  language: string
  theme: Theme
  /** No typing: the interview has ended, or this is an observer. Remote edits still show. */
  readOnly?: boolean
  /** Shown when someone tries to type into the read-only editor. */
  readOnlyReason?: string
  /** The Monaco editor once bound (null before and after): follow mode drives it. */
  onEditor?: (editor: monaco.editor.IStandaloneCodeEditor | null) => void
}

export function CollaborativeEditor({ pad, language, theme, readOnly = false, readOnlyReason, onEditor }: Props) {
  const hostRef = useRef<HTMLDivElement>(null)
  const [bound, setBound] = useState<{ editor: monaco.editor.IStandaloneCodeEditor; binding: MonacoBinding } | null>(null)
  const synced = useEverSynced(pad)
  const participants = useParticipants(pad)
  // Read at creation time only; later changes arrive through the effects below.
  const initial = useRef({ language, theme, readOnly })

  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const model = monaco.editor.createModel('', monacoLanguageFor(initial.current.language))
    // Yjs and Monaco both assume \n; a pasted \r\n must not become two characters in the doc.
    model.setEOL(monaco.editor.EndOfLineSequence.LF)
    const editor = monaco.editor.create(host, {
      model,
      theme: monacoThemeFor(initial.current.theme),
      automaticLayout: true,
      ...CODE_EDITOR_LOOK,
      tabSize: 4,
      insertSpaces: true,
      smoothScrolling: true,
      fixedOverflowWidgets: true,
      'semanticHighlighting.enabled': false,
      readOnly: initial.current.readOnly,
    })
    const binding = new MonacoBinding(pad.code, model, new Set([editor]), pad.provider.awareness)
    const labels = new RemoteCursorLabels(monaco, editor, pad.code, pad.provider.awareness)
    // Issue 14: Ctrl+Z undoes only this person's edits; Escape then Tab leaves the editor;
    // where this editor is scrolled is shared (follow mode).
    const undo = attachLocalUndo(monaco, editor, pad.code, binding)
    const stopEscape = attachEscapeThenTab(editor)
    const stopSharing = shareViewport(editor, pad.code, pad.provider.awareness)
    setBound({ editor, binding })
    return () => {
      setBound(null)
      stopSharing()
      stopEscape()
      undo.dispose()
      labels.dispose()
      binding.destroy()
      editor.dispose()
      model.dispose()
    }
  }, [pad])

  useEffect(() => {
    const model = bound?.editor.getModel()
    if (model) monaco.editor.setModelLanguage(model, monacoLanguageFor(language))
  }, [bound, language])

  useEffect(() => {
    bound?.editor.updateOptions({
      readOnly,
      readOnlyMessage: { value: readOnlyReason || 'This editor is read-only.' },
    })
  }, [bound, readOnly, readOnlyReason])

  useEffect(() => {
    // setTheme is global to Monaco: it themes the notes editor as well.
    monaco.editor.setTheme(monacoThemeFor(theme))
  }, [theme])

  const ready = bound !== null && synced
  const editorCallback = useRef(onEditor)
  editorCallback.current = onEditor
  useEffect(() => {
    editorCallback.current?.(bound?.editor ?? null)
  }, [bound])
  useEffect(() => {
    if (!ready || !bound) return
    window.__pad = { doc: pad.doc, provider: pad.provider, editor: bound.editor, monaco, binding: bound.binding, sessionId: pad.sessionId }
    return () => {
      if (window.__pad?.editor === bound.editor) delete window.__pad
    }
  }, [ready, bound, pad])

  return (
    <div className="editor-frame">
      <style>{remoteCursorCss(participants)}</style>
      <div
        ref={hostRef}
        className="editor-host"
        data-testid="editor-ready"
        data-ready={ready ? 'true' : 'false'}
        data-readonly={readOnly ? 'true' : 'false'}
        aria-label={readOnly ? 'Code editor (read-only)' : 'Code editor'}
      />
      {!synced && <div className="editor-syncing">Loading the shared document…</div>}
      <footer className="statusbar">
        <span>{languageLabel(language)}</span>
        {readOnly && <span className="muted">read-only</span>}
        {bound && <CursorPosition editor={bound.editor} />}
        {bound && !readOnly && <EditorKeyHint />}
      </footer>
    </div>
  )
}

function CursorPosition({ editor }: { editor: monaco.editor.IStandaloneCodeEditor }) {
  const [position, setPosition] = useState(() => editor.getPosition())
  useEffect(() => {
    const subscription = editor.onDidChangeCursorPosition((event) => setPosition(event.position))
    return () => subscription.dispose()
  }, [editor])
  if (!position) return null
  return (
    <span className="muted">
      Ln {position.lineNumber}, Col {position.column}
    </span>
  )
}
