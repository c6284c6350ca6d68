// Clients that keep typing unique tokens while the server is killed and
// restarted (or, behind a proxy, while one of its processes dies). Prints
// "typing" once synced, "done typing", then one JSON line at the end:
// { sessions: { id: { texts, tokens } } } where every token typed by every client
// of a session must survive in that session.
//   node survive_restart.mjs '{"url":..., "sessions":[id, ...], "clients":3, "duration_ms":6000}'
// ("session": id is short for "sessions": [id]; "clients" is per session.)
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
const deadline = Date.now() + (spec.timeout_ms ?? 90000)
async function until (condition, what) {
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

const sessions = spec.sessions ?? [spec.session]
const clients = []
for (const session of sessions) {
  for (let i = 0; i < (spec.clients ?? 3); i++) {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(spec.url, session, doc, { WebSocketPolyfill: WebSocket, maxBackoffTime: 500, disableBc: true })
    clients.push({ session, doc, provider, text: doc.getText('code'), tokens: [] })
  }
}
await until(() => clients.every((c) => c.provider.synced), 'the first sync')
console.log('typing')

const stopAt = Date.now() + (spec.duration_ms ?? 6000)
await Promise.all(clients.map(async (client, i) => {
  let n = 0
  while (Date.now() < stopAt) {
    const token = `[c${i}-${n++}]`
    // Insert between tokens, never inside one, so each stays findable.
    const current = client.text.toString()
    const boundaries = [0]
    for (let at = current.indexOf(']'); at !== -1; at = current.indexOf(']', at + 1)) boundaries.push(at + 1)
    client.text.insert(boundaries[Math.floor(Math.random() * boundaries.length)], token)
    client.tokens.push(token)
    await sleep(15 + Math.random() * 20)
  }
}))
console.log('done typing')

// After the restart every provider reconnects and re-syncs by itself.
await until(() => clients.every((c) => c.provider.wsconnected && c.provider.synced), 'reconnection')
const of = (session) => clients.filter((c) => c.session === session)
const texts = (session) => of(session).map((c) => c.text.toString())
await until(() => sessions.every((session) => new Set(texts(session)).size === 1), 'convergence')
await sleep(spec.linger_ms ?? 500)
const result = {}
for (const session of sessions) result[session] = { texts: texts(session), tokens: of(session).flatMap((c) => c.tokens) }
console.log(JSON.stringify({ sessions: result }))
for (const c of clients) c.provider.destroy()
await sleep(200)
process.exit(0)
