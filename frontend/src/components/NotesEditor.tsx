// The interviewers' private notes: a second Monaco editor bound (y-monaco) to the notes
// document's Text("notes"), so every interviewer of the session edits them live and sees
// the others' cursors. Rendered for interviewers only; nobody else ever connects to it.

import { useEffect, useRef, useState } from 'react'
import { MonacoBinding } from 'y-monaco'
import type { NotesConnection } from '../collab/padConnection'
import { RemoteCursorLabels } from '../collab/remoteCursorLabels'
import { useEverSynced, useParticipants } from '../hooks/usePad'
import { monaco } from '../monaco/setup'
import { remoteCursorCss } from '../presence'

/** Test hook for the notes (interviewers' pages only). */
export interface NotesTestHook {
  doc: NotesConnection['doc']
  provider: NotesConnection['provider']
  editor: monaco.editor.IStandaloneCodeEditor
}

declare global {
  interface Window {
    __notes?: NotesTestHook
  }
}

export function NotesEditor({ notes }: { notes: NotesConnection }) {
  const hostRef = useRef<HTMLDivElement>(null)
  const [editor, setEditor] = useState<monaco.editor.IStandaloneCodeEditor | null>(null)
  const synced = useEverSynced(notes)
  const participants = useParticipants(notes)

  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const model = monaco.editor.createModel('', 'markdown')
    model.setEOL(monaco.editor.EndOfLineSequence.LF)
    const created = monaco.editor.create(host, {
      model,
      automaticLayout: true,
      fontSize: 13,
      lineHeight: 20,
      wordWrap: 'on',
      lineNumbers: 'off',
      glyphMargin: false,
      folding: false,
      lineDecorationsWidth: 8,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      renderLineHighlight: 'none',
      overviewRulerLanes: 0,
      scrollbar: { verticalScrollbarSize: 8, horizontal: 'hidden' },
      padding: { top: 8, bottom: 8 },
      fixedOverflowWidgets: true,
      quickSuggestions: false,
      wordBasedSuggestions: 'off',
      ariaLabel: 'Private interviewer notes',
    })
    const binding = new MonacoBinding(notes.notes, model, new Set([created]), notes.provider.awareness)
    const labels = new RemoteCursorLabels(monaco, created, notes.notes, notes.provider.awareness)
    setEditor(created)
    return () => {
      setEditor(null)
      labels.dispose()
      binding.destroy()
      created.dispose()
      model.dispose()
    }
  }, [notes])

  const ready = editor !== null && synced
  useEffect(() => {
    if (!ready || !editor) return
    window.__notes = { doc: notes.doc, provider: notes.provider, editor }
    return () => {
      if (window.__notes?.editor === editor) delete window.__notes
    }
  }, [ready, editor, notes])

  return (
    <div className="notes-frame">
      <style>{remoteCursorCss(participants)}</style>
      <div ref={hostRef} className="notes-editor" data-testid="notes-editor" data-ready={ready ? 'true' : 'false'} />
      {!synced && <div className="editor-syncing">Loading the notes…</div>}
    </div>
  )
}
