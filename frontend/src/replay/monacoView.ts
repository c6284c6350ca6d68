// The replay's code in a read-only Monaco editor: highlighting, a caret to read by, and the
// same colours by author as the plain text it replaces once Monaco has loaded.

import { monacoLanguageFor } from '../languages'
import { CODE_EDITOR_LOOK, monaco } from '../monaco/setup'
import { monacoThemeFor, type Theme } from '../theme'
import type { ReplayView, ViewEvents } from './player'
import { minimalEdit, type PersonRun } from './timeline'

export class MonacoReplayView implements ReplayView {
  readonly kind = 'monaco'
  private readonly editor: monaco.editor.IStandaloneCodeEditor
  private readonly model: monaco.editor.ITextModel
  private readonly decorations: monaco.editor.IEditorDecorationsCollection
  private readonly subscriptions: monaco.IDisposable[]
  private language = ''

  constructor(host: HTMLElement, theme: Theme, events: ViewEvents) {
    this.model = monaco.editor.createModel('', 'plaintext')
    this.model.setEOL(monaco.editor.EndOfLineSequence.LF)
    this.editor = monaco.editor.create(host, {
      model: this.model,
      theme: monacoThemeFor(theme),
      readOnly: true,
      readOnlyMessage: { value: 'This is a replay: the code is shown as it was.' },
      automaticLayout: true,
      ...CODE_EDITOR_LOOK,
      fixedOverflowWidgets: true,
      'semanticHighlighting.enabled': false,
      ariaLabel: 'Code at this moment of the interview (read-only)',
    })
    this.decorations = this.editor.createDecorationsCollection()
    this.subscriptions = [
      this.editor.onMouseMove((event) => {
        const { target } = event
        const browser = event.event.browserEvent
        if (target.type !== monaco.editor.MouseTargetType.CONTENT_TEXT || !target.position) return events.hover(null, 0, 0)
        // The position is the caret nearest the pointer: the character under it is before or after.
        const caret = this.editor.getScrolledVisiblePosition(target.position)
        const box = this.editor.getDomNode()?.getBoundingClientRect()
        const before = caret && box ? browser.clientX - box.left < caret.left : false
        const offset = this.model.getOffsetAt(target.position)
        events.hover(before && target.position.column > 1 ? offset - 1 : offset, browser.clientX, browser.clientY)
      }),
      this.editor.onMouseLeave(() => events.hover(null, 0, 0)),
      this.editor.onDidChangeCursorPosition((event) => events.caret(this.model.getOffsetAt(event.position))),
    ]
  }

  render(code: string, language: string, runs: readonly PersonRun[]): void {
    const edit = minimalEdit(this.model.getValue(), code)
    if (edit) {
      const start = this.model.getPositionAt(edit.start)
      const end = this.model.getPositionAt(edit.end)
      this.model.applyEdits([{ range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column), text: edit.text }])
    }
    if (language !== this.language) {
      this.language = language
      monaco.editor.setModelLanguage(this.model, monacoLanguageFor(language))
    }
    this.decorations.set(
      runs.map((run) => {
        const start = this.model.getPositionAt(run.start)
        const end = this.model.getPositionAt(run.end)
        return {
          range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column),
          options: { inlineClassName: `replay-by replay-by-${run.person}` },
        }
      }),
    )
  }

  text(): string {
    return this.model.getValue()
  }

  setTheme(theme: Theme): void {
    monaco.editor.setTheme(monacoThemeFor(theme))
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose())
    this.decorations.clear()
    this.editor.dispose()
    this.model.dispose()
  }
}
