import { describe, expect, it } from 'vitest'
import { parsePresenceFrame } from './presenceFrames'

describe('presence frames', () => {
  it('parses the server people list', () => {
    const frame = parsePresenceFrame(
      JSON.stringify({
        type: 'presence',
        connected_users: 2,
        participants: [
          { name: 'Ada', color: '#3e8ef7', role: 'candidate', client: 'yjs', status: 'reconnecting', awareness: [5, 'x'], browser: 'abcdefgh12' },
          { name: 'Bot', color: '#888888', role: 'candidate', client: 'json', status: 'online', awareness: [], browser: '' },
        ],
      }),
    )
    expect(frame?.connectedUsers).toBe(2)
    expect(frame?.participants[0]).toEqual({
      name: 'Ada',
      color: '#3e8ef7',
      role: 'candidate',
      client: 'yjs',
      status: 'reconnecting',
      awareness: [5],
      browser: 'abcdefgh12',
    })
  })

  it('ignores other frames and garbage', () => {
    expect(parsePresenceFrame('{"type":"error","code":"x"}')).toBeNull()
    expect(parsePresenceFrame('not json')).toBeNull()
    expect(parsePresenceFrame('{"type":"presence","participants":"no"}')).toBeNull()
    expect(parsePresenceFrame('{"type":"presence","participants":[null, 3, {"status":"weird"}]}')?.participants).toEqual([
      { name: '', color: '', role: '', client: '', status: 'online', awareness: [], browser: '' },
    ])
  })
})
