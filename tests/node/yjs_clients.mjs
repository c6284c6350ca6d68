// Real Yjs clients (yjs + y-websocket's WebsocketProvider, from the frontend's
// node_modules) driven by the Python tests. Usage:
//   node yjs_clients.mjs '<json spec>'
// spec: { url: "ws://host/ws/yjs", session, clients: N, names: [...],
//         ops: K per client, seed, pause_ms, expect_text, timeout_ms,
//         wait_names: true, insert_text: "...", cut: P }
// cut: while typing, every 15 ms each client's connection is cut (its TCP socket destroyed,
// as a network drop would) with probability P; the provider reconnects by itself.
// Prints one JSON line with each client's final text and the names it saw.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../../frontend/package.json'))
const Y = require('yjs')
const { WebsocketProvider } = require('y-websocket')
const WebSocket = require('ws')

const spec = JSON.parse(process.argv[2])
const timeoutMs = spec.timeout_ms ?? 60000
const deadline = Date.now() + timeoutMs

let seed = spec.seed ?? 1
const random = () => {
  // mulberry32: reproducible runs from a seed
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
async function until (condition, what) {
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

const clients = []
for (let i = 0; i < (spec.clients ?? 1); i++) {
  const doc = new Y.Doc()
  // No BroadcastChannel: clients in one process would sync through it, without the server,
  // and "converged" would not mean that the server has every edit.
  const provider = new WebsocketProvider(spec.url, spec.session, doc, { WebSocketPolyfill: WebSocket, disableBc: true })
  const name = spec.names?.[i] ?? `client-${i}`
  provider.awareness.setLocalStateField('user', { name, color: '#30bced', role: 'candidate' })
  clients.push({ doc, provider, name, text: doc.getText('code') })
}
await until(() => clients.every((c) => c.provider.synced), 'the first sync')

if (spec.insert_text) clients[0].text.insert(clients[0].text.length, spec.insert_text)

const alphabet = 'abcdefghijklmnopqrstuvwxyz \n{}()'
async function type (client) {
  for (let op = 0; op < (spec.ops ?? 0); op++) {
    const length = client.text.length
    if (length > 0 && random() < 0.3) {
      const at = Math.floor(random() * length)
      client.text.delete(at, Math.min(1 + Math.floor(random() * 3), length - at))
    } else {
      const at = Math.floor(random() * (length + 1))
      client.text.insert(at, alphabet[Math.floor(random() * alphabet.length)])
    }
    if (spec.pause_ms) await sleep(random() * spec.pause_ms)
    else if (op % 10 === 0) await sleep(0)
  }
}
const cutting = setInterval(() => {
  for (const c of clients) {
    if (random() < (spec.cut ?? 0)) c.provider.ws?._socket?.destroy()
  }
}, 15)
await Promise.all(clients.map(type))
clearInterval(cutting)

const texts = () => clients.map((c) => c.text.toString())
if (spec.expect_text !== undefined) {
  await until(() => texts().every((t) => t === spec.expect_text), 'the expected text')
} else {
  await until(() => new Set(texts()).size === 1, 'convergence')
}
const seen = () => clients.map((c) => [...c.provider.awareness.getStates().values()].map((s) => s.user?.name).filter(Boolean).sort())
if (spec.wait_names) {
  await until(() => seen().every((names) => spec.wait_names.every((n) => names.includes(n))), 'awareness names')
}
// Give the server a moment to have each update (it acknowledges nothing), then report.
await sleep(spec.linger_ms ?? 0)
console.log(JSON.stringify({ texts: texts(), names: seen(), language: clients[0].doc.getMap('meta').get('language') ?? null }))
for (const c of clients) c.provider.destroy()
process.exit(0)
