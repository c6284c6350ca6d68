// Where a remote caret's name label may go without hiding any text: after the end of the
// caret's own line, else in free space on the line above or below (near the caret), else
// in the caret line's indentation. Nowhere free: no label (the coloured caret stays).
// Pure geometry in editor pixels, so it is unit-tested.

export interface Rect {
  left: number
  top: number
  width: number
  height: number
}

/** One visible line: its box, and where its text starts and ends (null: no text). */
export interface Row {
  top: number
  height: number
  text: { start: number; end: number } | null
}

export interface PlacementInput {
  /** The caret's x and its line. */
  caretX: number
  line: Row
  above: Row | null
  below: Row | null
  label: { width: number; height: number }
  /** The text area: labels stay inside it (never over the gutter or the scrollbars). */
  area: { left: number; right: number; top: number; bottom: number }
  /** Boxes already taken (other labels). */
  taken?: readonly Rect[]
}

export type PlacementKind = 'after' | 'above' | 'below' | 'indent'

export interface Placement extends Rect {
  kind: PlacementKind
}

/** Space kept between a label and text (px). */
export const GAP = 6

export function intersects(a: Rect, b: Rect): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height
}

/** Free horizontal intervals of a row inside the area, text kept `GAP` clear. */
function freeIntervals(row: Row, area: PlacementInput['area']): [number, number][] {
  if (!row.text) return [[area.left, area.right]]
  const intervals: [number, number][] = []
  if (row.text.start - GAP > area.left) intervals.push([area.left, row.text.start - GAP])
  if (row.text.end + GAP < area.right) intervals.push([row.text.end + GAP, area.right])
  return intervals
}

/** The left edge nearest to `x` for a box of `width` inside one of `intervals`, or null. */
function nearest(x: number, width: number, intervals: [number, number][]): number | null {
  let best: number | null = null
  for (const [from, to] of intervals) {
    if (to - from < width) continue
    const left = Math.min(Math.max(x, from), to - width)
    if (best === null || Math.abs(left - x) < Math.abs(best - x)) best = left
  }
  return best
}

export function placeLabel(input: PlacementInput): Placement | null {
  const { caretX, line, above, below, label, area } = input
  const taken = input.taken ?? []
  const inside = (rect: Rect) =>
    rect.left >= area.left && rect.left + rect.width <= area.right && rect.top >= area.top && rect.top + rect.height <= area.bottom
  const centred = (row: Row) => row.top + Math.max(0, (row.height - label.height) / 2)
  const ok = (rect: Rect) => label.height <= line.height && inside(rect) && !taken.some((other) => intersects(rect, other))

  const candidates: Placement[] = []
  // 1. On the caret's line, after its text (and after the caret).
  const afterLeft = Math.max(line.text ? line.text.end + GAP : area.left, caretX + GAP)
  candidates.push({ kind: 'after', left: afterLeft, top: centred(line), ...label })
  // 2, 3. Free space on the line above, then below, as near the caret as it fits.
  for (const [kind, row] of [['above', above], ['below', below]] as const) {
    if (!row) continue
    const left = nearest(caretX, label.width, freeIntervals(row, area))
    if (left !== null) candidates.push({ kind, left, top: centred(row), ...label })
  }
  // 4. The caret line's indentation, before its text.
  if (line.text && line.text.start - GAP - label.width >= area.left) {
    const left = Math.min(Math.max(caretX - label.width - GAP, area.left), line.text.start - GAP - label.width)
    candidates.push({ kind: 'indent', left, top: centred(line), ...label })
  }
  return candidates.find(ok) ?? null
}
