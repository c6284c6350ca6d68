// The replay's player: the code at a position of the timeline, each person's text in their
// colour, and the clock that plays it back. Positions are a step count (how many logged
// updates are applied) and a moment (ms since the epoch): scrubbing picks a moment (hence the
// steps up to it), stepping by edit picks a count. Seeking is synchronous (the view shows the
// new code when seek returns), so the page, the tests and the benchmark read what is on screen.
// What shows the code is a ReplayView: plain text first (no editor to load, so the replay is
// usable at once), then a read-only Monaco editor once that has loaded (replay/monacoView.ts).

import type { Theme } from '../theme'
import type { ReplayAuthor, ReplaySteps } from './steps'
import { personRuns, spanAt, spanOffsets, type OffsetSpan, type PersonRun, type ReplayPerson, type TimelineSpan } from './timeline'

export const SPEEDS = [1, 2, 4, 8, 16, 32] as const
export interface PlayerState {
  /** Steps applied. */
  count: number
  /** ms since the epoch. */
  time: number
  playing: boolean
  speed: number
  language: string
}

/** Who made a character, and when. */
export interface Attribution {
  step: number
  author: ReplayAuthor | null
  person: ReplayPerson | null
  /** ms since the epoch */
  time: number
}

export interface PlayerOptions {
  /** The session's language, until the log sets one. */
  fallbackLanguage: string
  people: ReplayPerson[]
  /** Author index -> person index. */
  byAuthor: number[]
}

/** Shows the code of one position; the player tells it what to show. */
export interface ReplayView {
  readonly kind: 'text' | 'monaco'
  /** Show `code` in `language`, each person's runs of text in their colour (none: no colours). */
  render(code: string, language: string, runs: readonly PersonRun[]): void
  /** The code shown. */
  text(): string
  setTheme(theme: Theme): void
  dispose(): void
}

/** What a view reports, as offsets into the code: the character under the pointer, the caret. */
export interface ViewEvents {
  hover(offset: number | null, x: number, y: number): void
  caret(offset: number | null): void
}

export class ReplayPlayer {
  private state: PlayerState
  private readonly listeners = new Set<() => void>()
  private spans: OffsetSpan[] = []
  private colouring = true
  private frame: number | null = null
  private lastFrame = 0

  constructor(
    readonly index: ReplaySteps,
    readonly span: TimelineSpan,
    private view: ReplayView,
    private readonly options: PlayerOptions,
  ) {
    const language = index.languageAfter(index.length, options.fallbackLanguage)
    this.state = { count: index.length, time: span.end, playing: false, speed: 1, language }
  }

  /** Which kind of view shows the code now. */
  get viewKind(): ReplayView['kind'] {
    return this.view.kind
  }

  /** Show the code in another view from now on (the old one is disposed first: they share a host). */
  replaceView(make: () => ReplayView): void {
    this.view.dispose()
    this.view = make()
    this.show(this.state.count)
  }

  // React reads the state through useSyncExternalStore.
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getState = (): PlayerState => this.state

  private update(changes: Partial<PlayerState>): void {
    this.state = { ...this.state, ...changes }
    this.listeners.forEach((listener) => listener())
  }

  /** The moment of the last of the first `count` steps (the start before any). */
  timeOfCount(count: number): number {
    return count > 0 ? Math.max(this.span.start, this.index.times[count - 1]) : this.span.start
  }

  /** Show the code after `count` steps (at `time`, by default the moment of the last of them). */
  seekCount(count: number, time?: number): void {
    const clamped = Math.max(0, Math.min(Math.round(count), this.index.length))
    this.show(clamped)
    this.update({ count: clamped, time: time ?? this.timeOfCount(clamped), language: this.state.language })
  }

  /** Show the code at a moment: every step logged up to it. */
  seekTime(time: number): void {
    const clamped = Math.max(this.span.start, Math.min(time, this.span.end))
    this.seekCount(this.index.countAt(clamped), clamped)
  }

  stepBy(delta: number): void {
    this.pause()
    this.seekCount(this.state.count + delta)
  }

  setSpeed(speed: number): void {
    this.update({ speed })
  }

  play(): void {
    if (this.state.playing) return
    if (this.state.time >= this.span.end) this.seekCount(0)
    this.update({ playing: true })
    this.lastFrame = performance.now()
    this.frame = requestAnimationFrame(this.tick)
  }

  pause(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame)
    this.frame = null
    if (this.state.playing) this.update({ playing: false })
  }

  private tick = (now: number): void => {
    const elapsed = Math.max(0, now - this.lastFrame)
    this.lastFrame = now
    const time = Math.min(this.span.end, this.state.time + elapsed * this.state.speed)
    const count = this.index.countAt(time)
    if (count !== this.state.count) this.show(count)
    const done = time >= this.span.end
    this.update({ count, time, playing: !done, language: this.state.language })
    this.frame = done ? null : requestAnimationFrame(this.tick)
  }

  setColouring(on: boolean): void {
    this.colouring = on
    this.show(this.state.count)
  }

  setTheme(theme: Theme): void {
    this.view.setTheme(theme)
  }

  /** The code the view shows. */
  code(): string {
    return this.view.text()
  }

  /** Who made the character at an offset of the code shown, and when. */
  attributionAt(offset: number): Attribution | null {
    const span = spanAt(this.spans, offset)
    if (!span) return null
    const author = this.index.author(span.step)
    const authorIndex = this.index.authorIndex(span.step)
    const person = authorIndex < 0 ? null : (this.options.people[this.options.byAuthor[authorIndex]] ?? null)
    return { step: span.step, author, person, time: this.index.times[span.step] }
  }

  private show(count: number): void {
    const language = this.index.languageAfter(count, this.options.fallbackLanguage)
    this.state = { ...this.state, language }
    this.spans = spanOffsets(this.index.spansAfter(count))
    const personOfStep = (step: number) => this.options.byAuthor[this.index.authorIndex(step)] ?? 0
    this.view.render(this.index.codeAfter(count), language, this.colouring ? personRuns(this.spans, personOfStep) : [])
  }

  dispose(): void {
    this.pause()
    this.listeners.clear()
    this.view.dispose()
  }
}

/** CSS giving each person's text their colour (a tint, and an underline in their colour). */
export function authorshipCss(people: readonly ReplayPerson[]): string {
  return people
    .map(
      (person, index) =>
        `.replay-by-${index} { background-color: ${person.color}2e; border-bottom: 2px solid ${person.color}; }\n` +
        `.replay-legend-swatch-${index} { background-color: ${person.color}; }`,
    )
    .join('\n')
}
