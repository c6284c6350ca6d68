// The server reports refusals on a Yjs socket as TEXT frames
// `{"type":"error","code":...,"message":...}`, next to the binary y-websocket protocol, and
// sends interviewers the interview's timeline events as `{"type":"event","event":{...}}`.
// The stock WebsocketProvider decodes every frame as binary and throws on a string, so the
// provider gets a WebSocket subclass that takes string frames out before its handler sees
// them and reports them here instead.

import { isRunId } from '../run/serverRuns'

export interface ServerNotice {
  code: string
  message: string
  /** A refused request about a run on the server (run/serverRuns.ts): its id. */
  run?: string
}

/** A server's text frame as a JSON object; null when it is not one. */
export function parseTextFrame(data: string): Record<string, unknown> | null {
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return null
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

/** A string field cut to `max` characters; '' when it is not a string. */
export const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '')

/** A server's text frame as a notice; null when it is not an `error` frame we understand. */
export function parseServerNotice(data: string): ServerNotice | null {
  const frame = parseTextFrame(data)
  if (!frame) return null
  if (frame.type !== 'error') return null
  const code = typeof frame.code === 'string' && frame.code ? frame.code.slice(0, 60) : 'error'
  const message = typeof frame.message === 'string' ? frame.message.slice(0, 300) : ''
  return isRunId(frame.run) ? { code, message, run: frame.run } : { code, message }
}

/** A timeline event the server sends an interviewer live: `{"type":"event","event":{...}}`. */
export interface ServerEvent {
  kind: string
  at: string
  name: string
  role: string
  client: string
  connection: string
  data: Record<string, unknown>
}

/** A server's text frame as a timeline event; null when it is not an `event` frame. */
export function parseServerEvent(data: string): ServerEvent | null {
  const frame = parseTextFrame(data)
  if (!frame) return null
  const event = frame.event as Record<string, unknown> | null | undefined
  if (frame.type !== 'event' || !event || typeof event !== 'object' || Array.isArray(event)) return null
  if (typeof event.kind !== 'string' || !event.kind) return null
  const payload = event.data && typeof event.data === 'object' && !Array.isArray(event.data) ? event.data : {}
  return {
    kind: event.kind.slice(0, 40),
    at: text(event.at, 40),
    name: text(event.name, 80),
    role: text(event.role, 20),
    client: text(event.client, 20),
    connection: text(event.connection, 80),
    data: payload as Record<string, unknown>,
  }
}

/**
 * Codes that mean a change of ours to the document was refused: our replica now holds
 * something the server does not, and every later edit of ours builds on it (so the server
 * could never integrate them). The connection then starts over from the server's state.
 */
export const DOCUMENT_REFUSALS: ReadonlySet<string> = new Set(['ended', 'forbidden', 'too_large'])

/** Words for a person, from a notice. */
export function noticeText(notice: ServerNotice): string {
  switch (notice.code) {
    case 'ended':
      return 'The interview has ended: the session is read-only, so that change was not saved.'
    case 'forbidden':
      return `Not allowed: ${notice.message || 'your role may not do that here'}.`
    case 'name_taken':
      return 'That name belongs to an interviewer in this session: please pick another.'
    case 'too_large':
      return `Too large: ${notice.message || 'the change exceeds the session’s limits'}. It was not saved.`
    case 'too_many_connections':
      return 'Too many connections to this session right now.'
    default:
      return notice.message ? `The server refused a change: ${notice.message}.` : 'The server refused a change.'
  }
}

type MessageHandler = ((this: WebSocket, event: MessageEvent) => unknown) | null

function findAccessor(proto: object | null, name: string): PropertyDescriptor | undefined {
  for (let p = proto; p; p = Object.getPrototypeOf(p)) {
    const descriptor = Object.getOwnPropertyDescriptor(p, name)
    if (descriptor) return descriptor
  }
  return undefined
}

// y-websocket's message type for awareness (the first varuint of a frame; < 128, one byte).
const AWARENESS_MESSAGE = 1

/** Whether an outgoing frame is an awareness message. */
export function isAwarenessFrame(data: unknown): boolean {
  let bytes: Uint8Array | null = null
  if (data instanceof Uint8Array) bytes = data
  else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data)
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return bytes !== null && bytes.length > 0 && bytes[0] === AWARENESS_MESSAGE
}

export interface FilterOptions {
  /**
   * Send no awareness at all (an observer, who is never shown). The stock provider echoes
   * every awareness change it receives, others' states included, which the server refuses
   * from an observer; with this, those echoes never leave the page.
   */
  silent?: boolean
  /** Timeline events (interviewers' sockets only get them); without it they are dropped. */
  onEvent?: (event: ServerEvent) => void
}

/**
 * A subclass of `Base` (the browser's WebSocket) whose `onmessage` handler only ever sees
 * binary frames: string frames go to `onNotice` (parsed when they are notices) instead.
 * Everything else (constructor, send, close, events added with addEventListener) is Base's,
 * except that a `silent` socket drops outgoing awareness frames.
 */
export function noticeFilteringWebSocket<T extends typeof WebSocket>(
  Base: T,
  onNotice: (notice: ServerNotice) => void,
  { silent = false, onEvent }: FilterOptions = {},
): T {
  const inherited = findAccessor(Base.prototype, 'onmessage')
  const handlers = new WeakMap<object, MessageHandler>()
  const Filtering = class extends (Base as typeof WebSocket) {
    send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (silent && isAwarenessFrame(data)) return
      super.send(data as never)
    }
  }
  Object.defineProperty(Filtering.prototype, 'onmessage', {
    configurable: true,
    enumerable: true,
    get(this: WebSocket): MessageHandler {
      return handlers.get(this) ?? null
    },
    set(this: WebSocket, handler: MessageHandler) {
      handlers.set(this, handler)
      const wrapped: MessageHandler =
        typeof handler === 'function'
          ? function (this: WebSocket, event: MessageEvent) {
              if (typeof event.data === 'string') {
                const notice = parseServerNotice(event.data)
                if (notice) onNotice(notice)
                else if (onEvent) {
                  const timelineEvent = parseServerEvent(event.data)
                  if (timelineEvent) onEvent(timelineEvent)
                }
                return undefined
              }
              return handler.call(this, event)
            }
          : null
      if (inherited?.set) inherited.set.call(this, wrapped)
    },
  })
  return Filtering as unknown as T
}
