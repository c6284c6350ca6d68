import { describe, expect, it } from 'vitest'
import { PALETTE } from './identity'
import {
  participantFromState,
  participantsFromStates,
  readableTextColor,
  remoteCursorCss,
  safeColor,
  takenColors,
  withAlpha,
  type AwarenessState,
} from './presence'

const states = (entries: [number, AwarenessState][]) => new Map(entries)

describe('participants from awareness', () => {
  it('lists only states with a user, self first, then interviewers, then by name', () => {
    const list = participantsFromStates(
      states([
        [5, { user: { name: 'Zoe', color: '#112233', role: 'candidate' } }],
        [7, { user: { name: 'Bob', color: '#445566', role: 'candidate' } }],
        [9, { user: { name: 'Ivy', color: '#778899', role: 'interviewer' } }],
        [3, { user: { name: 'Me', color: '#aabbcc', role: 'candidate' } }],
        [11, { selection: {} }],
        [12, {}],
      ]),
      3,
    )
    expect(list.map((p) => p.name)).toEqual(['Me', 'Ivy', 'Bob', 'Zoe'])
    expect(list[0].isSelf).toBe(true)
    expect(list.slice(1).every((p) => !p.isSelf)).toBe(true)
  })

  it('tolerates server-injected or malformed users', () => {
    const p = participantFromState(42, { user: { name: '  ', color: 'url(javascript:x)', role: 'viewer' } }, 1)
    expect(p).toEqual({ clientId: 42, name: 'Anonymous', color: safeColor(undefined, 42), role: null, isSelf: false })
    expect(participantFromState(1, { user: 'nope' }, 1)).toBeNull()
    expect(participantFromState(1, null, 1)).toBeNull()
  })

  it('knows observers, listed after candidates', () => {
    const list = participantsFromStates(
      states([
        [1, { user: { name: 'Abe', role: 'observer' } }],
        [2, { user: { name: 'Zed', role: 'candidate' } }],
      ]),
      99,
    )
    expect(list.map((p) => [p.name, p.role])).toEqual([
      ['Zed', 'candidate'],
      ['Abe', 'observer'],
    ])
  })

  it('sorts people without a role after candidates', () => {
    const list = participantsFromStates(
      states([
        [1, { user: { name: 'Script' } }],
        [2, { user: { name: 'Zed', role: 'candidate' } }],
      ]),
      99,
    )
    expect(list.map((p) => p.name)).toEqual(['Zed', 'Script'])
  })

  it('reports colours taken by others', () => {
    const list = participantsFromStates(
      states([
        [1, { user: { name: 'Me', color: '#111111' } }],
        [2, { user: { name: 'You', color: '#222222' } }],
      ]),
      1,
    )
    expect(takenColors(list)).toEqual(['#222222'])
  })
})

describe('colour helpers', () => {
  it('accepts hex and rgb/hsl colours only', () => {
    expect(safeColor('#abc', 1)).toBe('#abc')
    expect(safeColor(' #A1B2C3 ', 1)).toBe('#A1B2C3')
    expect(safeColor('rgb(1, 2, 3)', 1)).toBe('rgb(1, 2, 3)')
    expect(safeColor('hsl(200 50% 40%)', 1)).toBe('hsl(200 50% 40%)')
    expect(PALETTE).toContain(safeColor('red}body{display:none', 1))
    expect(PALETTE).toContain(safeColor(7, 1))
  })

  it('adds alpha to hex colours and mixes others', () => {
    expect(withAlpha('#ff0000', 0.5)).toBe('#ff000080')
    expect(withAlpha('#f00', 1)).toBe('#ff0000ff')
    expect(withAlpha('rgb(1,2,3)', 0.25)).toBe('color-mix(in srgb, rgb(1,2,3) 25%, transparent)')
  })

  it('picks readable label text', () => {
    expect(readableTextColor('#ffffff')).toBe('#000000')
    expect(readableTextColor('#000000')).toBe('#ffffff')
    expect(readableTextColor('#c9a400')).toBe('#000000')
    expect(readableTextColor('#8e4ec6')).toBe('#ffffff')
    expect(readableTextColor('rgb(0,0,0)')).toBe('#ffffff')
  })
})

describe('remote cursor CSS', () => {
  it('colours each remote client and skips yourself', () => {
    const list = participantsFromStates(
      states([
        [1, { user: { name: 'Me', color: '#111111' } }],
        [2, { user: { name: 'Ada', color: '#e5484d' } }],
      ]),
      1,
    )
    const css = remoteCursorCss(list)
    expect(css).toContain('.yRemoteSelection-2{background-color:#e5484d47}')
    expect(css).toContain('.yRemoteSelectionHead-2{border-color:#e5484d}')
    expect(css).not.toContain('-1{')
  })

  it('is empty when alone', () => {
    expect(remoteCursorCss([])).toBe('')
  })
})
