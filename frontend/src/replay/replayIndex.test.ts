import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CHECKPOINT_EVERY, ReplayIndex, type ReplayData } from './replayIndex'
import { ReplaySteps } from './steps'

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

/**
 * Two people editing at once, each on a replica that lags behind: the server applies and logs
 * their updates in the order they arrive, interleaved, with runs and language changes between.
 */
function concurrentInterview(rounds: number): { data: ReplayData; texts: string[]; languages: string[] } {
  const server = new Y.Doc()
  const people = [new Y.Doc(), new Y.Doc()]
  const outbox: { from: number; update: Uint8Array }[] = []
  people.forEach((doc, index) => doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') outbox.push({ from: index, update })
  }))
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
  const languages: string[] = []
  let seed = 11
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  for (let round = 0; round < rounds; round++) {
    for (let edits = 0; edits < 3; edits++) {
      const who = random() < 0.6 ? 0 : 1
      const doc = people[who]
      const text = doc.getText('code')
      const roll = random()
      if (roll < 0.04) doc.getMap('meta').set('language', round % 2 ? 'python' : 'javascript')
      else if (roll < 0.08) doc.getArray('runs').push([{ id: `run-${round}-${edits}`, stdout: `out ${round}` }])
      else if (roll < 0.3 && text.length > 3) {
        const at = Math.floor(random() * (text.length - 2))
        text.delete(at, 1 + Math.floor(random() * 2))
      } else text.insert(Math.floor(random() * (text.length + 1)), who === 0 ? 'ab' : 'G')
    }
    // The server receives what was sent, in order, and relays it; replicas catch up now and then.
    while (outbox.length) {
      const { from, update } = outbox.shift()!
      Y.applyUpdate(server, update)
      data.steps.push([data.steps.length + 1, 1_000 + data.steps.length, from, base64(update)])
      texts.push(server.getText('code').toString())
      languages.push((server.getMap('meta').get('language') as string | undefined) ?? 'plaintext')
    }
    if (round % 3 === 2) for (const doc of people) Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), 'remote')
  }
  return { data, texts, languages }
}

describe('ReplayIndex on concurrent edits', () => {
  const { data, texts, languages } = concurrentInterview(120)
  const index = new ReplayIndex(data)

  it('rebuilds the code, the language and whole documents at every step', () => {
    expect(texts.length).toBeGreaterThan(CHECKPOINT_EVERY)
    for (let count = 1; count <= texts.length; count++) {
      expect(index.codeAfter(count)).toBe(texts[count - 1])
      expect(index.languageAfter(count, 'plaintext')).toBe(languages[count - 1])
    }
    for (const count of [0, 1, CHECKPOINT_EVERY, CHECKPOINT_EVERY + 1, texts.length]) {
      const doc = index.docAfter(count)
      expect(doc.getText('code').toString()).toBe(count ? texts[count - 1] : '')
      doc.destroy()
    }
  })

  it('attributes the text to its authors at every step', () => {
    for (let count = 1; count <= texts.length; count += 7) {
      const spans = index.spansAfter(count)
      expect(spans.map((span) => span.text).join('')).toBe(texts[count - 1])
      for (const span of spans) {
        expect(span.step).toBeLessThan(count)
        const author = index.author(span.step)!
        expect(span.text).toMatch(author.name === 'Ada' ? /^[ab]+$/ : /^G+$/)
      }
    }
  })

  it('keeps each run as it was added', () => {
    const runs = data.steps.length
    expect(runs).toBeGreaterThan(0)
    const seen = [...Array(120).keys()].flatMap((round) => [0, 1, 2].map((edit) => index.run(`run-${round}-${edit}`))).filter(Boolean)
    expect(seen.length).toBeGreaterThan(0)
    for (const run of seen) expect(run!.entry.stdout).toMatch(/^out \d+$/)
    expect(index.run('nope')).toBeNull()
  })
})

describe('an index handed over as parts (from a worker)', () => {
  it('answers like the index it came from', () => {
    const { data, texts } = concurrentInterview(40)
    const index = new ReplayIndex(data)
    const parts = structuredClone(index.parts)
    const steps = new ReplaySteps({ ...data, steps: [] }, parts)
    expect(steps.length).toBe(texts.length)
    for (let count = 0; count <= texts.length; count++) {
      expect(steps.codeAfter(count)).toBe(index.codeAfter(count))
      expect(steps.spansAfter(count)).toEqual(index.spansAfter(count))
      expect(steps.languageAfter(count, 'x')).toBe(index.languageAfter(count, 'x'))
    }
    for (let step = 0; step < texts.length; step++) expect(steps.author(step)).toEqual(index.author(step))
    expect(steps.countAt(1_000 + 5)).toBe(index.countAt(1_000 + 5))
  })
})

describe('where an event shows', () => {
  const { data } = interview(40)
  data.authors[0].connection = 'ada-conn'
  data.steps.forEach((step, i) => (step[1] = 1_000 + i * 100)) // a step every 100 ms
  const index = new ReplayIndex(data)

  it('finds the first step of a connection from a moment on', () => {
    // Steps 3, 10, 17, … are Grace's; the rest Ada's.
    expect(index.firstStepBy('ada-conn', 1_000 + 3 * 100)).toBe(4)
    expect(index.firstStepBy('ada-conn', 1_000 + 3 * 100 - 50)).toBe(3 + 1)
    expect(index.firstStepBy('ada-conn', 1_000 + 2 * 100)).toBe(2)
    expect(index.firstStepBy('g', 1_000)).toBe(3)
    expect(index.firstStepBy('ada-conn', 1_000 + 5 * 100, 0)).toBe(5)
    expect(index.firstStepBy('nobody', 1_000)).toBe(-1)
    expect(index.firstStepBy('', 1_000)).toBe(-1)
    expect(index.firstStepBy('ada-conn', 10 ** 9)).toBe(-1)
  })
})

describe('the language step', () => {
  it('is the change to that language nearest the moment', () => {
    const { data, languages } = concurrentInterview(120)
    const index = new ReplayIndex(data)
    const first = languages.indexOf('javascript')
    expect(first).toBeGreaterThan(0)
    const step = index.languageStep('javascript', index.times[first])
    expect(step).toBeGreaterThanOrEqual(0)
    expect(index.languageAfter(step + 1, 'x')).toBe('javascript')
    expect(index.languageStep('cobol', 0)).toBe(-1)
  })
})
