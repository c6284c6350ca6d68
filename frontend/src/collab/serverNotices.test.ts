import { describe, expect, it, vi } from 'vitest'
import { DOCUMENT_REFUSALS, isAwarenessFrame, noticeFilteringWebSocket, noticeText, parseServerEvent, parseServerNotice } from './serverNotices'

describe('parsing the server text frames', () => {
  it('reads an error frame', () => {
    expect(parseServerNotice('{"type":"error","code":"ended","message":"the interview has ended"}')).toEqual({
      code: 'ended',
      message: 'the interview has ended',
    })
  })

  it('passes the run a refusal is about through, when it is a run id', () => {
    expect(parseServerNotice('{"type":"error","code":"queue_full","message":"busy","run":"r-1_x"}')).toEqual({
      code: 'queue_full',
      message: 'busy',
      run: 'r-1_x',
    })
    for (const run of ['', 'a b', 'x'.repeat(65), 42, null]) {
      expect(parseServerNotice(JSON.stringify({ type: 'error', code: 'invalid', message: '', run }))).toEqual({ code: 'invalid', message: '' })
    }
  })

  it('ignores anything else', () => {
    expect(parseServerNotice('not json')).toBeNull()
    expect(parseServerNotice('[1,2]')).toBeNull()
    expect(parseServerNotice('null')).toBeNull()
    expect(parseServerNotice('{"type":"pong"}')).toBeNull()
  })

  it('fills in and bounds what is missing or long', () => {
    expect(parseServerNotice('{"type":"error"}')).toEqual({ code: 'error', message: '' })
    const long = parseServerNotice(JSON.stringify({ type: 'error', code: 'x', message: 'm'.repeat(5000) }))
    expect(long?.message.length).toBe(300)
  })

  it('says what a refusal means', () => {
    expect(noticeText({ code: 'name_taken', message: '' })).toMatch(/interviewer/)
    expect(noticeText({ code: 'ended', message: '' })).toMatch(/ended/)
    expect(noticeText({ code: 'weird', message: 'because' })).toMatch(/because/)
    expect(DOCUMENT_REFUSALS.has('ended')).toBe(true)
    expect(DOCUMENT_REFUSALS.has('name_taken')).toBe(false)
  })
})

/** A stand-in for the browser's WebSocket: `onmessage` is an accessor on the prototype, as there. */
class FakeSocket {
  static OPEN = 1
  url: string
  private handler: ((event: { data: unknown }) => unknown) | null = null
  constructor(url: string) {
    this.url = url
  }
  get onmessage() {
    return this.handler
  }
  set onmessage(handler) {
    this.handler = handler
  }
  sent: unknown[] = []
  send(data: unknown) {
    this.sent.push(data)
  }
  /** The network delivers a frame. */
  receive(data: unknown) {
    this.handler?.call(this, { data })
  }
}

describe('the WebSocket the provider gets', () => {
  const make = () => {
    const notices = vi.fn()
    const Socket = noticeFilteringWebSocket(FakeSocket as unknown as typeof WebSocket, notices)
    const socket = new Socket('ws://pad/ws/yjs/abc') as unknown as FakeSocket
    const handler = vi.fn()
    ;(socket as unknown as { onmessage: unknown }).onmessage = handler
    return { notices, socket, handler, Socket }
  }

  it('hands binary frames to the provider unchanged', () => {
    const { socket, handler, notices } = make()
    const frame = new Uint8Array([0, 1, 2]).buffer
    socket.receive(frame)
    expect(handler).toHaveBeenCalledTimes(1)
    expect(handler.mock.calls[0][0].data).toBe(frame)
    expect(notices).not.toHaveBeenCalled()
  })

  it('keeps text frames away from the provider and reports the notices', () => {
    const { socket, handler, notices } = make()
    socket.receive('{"type":"error","code":"name_taken","message":"taken"}')
    socket.receive('garbage text')
    expect(handler).not.toHaveBeenCalled()
    expect(notices).toHaveBeenCalledTimes(1)
    expect(notices).toHaveBeenCalledWith({ code: 'name_taken', message: 'taken' })
  })

  it('is still the base class, and reads back the handler it was given', () => {
    const { socket, handler, Socket } = make()
    expect(socket).toBeInstanceOf(FakeSocket)
    expect(socket.url).toBe('ws://pad/ws/yjs/abc')
    expect((Socket as unknown as typeof FakeSocket).OPEN).toBe(1)
    expect(socket.onmessage).toBe(handler)
    ;(socket as unknown as { onmessage: unknown }).onmessage = null
    expect(socket.onmessage).toBeNull()
    socket.receive(new ArrayBuffer(1)) // no handler: nothing happens, nothing throws
  })
})

describe('a silent socket (observers)', () => {
  it('knows awareness frames by their first byte', () => {
    expect(isAwarenessFrame(new Uint8Array([1, 5, 0]))).toBe(true)
    expect(isAwarenessFrame(new Uint8Array([1]).buffer)).toBe(true)
    expect(isAwarenessFrame(new DataView(new Uint8Array([9, 1]).buffer, 1))).toBe(true)
    expect(isAwarenessFrame(new Uint8Array([0, 0, 1]))).toBe(false) // sync step 1
    expect(isAwarenessFrame(new Uint8Array([]))).toBe(false)
    expect(isAwarenessFrame('text')).toBe(false)
  })

  it('sends everything but awareness', () => {
    const Silent = noticeFilteringWebSocket(FakeSocket as unknown as typeof WebSocket, () => {}, { silent: true })
    const socket = new Silent('ws://x') as unknown as FakeSocket & WebSocket
    socket.send(new Uint8Array([0, 0, 1]))
    socket.send(new Uint8Array([1, 1, 2]))
    socket.send(new Uint8Array([3]))
    expect(socket.sent).toEqual([new Uint8Array([0, 0, 1]), new Uint8Array([3])])
    const Talking = noticeFilteringWebSocket(FakeSocket as unknown as typeof WebSocket, () => {})
    const other = new Talking('ws://x') as unknown as FakeSocket & WebSocket
    other.send(new Uint8Array([1, 1, 2]))
    expect(other.sent).toHaveLength(1)
  })
})

describe('timeline events (interviewers)', () => {
  const frame = {
    type: 'event',
    event: { kind: 'paste', at: '2026-11-26T10:00:00+00:00', name: 'Ada', role: 'candidate', client: 'yjs', connection: 'c1', data: { chars: 3, text: 'abc' } },
  }

  it('reads an event frame, and nothing else', () => {
    expect(parseServerEvent(JSON.stringify(frame))).toEqual({ ...frame.event })
    expect(parseServerEvent('{"type":"event","event":{"kind":"blur"}}')).toEqual({
      kind: 'blur', at: '', name: '', role: '', client: '', connection: '', data: {},
    })
    expect(parseServerEvent('{"type":"error","code":"x"}')).toBeNull()
    expect(parseServerEvent('{"type":"event"}')).toBeNull()
    expect(parseServerEvent('{"type":"event","event":{"kind":""}}')).toBeNull()
    expect(parseServerEvent('{"type":"event","event":[1]}')).toBeNull()
    expect(parseServerEvent('nope')).toBeNull()
  })

  it('hands events to onEvent, never to the provider', () => {
    const notices = vi.fn()
    const events = vi.fn()
    const Socket = noticeFilteringWebSocket(FakeSocket as unknown as typeof WebSocket, notices, { onEvent: events })
    const socket = new Socket('ws://pad/ws/yjs/abc') as unknown as FakeSocket
    const handler = vi.fn()
    ;(socket as unknown as { onmessage: unknown }).onmessage = handler
    socket.receive(JSON.stringify(frame))
    socket.receive('{"type":"error","code":"ended","message":""}')
    expect(handler).not.toHaveBeenCalled()
    expect(events).toHaveBeenCalledTimes(1)
    expect(events.mock.calls[0][0].kind).toBe('paste')
    expect(notices).toHaveBeenCalledTimes(1)
  })
})
