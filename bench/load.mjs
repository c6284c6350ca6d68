// Load generator: real Yjs clients (yjs + y-websocket's WebsocketProvider + ws,
// from the frontend's node_modules) typing into S sessions of C clients each.
//   node bench/load.mjs '<json spec>'
// spec: {
//   sessions: [{ room, urls: [url per client] }],  // client i of a session connects to urls[i]
//   rate: K keystrokes a second per client, duration_s: T, connect_timeout_s, grace_s,
//   provider: "y-websocket" (default) or "hocuspocus"
// }
// Each keystroke inserts one character at a random place. The typist notes the
// time under the Yjs id of the new item (its client id and clock); every other
// client of the session looks the id up when an update carrying the item
// reaches its document, giving the edit latency on one clock. Prints one JSON line.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'

const here = path.dirname(fileURLToPath(import.meta.url))
const spec = JSON.parse(process.argv[2])
// The y-websocket provider (the pad, the reference server, pycrdt-websocket) from the frontend's
// packages; Hocuspocus's own provider from bench/peers (with its own yjs: one yjs per process).
const hocuspocus = spec.provider === 'hocuspocus'
const require = createRequire(path.join(here, hocuspocus ? 'peers/package.json' : '../frontend/package.json'))
const Y = require('yjs')
const WebSocket = require('ws')

function connect (url, room, doc) {
  if (hocuspocus) {
    const { HocuspocusProvider } = require('@hocuspocus/provider')
    const provider = new HocuspocusProvider({ url, name: room, document: doc, WebSocketPolyfill: WebSocket })
    return {
      awareness: provider.awareness,
      get synced () { return provider.isSynced },
      get connected () { return provider.configuration.websocketProvider.status === 'connected' },
      onDisconnect: (callback) => provider.on('disconnect', callback),
      onError: (callback) => provider.on('close', callback),
      destroy: () => provider.destroy(),
    }
  }
  const { WebsocketProvider } = require('y-websocket')
  const provider = new WebsocketProvider(url, room, doc, { WebSocketPolyfill: WebSocket, maxBackoffTime: 1000, disableBc: true })
  return {
    awareness: provider.awareness,
    get synced () { return provider.synced },
    get connected () { return provider.wsconnected },
    onDisconnect: (callback) => provider.on('status', ({ status }) => { if (status === 'disconnected') callback() }),
    onError: (callback) => provider.on('connection-error', callback),
    destroy: () => provider.destroy(),
  }
}

const rate = spec.rate ?? 5
const durationMs = (spec.duration_s ?? 20) * 1000
const graceMs = (spec.grace_s ?? 5) * 1000
const connectTimeoutMs = (spec.connect_timeout_s ?? 60) * 1000
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const alphabet = 'abcdefghijklmnopqrstuvwxyz (){}=;\n'

const sent = new Map() // "client:clock" -> { at, pending deliveries }
const latencies = []
const timeline = [] // with spec.timeline: when (ms into the typing) each measured edit was made
let typingStartedAt = 0
let measuring = false
let edits = 0
let expected = 0
let delivered = 0
let lateOrLost = 0
let disconnects = 0
let connectErrors = 0

const clients = []
for (const session of spec.sessions) {
  const group = []
  session.urls.forEach((url, i) => {
    const doc = new Y.Doc()
    const provider = connect(url, session.room, doc)
    provider.awareness.setLocalStateField('user', { name: `bench-${i}`, color: '#30bced', role: 'candidate' })
    provider.onDisconnect(() => { disconnects++ })
    provider.onError(() => { connectErrors++ })
    const text = doc.getText('code')
    const client = { doc, provider, text, group }
    doc.on('update', (update, origin) => {
      if (!measuring || origin === null) return // null: this client's own keystroke
      const now = performance.now()
      for (const struct of Y.decodeUpdate(update).structs) {
        const { client: author, clock } = struct.id
        for (let c = clock; c < clock + struct.length; c++) {
          const entry = sent.get(`${author}:${c}`)
          if (entry === undefined || entry.seen.has(client)) continue
          entry.seen.add(client)
          latencies.push(now - entry.at)
          if (spec.timeline) timeline.push(Math.round(entry.at - typingStartedAt))
          delivered++
          if (--entry.waiting === 0) sent.delete(`${author}:${c}`)
        }
      }
    })
    group.push(client)
    clients.push(client)
  })
}

const connectStarted = performance.now()
while (!clients.every((c) => c.provider.synced)) {
  if (performance.now() - connectStarted > connectTimeoutMs) break
  await sleep(50)
}
const connectMs = performance.now() - connectStarted
const synced = clients.filter((c) => c.provider.synced).length

function keystroke (client) {
  const length = client.text.length
  const clock = Y.getState(client.doc.store, client.doc.clientID)
  const others = client.group.length - 1
  if (others > 0) {
    sent.set(`${client.doc.clientID}:${clock}`, { at: performance.now(), waiting: others, seen: new Set() })
    expected += others
  }
  edits++
  client.text.insert(Math.floor(Math.random() * (length + 1)), alphabet[Math.floor(Math.random() * alphabet.length)])
}

// Each client types at `rate` keystrokes a second, starting at a random phase.
measuring = true
const typingStarted = performance.now()
typingStartedAt = typingStarted
const timers = []
const interval = 1000 / rate
for (const client of clients) {
  timers.push(setTimeout(() => {
    keystroke(client)
    timers.push(setInterval(() => keystroke(client), interval))
  }, Math.random() * interval))
}
await sleep(durationMs)
for (const timer of timers) { clearTimeout(timer); clearInterval(timer) }
const typingMs = performance.now() - typingStarted
const connectedAtEnd = clients.filter((c) => c.provider.connected).length

// Let the last edits arrive; whatever has not arrived by then is late or lost.
const graceStarted = performance.now()
while (sent.size > 0 && performance.now() - graceStarted < graceMs) await sleep(20)
measuring = false
for (const entry of sent.values()) lateOrLost += entry.waiting

// Converged? Every session's clients hold one text.
let diverged = 0
for (const session of new Set(clients.map((c) => c.group))) {
  if (new Set(session.map((c) => c.text.toString())).size > 1) diverged++
}

const report = JSON.stringify({
  clients: clients.length,
  synced,
  connected_at_end: connectedAtEnd,
  connect_ms: Math.round(connectMs),
  typing_s: typingMs / 1000,
  edits,
  expected,
  delivered,
  late_or_lost: lateOrLost,
  disconnects,
  connect_errors: connectErrors,
  diverged_sessions: diverged,
  latencies_ms: latencies.map((x) => Math.round(x * 100) / 100),
  ...(spec.timeline ? { sent_at_ms: timeline } : {})
})
for (const c of clients) c.provider.destroy()
// A pipe is written asynchronously: exit only once the whole report is out.
process.stdout.write(report + '\n', () => process.exit(0))
