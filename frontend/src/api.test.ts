import { describe, expect, it } from 'vitest'
import { ApiError, errorDetail, inviteLink, readCookie, sessionPath, yjsServerUrl } from './api'

describe('api helpers', () => {
  it('reads a cookie', () => {
    expect(readCookie('a=1; csrftoken=abc%3D; b=2', 'csrftoken')).toBe('abc=')
    expect(readCookie('a=1', 'csrftoken')).toBeNull()
    expect(readCookie('', 'csrftoken')).toBeNull()
  })

  it('turns error bodies into one line', () => {
    expect(errorDetail({ detail: 'Not found.' }, 404)).toBe('Not found.')
    expect(errorDetail({ language: ['"cobol" is not a valid choice.'] }, 400)).toBe('language: "cobol" is not a valid choice.')
    expect(errorDetail(null, 502)).toBe('Request failed (HTTP 502)')
  })

  it('knows a 404', () => {
    expect(new ApiError(404, 'x').isNotFound).toBe(true)
    expect(new ApiError(500, 'x').isNotFound).toBe(false)
  })

  it('builds links and the socket url', () => {
    expect(sessionPath('a b')).toBe('/session/a%20b')
    expect(inviteLink('https://pad.example', 'abc123')).toBe('https://pad.example/session/abc123')
    expect(yjsServerUrl({ protocol: 'https:', host: 'pad.example' })).toBe('wss://pad.example/ws/yjs')
    expect(yjsServerUrl({ protocol: 'http:', host: '127.0.0.1:8000' })).toBe('ws://127.0.0.1:8000/ws/yjs')
  })
})
