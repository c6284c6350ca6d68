// Stock Yjs clients in three roles against a real server: an interviewer (its key in an
// Authorization header), a candidate (the plain link) and an observer (the observer key).
//   node roles.mjs '{"url": "ws://host/ws/yjs", "session": "...", "interviewer_key": "...", "observer_key": "..."}'
// The candidate types and runs; then the candidate tries to remove the run and the observer
// tries to type (both refused by the server); then the interviewer clears the runs. Prints one
// JSON line: each client's final text, runs and the error codes the server sent it.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../../frontend/package.json'))
const Y = require('yjs')
const { WebsocketProvider } = require('y-websocket')
const WebSocket = require('ws')

const spec = JSON.parse(process.argv[2])
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const deadline = Date.now() + (spec.timeout_ms ?? 30000)
async function until (condition, what) {
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

function client (name, key) {
  const errors = []
    // The server sends text frames (refusals; events for interviewers); the stock provider
  // expects only binary frames, so text frames are taken off before it sees them.
  class KeyedWebSocket extends WebSocket {
    constructor (url, protocols) {
      super(url, protocols, key ? { headers: { Authorization: `Bearer ${key}` } } : {})
    }

    set onmessage (handler) {
      super.onmessage = (event) => {
        if (typeof event.data !== 'string') handler(event)
        else if (JSON.parse(event.data).type === 'error') errors.push(JSON.parse(event.data).code)
        // other text frames are the timeline's events, sent to interviewers
      }
    }
  }
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(spec.url, spec.session, doc, { WebSocketPolyfill: KeyedWebSocket, disableBc: true })
  if (name === 'observer') provider.awareness.setLocalState(null)
  else provider.awareness.setLocalStateField('user', { name, color: '#30bced' })
  return { name, doc, provider, errors, text: doc.getText('code'), runs: doc.getArray('runs') }
}

const interviewer = client('interviewer', spec.interviewer_key)
const candidate = client('candidate', null)
const observer = client('observer', spec.observer_key)
const everyone = [interviewer, candidate, observer]
await until(() => everyone.every((c) => c.provider.synced), 'everyone to sync')

candidate.text.insert(0, 'print(42)\n')
candidate.runs.push([{
  id: 'run-1', by: { name: 'candidate', color: '#30bced' }, language: 'python',
  stdout: '42\n', stderr: '', status: 'ok', duration_ms: 3, at: new Date().toISOString()
}])
await until(() => everyone.every((c) => c.runs.length === 1 && c.text.toString() === 'print(42)\n'), 'the run everywhere')

candidate.runs.delete(0, 1)
observer.text.insert(0, '# shadow was here\n')
await until(() => candidate.errors.includes('forbidden') && observer.errors.includes('forbidden'), 'the refusals')

interviewer.runs.delete(0, 1)
await until(() => observer.runs.length === 0, 'the interviewer clearing the runs for everyone')
await sleep(300)
console.log(JSON.stringify(Object.fromEntries(everyone.map((c) => [c.name, {
  text: c.text.toString(), runs: c.runs.length, errors: c.errors
}]))))
for (const c of everyone) c.provider.destroy()
process.exit(0)
