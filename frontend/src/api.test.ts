import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  ApiError,
  claimSession,
  endSession,
  errorDetail,
  getSession,
  inviteLink,
  readCookie,
  saveScorecard,
  sessionPath,
  updateSession,
  yjsServerUrl,
} from './api'

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

describe('requests', () => {
  const fetchMock = vi.fn()
  const answer = (status: number, body: unknown) =>
    Promise.resolve(new Response(body === null ? null : JSON.stringify(body), { status }))

  afterEach(() => {
    vi.unstubAllGlobals()
    fetchMock.mockReset()
  })

  const stub = (cookie: string) => {
    vi.stubGlobal('fetch', fetchMock)
    vi.stubGlobal('document', { cookie })
  }

  it('reads without the CSRF token, writes with it, always with the cookies of this site', async () => {
    stub('csrftoken=tok123; other=1')
    fetchMock.mockReturnValueOnce(answer(200, { id: 's1', role: 'candidate' }))
    expect(await getSession('s1')).toEqual({ id: 's1', role: 'candidate' })
    let [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/sessions/s1/')
    expect(init.method).toBe('GET')
    expect(init.credentials).toBe('same-origin')
    expect(init.headers['X-CSRFToken']).toBeUndefined()

    fetchMock.mockReturnValueOnce(answer(200, { id: 's1' }))
    await updateSession('s1', { candidate_may_run: false })
    ;[url, init] = fetchMock.mock.calls[1]
    expect([url, init.method, init.body]).toEqual(['/api/sessions/s1/', 'PATCH', '{"candidate_may_run":false}'])
    expect(init.headers['X-CSRFToken']).toBe('tok123')
    expect(init.headers['Content-Type']).toBe('application/json')
  })

  it('names the session actions by their paths', async () => {
    stub('csrftoken=t')
    fetchMock.mockImplementation(() => answer(200, {}))
    await endSession('a b')
    await claimSession('s1', 'KEY')
    await saveScorecard('s1', { rating: 3, recommendation: 'hire', comment: '' })
    expect(fetchMock.mock.calls.map(([url, init]) => `${init.method} ${url}`)).toEqual([
      'POST /api/sessions/a%20b/end',
      'POST /api/sessions/s1/claim',
      'PUT /api/sessions/s1/scorecard',
    ])
    expect(fetchMock.mock.calls[1][1].body).toBe('{"key":"KEY"}')
  })

  it('asks for the CSRF cookie first when it is missing', async () => {
    stub('')
    fetchMock.mockImplementation((url: string) => answer(200, url === '/api/auth/me' ? { authenticated: false } : {}))
    await endSession('s1')
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual(['/api/auth/me', '/api/sessions/s1/end'])
  })

  it('turns refusals into ApiErrors with the server detail', async () => {
    stub('csrftoken=t')
    fetchMock.mockReturnValueOnce(answer(409, { detail: 'the interview has ended: the session is read-only', code: 'ended' }))
    const error = await endSession('s1').catch((err: unknown) => err)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(409)
    expect((error as ApiError).detail).toMatch(/ended/)
  })
})
