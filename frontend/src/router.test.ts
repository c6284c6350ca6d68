import { describe, expect, it } from 'vitest'
import { parseRoute } from './router'

describe('routes', () => {
  it('parses home and session pages', () => {
    expect(parseRoute('/')).toEqual({ page: 'home' })
    expect(parseRoute('')).toEqual({ page: 'home' })
    expect(parseRoute('/session/abc-123')).toEqual({ page: 'session', id: 'abc-123' })
    expect(parseRoute('/session/abc-123/')).toEqual({ page: 'session', id: 'abc-123' })
    expect(parseRoute('/session/a%20b')).toEqual({ page: 'session', id: 'a b' })
  })

  it('parses the account pages', () => {
    expect(parseRoute('/login')).toEqual({ page: 'login' })
    expect(parseRoute('/dashboard/')).toEqual({ page: 'dashboard' })
  })

  it('parses the replay page of a session', () => {
    expect(parseRoute('/session/abc-123/replay')).toEqual({ page: 'replay', id: 'abc-123' })
    expect(parseRoute('/session/abc-123/replay/')).toEqual({ page: 'replay', id: 'abc-123' })
    expect(parseRoute('/session/replay')).toEqual({ page: 'session', id: 'replay' })
    expect(parseRoute('/session/a/replay/x')).toEqual({ page: 'unknown', path: '/session/a/replay/x' })
  })

  it('reports anything else as unknown', () => {
    expect(parseRoute('/session/')).toEqual({ page: 'unknown', path: '/session/' })
    expect(parseRoute('/session/a/b')).toEqual({ page: 'unknown', path: '/session/a/b' })
    expect(parseRoute('/session/%E0%A4%A')).toEqual({ page: 'unknown', path: '/session/%E0%A4%A' })
  })
})
