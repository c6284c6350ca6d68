// The replay's code as plain text, coloured by author: what the replay shows while Monaco (a
// few megabytes to parse and run) is still loading, so that it is readable and scrubbable
// at once. Laid out like the editor that replaces it (CODE_FONT; the gutter in styles.css).

import { CODE_FONT } from '../monaco/look'
import type { Theme } from '../theme'
import type { ReplayView, ViewEvents } from './player'
import type { PersonRun } from './timeline'

export class TextReplayView implements ReplayView {
  readonly kind = 'text'
  private readonly root: HTMLDivElement
  private readonly gutter: HTMLPreElement
  private readonly body: HTMLPreElement
  private shown = ''
  private lines = 0

  constructor(host: HTMLElement, events: ViewEvents) {
    this.root = document.createElement('div')
    this.root.className = 'replay-text'
    this.root.tabIndex = 0 // a scrollable region is reachable from the keyboard
    this.root.setAttribute('role', 'region')
    this.root.setAttribute('aria-label', 'Code at this moment of the interview (read-only)')
    this.gutter = document.createElement('pre')
    this.gutter.className = 'replay-text-gutter'
    this.gutter.setAttribute('aria-hidden', 'true')
    this.body = document.createElement('pre')
    this.body.className = 'replay-text-code'
    const { fontFamily, fontSize, lineHeight, padding } = CODE_FONT
    Object.assign(this.root.style, { fontFamily, fontSize: `${fontSize}px`, lineHeight: `${lineHeight}px` })
    for (const pre of [this.gutter, this.body]) pre.style.padding = `${padding.top}px 0 ${padding.bottom}px`
    this.root.append(this.gutter, this.body)
    this.body.addEventListener('mousemove', (event) => events.hover(this.offsetUnder(event), event.clientX, event.clientY))
    this.body.addEventListener('mouseleave', () => events.hover(null, 0, 0))
    host.append(this.root)
  }

  render(code: string, _language: string, runs: readonly PersonRun[]): void {
    this.shown = code
    // Every piece is a span that knows its offset: the pointer's character is found from it.
    const pieces: HTMLSpanElement[] = []
    const piece = (start: number, end: number, person: number | null) => {
      const span = document.createElement('span')
      span.dataset.offset = String(start)
      span.textContent = code.slice(start, end)
      if (person !== null) span.className = `replay-by replay-by-${person}`
      pieces.push(span)
    }
    let at = 0
    for (const run of runs) {
      if (run.start > at) piece(at, run.start, null)
      piece(run.start, run.end, run.person)
      at = run.end
    }
    if (at < code.length) piece(at, code.length, null)
    this.body.replaceChildren(...pieces)
    let lines = 1
    for (let i = code.indexOf('\n'); i >= 0; i = code.indexOf('\n', i + 1)) lines++
    if (lines !== this.lines) {
      this.lines = lines
      this.gutter.textContent = Array.from({ length: lines }, (_, i) => String(i + 1)).join('\n')
    }
  }

  /** The offset of the character under the pointer, or null off the text. */
  private offsetUnder(event: MouseEvent): number | null {
    const span = event.target instanceof HTMLSpanElement ? event.target : null
    if (!span?.dataset.offset || !document.caretRangeFromPoint) return null
    const range = document.caretRangeFromPoint(event.clientX, event.clientY)
    if (!range || range.startContainer.parentNode !== span) return null
    // The caret nearest the pointer: the character under it is the one after or before it.
    const before = event.clientX < range.getBoundingClientRect().left
    const within = before ? range.startOffset - 1 : range.startOffset
    const length = span.textContent?.length ?? 0
    return Number(span.dataset.offset) + Math.max(0, Math.min(within, length - 1))
  }

  text(): string {
    return this.shown
  }

  setTheme(_theme: Theme): void {
    // Colours come from the page's theme (CSS variables).
  }

  dispose(): void {
    this.root.remove()
  }
}
