import { describe, expect, it } from 'vitest'
import { GAP, intersects, placeLabel, type PlacementInput, type Row } from './labelPlacement'

const LINE = 21
const row = (index: number, text: [number, number] | null): Row => ({ top: index * LINE, height: LINE, text: text && { start: text[0], end: text[1] } })
const area = { left: 60, right: 600, top: 0, bottom: 400 }
const label = { width: 50, height: 17 }

function textBoxes(rows: (Row | null)[]) {
  return rows.filter((r): r is Row => !!r && !!r.text).map((r) => ({ left: r.text!.start, width: r.text!.end - r.text!.start, top: r.top, height: r.height }))
}

function place(input: Partial<PlacementInput> & Pick<PlacementInput, 'line' | 'caretX'>) {
  const full: PlacementInput = { above: null, below: null, label, area, ...input }
  const placed = placeLabel(full)
  if (placed) for (const box of textBoxes([full.line, full.above, full.below])) expect(intersects(placed, box)).toBe(false)
  return placed
}

describe('cursor label placement', () => {
  it('goes after the caret line text when it fits', () => {
    const placed = place({ caretX: 100, line: row(3, [68, 200]), above: row(2, [68, 590]), below: row(4, [68, 590]) })
    expect(placed).toMatchObject({ kind: 'after', left: 200 + GAP })
    expect(placed!.top).toBeGreaterThanOrEqual(3 * LINE)
    expect(placed!.top + label.height).toBeLessThanOrEqual(4 * LINE)
  })

  it('uses free space on the line above, then below, when the line is full', () => {
    const above = place({ caretX: 300, line: row(3, [68, 590]), above: row(2, [68, 150]), below: row(4, [68, 590]) })
    expect(above).toMatchObject({ kind: 'above', left: 300 })
    const below = place({ caretX: 300, line: row(3, [68, 590]), above: row(2, [68, 590]), below: row(4, null) })
    expect(below).toMatchObject({ kind: 'below', left: 300 })
    // Above, but nearer to the caret than the end of a text reaching under it.
    const shifted = place({ caretX: 120, line: row(3, [68, 590]), above: row(2, [68, 250]), below: null })
    expect(shifted).toMatchObject({ kind: 'above', left: 250 + GAP })
  })

  it('never leaves the text area (line 1 has nothing above; the gutter is not free space)', () => {
    const first = place({ caretX: 70, line: row(0, [68, 590]), above: null, below: row(1, [68, 590]) })
    expect(first).toBeNull()
    const indent = place({ caretX: 200, line: row(5, [180, 590]), above: row(4, [68, 590]), below: row(6, [68, 590]) })
    expect(indent).toMatchObject({ kind: 'indent' })
    expect(indent!.left).toBeGreaterThanOrEqual(area.left)
  })

  it('does not cover another label', () => {
    const taken = [{ left: 200 + GAP, top: 3 * LINE + 2, width: 50, height: 17 }]
    const placed = place({ caretX: 100, line: row(3, [68, 200]), above: row(2, null), below: null, taken })
    expect(placed).toMatchObject({ kind: 'above' })
  })
})
