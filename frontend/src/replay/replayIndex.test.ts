import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CHECKPOINT_EVERY, ReplayIndex, type ReplayData } from './replayIndex'

function base64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** Two people typing into one document, every update logged in order with its author. */
function interview(steps: number): { data: ReplayData; texts: string[] } {
  const ada = new Y.Doc()
  const grace = new Y.Doc()
  const data: ReplayData = {
    session: 's', title: 't', started_at: '', ended_at: null, pruned_at: null,
    authors: [
      { name: 'Ada', role: 'candidate', client: 'yjs', connection: 'a' },
      { name: 'Grace', role: 'interviewer', client: 'yjs', connection: 'g' },
    ],
    steps: [],
    events: [],
  }
  const texts: string[] = []
  let seed = 7
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  for (let n = 0; n < steps; n++) {
    const author = n % 7 === 3 ? 1 : 0
    const [doc, other] = author === 0 ? [ada, grace] : [grace, ada]
    const text = doc.getText('code')
    let update: Uint8Array | null = null
    const listener = (u: Uint8Array) => (update = u)
    doc.on('update', listener)
    if (text.length > 5 && random() < 0.2) text.delete(Math.floor(random() * (text.length - 1)), 1)
    else text.insert(Math.floor(random() * (text.length + 1)), author === 0 ? 'a' : 'G')
    doc.off('update', listener)
    Y.applyUpdate(other, update!)
    data.steps.push([n + 1, 1_000 + n * 10, author, base64(update!)])
    texts.push(text.toString())
  }
  return { data, texts }
}

describe('ReplayIndex', () => {
  const { data, texts } = interview(CHECKPOINT_EVERY * 3 + 17)
  const index = new ReplayIndex(data)

  it('rebuilds the code at every step', () => {
    expect(index.codeAfter(0)).toBe('')
    for (let count = 1; count <= texts.length; count++) expect(index.codeAfter(count)).toBe(texts[count - 1])
  })

  it('attributes every character to the step, hence the person, that typed it', () => {
    const count = texts.length
    const spans = index.spansAfter(count)
    expect(spans.map((span) => span.text).join('')).toBe(texts[count - 1])
    for (const span of spans) {
      const author = index.author(span.step)!
      expect(span.text).toBe((author.name === 'Ada' ? 'a' : 'G').repeat(span.text.length))
    }
  })

  it('finds the steps up to a moment', () => {
    expect(index.countAt(999)).toBe(0)
    expect(index.countAt(1_000)).toBe(1)
    expect(index.countAt(1_005)).toBe(1)
    expect(index.countAt(10 ** 12)).toBe(texts.length)
  })
})
