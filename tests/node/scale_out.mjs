// Yjs clients spread over several server processes, typing unique tokens.
// A client whose server goes away moves to its failover server: a new
// WebsocketProvider on the same Y.Doc (and awareness), which carries every
// edit the client made, acknowledged or not.
//   node scale_out.mjs '<json spec>'
// spec: { session, duration_ms, timeout_ms, language, run, wait_names,
//         clients: [{ url, failover_url, name }] }
// Prints "typing" once every client is synced, "done typing" when the typing
// stops, then one JSON line: { texts, tokens, names, languages, runs, moved }.
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
    if (Date.now() > deadline) {
      console.error(JSON.stringify(snapshot()))
      throw new Error(`timed out waiting for ${what}`)
    }
    await sleep(20)
  }
}

function connect (client, url) {
  const provider = new WebsocketProvider(url, spec.session, client.doc, {
    WebSocketPolyfill: WebSocket, maxBackoffTime: 300, awareness: client.awareness
  })
  client.awareness = provider.awareness
  provider.on('status', ({ status }) => {
    if (status === 'disconnected' && client.failover_url && client.provider === provider) {
      // The server went away: move to the other one with the same document.
      provider.destroy()
      const next = client.failover_url
      client.failover_url = null
      client.moved = true
      client.provider = connect(client, next)
    }
  })
  return provider
}

const clients = spec.clients.map((c, i) => {
  const doc = new Y.Doc()
  const client = { i, doc, text: doc.getText('code'), tokens: [], failover_url: c.failover_url, moved: false, awareness: undefined }
  client.provider = connect(client, c.url)
  client.awareness.setLocalStateField('user', { name: c.name, color: '#30bced', role: 'candidate' })
  return client
})

function snapshot () {
  return {
    texts: clients.map((c) => c.text.toString()),
    tokens: clients.flatMap((c) => c.tokens),
    names: clients.map((c) => [...c.awareness.getStates().values()].map((s) => s.user?.name).filter(Boolean).sort()),
    languages: clients.map((c) => c.doc.getMap('meta').get('language') ?? null),
    runs: clients.map((c) => c.doc.getArray('runs').toArray().map((r) => r.stdout ?? null)),
    moved: clients.map((c) => c.moved),
    synced: clients.map((c) => c.provider.synced)
  }
}

await until(() => clients.every((c) => c.provider.synced), 'the first sync')
console.log('typing')

if (spec.run) {
  // A run result, as the browser appends it after running the code.
  clients[0].doc.getArray('runs').push([{
    id: 'run-1', by: { name: spec.clients[0].name, color: '#30bced' }, language: 'python',
    stdout: spec.run, stderr: '', status: 'ok', duration_ms: 1, at: new Date().toISOString()
  }])
}

// Typing stops after duration_ms, or earlier when a line "stop" arrives on stdin.
const stopAt = Date.now() + (spec.duration_ms ?? 6000)
let stopRequested = false
process.stdin.on('data', (data) => { if (String(data).includes('stop')) stopRequested = true })
await Promise.all(clients.map(async (client) => {
  let n = 0
  while (!stopRequested && Date.now() < stopAt) {
    const token = `[y${client.i}-${n++}]`
    // Insert between tokens, never inside one, so each stays findable.
    const current = client.text.toString()
    const boundaries = [0]
    for (let at = current.indexOf(']'); at !== -1; at = current.indexOf(']', at + 1)) boundaries.push(at + 1)
    client.text.insert(boundaries[Math.floor(Math.random() * boundaries.length)], token)
    client.tokens.push(token)
    await sleep(20 + Math.random() * 30)
  }
}))
console.log('done typing')

await until(() => clients.every((c) => c.provider.wsconnected && c.provider.synced), 'reconnection')
const texts = () => clients.map((c) => c.text.toString())
await until(() => new Set(texts()).size === 1, 'convergence')
if (spec.language) await until(() => clients.every((c) => c.doc.getMap('meta').get('language') === spec.language), 'the language')
if (spec.wait_names) {
  await until(() => snapshot().names.every((names) => spec.wait_names.every((n) => names.includes(n))), 'awareness names')
}
await sleep(spec.linger_ms ?? 300)
console.log(JSON.stringify(snapshot()))
for (const c of clients) c.provider.destroy()
await sleep(100)
process.exit(0)
