// A document past 1 MiB, made with stock clients, then synced by a fresh one.
//   node big_document.mjs '{"url": "ws://host/ws/yjs", "session": "...", "runs": 5, "stream_bytes": 65536}'
// Client A appends `runs` runs (each stream `stream_bytes` long, within the frontend's caps)
// and waits until client B has them all; then client C connects and syncs. Prints one JSON
// line: { code_length, runs, document_bytes } as C received them.
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
const deadline = Date.now() + (spec.timeout_ms ?? 60000)
async function until (condition, what) {
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

function client () {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(spec.url, spec.session, doc, { WebSocketPolyfill: WebSocket, disableBc: true })
  return { doc, provider }
}

const a = client()
const b = client()
await until(() => a.provider.synced && b.provider.synced, 'the first two clients to sync')
for (let i = 0; i < spec.runs; i++) {
  a.doc.getArray('runs').push([{
    id: `run-${i}`, by: { name: 'Ada', color: '#e5484d' }, language: 'python',
    stdout: 'o'.repeat(spec.stream_bytes), stderr: 'e'.repeat(spec.stream_bytes),
    status: 'ok', duration_ms: 5, at: new Date().toISOString()
  }])
}
await until(() => b.doc.getArray('runs').length === spec.runs, 'the runs to reach another client')
const c = client()
await until(() => c.provider.synced, 'a fresh client to sync')
console.log(JSON.stringify({
  code_length: c.doc.getText('code').length,
  runs: c.doc.getArray('runs').length,
  document_bytes: Y.encodeStateAsUpdate(c.doc).length
}))
for (const { provider } of [a, b, c]) provider.destroy()
process.exit(0)
