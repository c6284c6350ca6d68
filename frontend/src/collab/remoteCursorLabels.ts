// Name labels at remote carets, as real DOM so people and tests can read them. y-monaco
// draws the coloured caret and selection; we add who it is, without ever hiding text: a
// label shows for a moment when its person moves or types, and while the mouse is over
// their caret, placed where no text is (labelPlacement.ts); then only the caret stays.
// All labels live in one Monaco overlay widget, positioned in editor pixels.

import * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import type * as Monaco from 'monaco-editor/editor/editor.api'
import { participantFromState, readableTextColor } from '../presence'
import { placeLabel, type Rect, type Row } from './labelPlacement'

type Editor = Monaco.editor.IStandaloneCodeEditor
type Awareness = WebsocketProvider['awareness']

interface Label {
  node: HTMLElement
  /** The remote selection as last seen, to tell when its owner moved. */
  selectionKey: string
  /** Until when (ms, Date.now) the label shows after activity. */
  activeUntil: number
  hideTimer?: ReturnType<typeof setTimeout>
}

/** How long a label shows after its person moved or typed. */
export const LABEL_SHOW_MS = 2500
/** How near (px) the mouse must be to a caret to show its label. */
const HOVER_PX = 10
let widgetCount = 0

export class RemoteCursorLabels {
  private labels = new Map<number, Label>()
  private readonly root: HTMLElement
  private readonly widget: Monaco.editor.IOverlayWidget
  private readonly disposables: Monaco.IDisposable[] = []
  private readonly update = () => this.render()
  /** Where others just changed the text ([from, to] indices): whoever's caret is there typed. */
  private touched: [number, number][] = []
  private readonly onText = (event: Y.YTextEvent, transaction: Y.Transaction) => {
    if (!transaction.local) {
      let index = 0
      for (const op of event.delta) {
        if (op.retain !== undefined) index += op.retain
        else if (typeof op.insert === 'string') {
          this.touched.push([index, index + op.insert.length])
          index += op.insert.length
        } else if (op.delete !== undefined) this.touched.push([index, index])
      }
    }
    this.render()
  }
  private mouse: { x: number; y: number } | null = null
  private frame: ReturnType<typeof setTimeout> | undefined

  constructor(
    readonly monaco: typeof Monaco,
    private readonly editor: Editor,
    private readonly ytext: Y.Text,
    private readonly awareness: Awareness,
  ) {
    this.root = document.createElement('div')
    this.root.className = 'remote-cursor-labels'
    this.root.setAttribute('aria-hidden', 'true') // the people list says who is here
    const id = `remote-cursor-labels-${++widgetCount}`
    this.widget = { getId: () => id, getDomNode: () => this.root, getPosition: () => null }
    editor.addOverlayWidget(this.widget)
    awareness.on('change', this.update)
    ytext.observe(this.onText)
    this.disposables.push(
      editor.onDidScrollChange(() => this.schedule()),
      editor.onDidLayoutChange(() => this.schedule()),
      editor.onDidChangeModelContent(() => this.schedule()),
    )
    // The mouse, for showing a label while it is over its caret. (DOM events of the editor's
    // element: Monaco's own mouse-leave also fires when its content changes under the mouse.)
    const node = editor.getDomNode()
    if (node) {
      const onMove = (event: MouseEvent) => {
        const box = node.getBoundingClientRect()
        this.mouse = { x: event.clientX - box.left, y: event.clientY - box.top }
        this.schedule()
      }
      const onLeave = () => {
        this.mouse = null
        this.schedule()
      }
      node.addEventListener('mousemove', onMove)
      node.addEventListener('mouseleave', onLeave)
      this.disposables.push({
        dispose: () => {
          node.removeEventListener('mousemove', onMove)
          node.removeEventListener('mouseleave', onLeave)
        },
      })
    }
    this.render()
  }

  /** Render soon, once for a burst of scroll or mouse events. (A timer, not an animation
   * frame: frames do not run in a page the browser considers hidden.) */
  private schedule(): void {
    if (this.frame !== undefined) return
    this.frame = setTimeout(() => {
      this.frame = undefined
      this.render()
    }, 16)
  }

  private headIndex(selection: unknown): number | null {
    const head = (selection as { head?: unknown } | null)?.head
    const doc = this.ytext.doc
    if (!head || !doc) return null
    try {
      const abs = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(head), doc)
      return abs && abs.type === this.ytext ? abs.index : null
    } catch {
      return null // a malformed state from some client must not break the editor
    }
  }

  /** A visible line's box and the pixels its text spans; null when not on screen. */
  private row(lineNumber: number): Row | null {
    const model = this.editor.getModel()
    if (!model || lineNumber < 1 || lineNumber > model.getLineCount()) return null
    const lineTop = this.editor.getScrolledVisiblePosition({ lineNumber, column: 1 })
    if (!lineTop) return null
    const first = model.getLineFirstNonWhitespaceColumn(lineNumber)
    let text: Row['text'] = null
    if (first > 0) {
      const start = this.editor.getScrolledVisiblePosition({ lineNumber, column: first })
      const end = this.editor.getScrolledVisiblePosition({ lineNumber, column: model.getLineLastNonWhitespaceColumn(lineNumber) })
      if (start && end) text = { start: start.left, end: end.left }
    }
    return { top: lineTop.top, height: lineTop.height, text }
  }

  private render(): void {
    const selfId = this.awareness.clientID
    const seen = new Set<number>()
    const layout = this.editor.getLayoutInfo()
    const area = {
      left: layout.contentLeft,
      right: layout.contentLeft + layout.contentWidth - layout.verticalScrollbarWidth,
      top: 0,
      bottom: layout.height - layout.horizontalScrollbarHeight,
    }
    const taken: Rect[] = []
    const now = Date.now()
    this.awareness.getStates().forEach((state, clientId) => {
      if (clientId === selfId) return
      const person = participantFromState(clientId, state, selfId)
      const index = person && this.headIndex(state.selection)
      const model = this.editor.getModel()
      if (!person || index === null || !model) return
      const position = model.getPositionAt(index)
      seen.add(clientId)
      const label = this.labels.get(clientId) ?? this.add(clientId)
      label.node.textContent = person.name
      label.node.style.backgroundColor = person.color
      label.node.style.color = readableTextColor(person.color)
      const selectionKey = JSON.stringify(state.selection)
      // Activity: they moved, or the text changed right at their caret (they typed).
      const typed = this.touched.some(([from, to]) => index >= from - 1 && index <= to + 1)
      if (selectionKey !== label.selectionKey || typed) {
        label.selectionKey = selectionKey
        this.markActive(label, now)
      }
      const caret = this.editor.getScrolledVisiblePosition(position)
      const line = this.row(position.lineNumber)
      const hovered =
        caret !== null &&
        this.mouse !== null &&
        Math.abs(this.mouse.x - caret.left) <= HOVER_PX &&
        this.mouse.y >= caret.top &&
        this.mouse.y <= caret.top + caret.height
      const wanted = hovered || label.activeUntil > now
      const placement =
        wanted && caret && line
          ? placeLabel({
              caretX: caret.left,
              line,
              above: this.row(position.lineNumber - 1),
              below: this.row(position.lineNumber + 1),
              label: { width: label.node.offsetWidth, height: label.node.offsetHeight },
              area,
              taken,
            })
          : null
      if (placement) {
        taken.push(placement)
        label.node.style.transform = `translate(${Math.round(placement.left)}px, ${Math.round(placement.top)}px)`
      }
      label.node.classList.toggle('is-shown', placement !== null)
      label.node.dataset.visible = placement ? 'true' : 'false'
      label.node.dataset.placement = placement?.kind ?? (wanted ? 'none' : '')
    })
    this.touched = []
    for (const [clientId, label] of this.labels) {
      if (!seen.has(clientId)) {
        clearTimeout(label.hideTimer)
        label.node.remove()
        this.labels.delete(clientId)
      }
    }
  }

  private markActive(label: Label, now: number): void {
    label.activeUntil = now + LABEL_SHOW_MS
    clearTimeout(label.hideTimer)
    label.hideTimer = setTimeout(() => this.render(), LABEL_SHOW_MS + 20)
  }

  private add(clientId: number): Label {
    const node = document.createElement('div')
    node.className = 'remote-cursor-label'
    node.dataset.clientId = String(clientId)
    this.root.appendChild(node)
    const label: Label = { node, selectionKey: '', activeUntil: 0 }
    this.labels.set(clientId, label)
    return label
  }

  dispose(): void {
    clearTimeout(this.frame)
    this.awareness.off('change', this.update)
    this.ytext.unobserve(this.onText)
    this.disposables.forEach((disposable) => disposable.dispose())
    for (const label of this.labels.values()) clearTimeout(label.hideTimer)
    this.labels.clear()
    this.editor.removeOverlayWidget(this.widget)
  }
}
