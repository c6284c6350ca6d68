// Name labels at each remote caret, as real DOM (Monaco content widgets) so people and
// tests can read them. y-monaco draws the caret and selection; we add who it is.

import * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import type * as Monaco from 'monaco-editor/editor/editor.api'
import { participantFromState, readableTextColor } from '../presence'

type Editor = Monaco.editor.IStandaloneCodeEditor
type Awareness = WebsocketProvider['awareness']

interface Label {
  widget: Monaco.editor.IContentWidget
  node: HTMLElement
  position: Monaco.IPosition
  /** The remote selection as last seen, to tell when its owner moved. */
  selectionKey: string
  idleTimer?: ReturnType<typeof setTimeout>
}

// A label fades (but stays in the DOM) once its owner stops moving, so it hides less code.
const IDLE_AFTER_MS = 3000

export class RemoteCursorLabels {
  private labels = new Map<number, Label>()
  private readonly update = () => this.render()

  constructor(
    private readonly monaco: typeof Monaco,
    private readonly editor: Editor,
    private readonly ytext: Y.Text,
    private readonly awareness: Awareness,
  ) {
    awareness.on('change', this.update)
    ytext.observe(this.update)
    this.render()
  }

  private headPosition(selection: unknown): Monaco.IPosition | null {
    const head = (selection as { head?: unknown } | null)?.head
    const model = this.editor.getModel()
    const doc = this.ytext.doc
    if (!head || !model || !doc) return null
    try {
      const abs = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(head), doc)
      if (!abs || abs.type !== this.ytext) return null
      return model.getPositionAt(abs.index)
    } catch {
      return null // a malformed state from some client must not break the editor
    }
  }

  private render(): void {
    const selfId = this.awareness.clientID
    const seen = new Set<number>()
    this.awareness.getStates().forEach((state, clientId) => {
      if (clientId === selfId) return
      const person = participantFromState(clientId, state, selfId)
      const position = person && this.headPosition(state.selection)
      if (!person || !position) return
      seen.add(clientId)
      let label = this.labels.get(clientId)
      if (!label) label = this.add(clientId, position)
      label.node.textContent = person.name
      label.node.title = person.role ? `${person.name} (${person.role})` : person.name
      label.node.style.backgroundColor = person.color
      label.node.style.color = readableTextColor(person.color)
      label.position = position
      const selectionKey = JSON.stringify(state.selection)
      if (selectionKey !== label.selectionKey) {
        label.selectionKey = selectionKey
        this.markActive(label)
      }
      this.editor.layoutContentWidget(label.widget)
    })
    for (const [clientId, label] of this.labels) {
      if (!seen.has(clientId)) {
        clearTimeout(label.idleTimer)
        this.editor.removeContentWidget(label.widget)
        this.labels.delete(clientId)
      }
    }
  }

  private markActive(label: Label): void {
    label.node.classList.remove('idle')
    clearTimeout(label.idleTimer)
    label.idleTimer = setTimeout(() => label.node.classList.add('idle'), IDLE_AFTER_MS)
  }

  private add(clientId: number, position: Monaco.IPosition): Label {
    const node = document.createElement('div')
    node.className = 'remote-cursor-label'
    node.dataset.clientId = String(clientId)
    const { ABOVE, BELOW } = this.monaco.editor.ContentWidgetPositionPreference
    const label: Label = {
      node,
      position,
      selectionKey: '',
      widget: {
        getId: () => `remote-cursor-label-${clientId}`,
        getDomNode: () => node,
        getPosition: () => ({ position: label.position, preference: [ABOVE, BELOW] }),
      },
    }
    this.labels.set(clientId, label)
    this.editor.addContentWidget(label.widget)
    return label
  }

  dispose(): void {
    this.awareness.off('change', this.update)
    this.ytext.unobserve(this.update)
    for (const label of this.labels.values()) {
      clearTimeout(label.idleTimer)
      this.editor.removeContentWidget(label.widget)
    }
    this.labels.clear()
  }
}
