// Honest clients of the soak (bench/soak.py): stock Yjs clients (yjs + y-websocket's
// WebsocketProvider + ws, from the frontend's node_modules) typing until told to stop.
//
//   node bench/soak_clients.mjs run '<json spec>'      type; "attack-over" and "stop" on stdin
//   node bench/soak_clients.mjs verify LEDGER UPDATES   check the ledger against stored documents
//
// run spec: { url: "ws://host/ws/yjs", rooms: [id, ...], clients: C per room,
//             rate: [min, max] keystrokes a second, grace_s, connect_timeout_s, ledger_path }
// Each client types one character at a random place per keystroke, at its own rate drawn
// from [min, max], with jittered intervals; it has an awareness state {user: {name, color}}.
// Latency: the typist notes the time under the Yjs id (client id, clock) of each new
// character; every other client of the room looks the id up when the update carrying it
// arrives. Every character typed is kept in a ledger (room -> client id -> clock -> char),
// written to ledger_path at the end, so that soak.py can check each one is in the database.
// "attack-over" on stdin marks the end of the attack: latency is reported for the edits
// made before it and after it apart; "stop" ends the typing.
//
// stdout, one JSON object a line:
//   {kind: "conn", room, client, up}        a client connected or lost its connection
//   {kind: "ready", clients, synced, connect_ms}  everyone synced: typing starts
//   {kind: "status", t_s, connected, edits, delivered, pending}   every 10 s
//   {kind: "report", ...}                   after "stop" and the grace period
// verify prints {kind: "verify", ...}: edits found, missing, deleted or changed, and the
// characters of the code that no honest client typed.
import { createRequire } from 'node:module'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../frontend/package.json'))
const Y = require('yjs')
const { WebsocketProvider } = require('y-websocket')
const WebSocket = require('ws')

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const emit = (object) => process.stdout.write(JSON.stringify(object) + '\n')
const alphabet = 'abcdefghijklmnopqrstuvwxyz (){}=;\n'
const randomColour = () => '#' + Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0')

function percentiles (values) {
  if (values.length === 0) return { count: 0, p50_ms: null, p99_ms: null, max_ms: null }
  const sorted = Float64Array.from(values).sort()
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.round(p / 100 * (sorted.length - 1)))]
  const round = (x) => Math.round(x * 100) / 100
  return { count: sorted.length, p50_ms: round(at(50)), p99_ms: round(at(99)), max_ms: round(sorted[sorted.length - 1]) }
}

// Typing ---------------------------------------------------------------------------

class Soak {
  constructor (spec) {
    this.spec = spec
    this.sent = new Map() // "client:clock" -> { at, waiting, seen }
    this.latencies = { attacked: [], after: [] } // every delivery, by when its edit was made
    this.attackOver = false
    this.byMinute = [] // minute of typing -> deliveries' latencies
    this.ledger = {} // room -> client id -> { start, text }
    this.clients = []
    this.counts = { edits: 0, expected: 0, delivered: 0, late_or_lost: 0, disconnects: 0, connect_errors: 0 }
    this.closes = [] // [seconds into the typing, close code] of each lost connection
    this.measuring = false
    this.typingStarted = 0
    this.timers = []
  }

  connect () {
    for (const room of this.spec.rooms) {
      const group = []
      this.ledger[room] = {}
      for (let i = 0; i < this.spec.clients; i++) this.client(room, i, group)
    }
  }

  // A client of `room`, added to its `group` (the room's clients) and to this.clients.
  client (room, index, group) {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(this.spec.url, room, doc, {
      WebSocketPolyfill: WebSocket, maxBackoffTime: 1000, disableBc: true
    })
    provider.awareness.setLocalStateField('user', { name: `honest ${room.slice(0, 6)} #${index}`, color: randomColour() })
    const client = { room, index, doc, provider, group, text: doc.getText('code') }
    provider.on('status', ({ status }) => {
      if (status === 'disconnected') this.counts.disconnects++
      if (status === 'connected' || status === 'disconnected') emit({ kind: 'conn', room, client: index, up: status === 'connected' })
    })
    provider.on('connection-error', () => { this.counts.connect_errors++ })
    provider.on('connection-close', (event) => {
      if (this.measuring) this.closes.push([Math.round((performance.now() - this.typingStarted) / 1000), event?.code ?? null])
    })
    doc.on('update', (update, origin) => { if (origin !== null) this.arrived(client, update) })
    group.push(client)
    this.clients.push(client)
    return client
  }

  arrived (client, update) {
    if (!this.measuring) return
    const now = performance.now()
    for (const struct of Y.decodeUpdate(update).structs) {
      const { client: author, clock } = struct.id
      for (let c = clock; c < clock + struct.length; c++) {
        const key = `${author}:${c}`
        const entry = this.sent.get(key)
        if (entry === undefined || entry.seen.has(client)) continue
        entry.seen.add(client)
        const latency = now - entry.at
        this.latencies[entry.phase].push(latency)
        const minute = Math.floor((entry.at - this.typingStarted) / 60000)
        ;(this.byMinute[minute] ??= []).push(latency)
        this.counts.delivered++
        if (--entry.waiting === 0) this.sent.delete(key)
      }
    }
  }

  keystroke (client) {
    const { doc, text } = client
    const clock = Y.getState(doc.store, doc.clientID)
    const char = alphabet[Math.floor(Math.random() * alphabet.length)]
    const others = client.group.length - 1
    if (others > 0) {
      const phase = this.attackOver ? 'after' : 'attacked'
      this.sent.set(`${doc.clientID}:${clock}`, { at: performance.now(), phase, waiting: others, seen: new Set() })
      this.counts.expected += others
    }
    this.remember(client.room, doc.clientID, clock, char)
    this.counts.edits++
    text.insert(Math.floor(Math.random() * (text.length + 1)), char)
  }

  remember (room, clientId, clock, char) {
    const byClient = this.ledger[room]
    const entry = (byClient[clientId] ??= { start: clock, text: '' })
    if (clock !== entry.start + entry.text.length) throw new Error(`clock gap for ${clientId}: ${clock}`)
    entry.text += char
  }

  async waitForSync () {
    const started = performance.now()
    const deadline = started + this.spec.connect_timeout_s * 1000
    while (!this.clients.every((c) => c.provider.synced) && performance.now() < deadline) await sleep(50)
    const synced = this.clients.filter((c) => c.provider.synced).length
    emit({ kind: 'ready', clients: this.clients.length, synced, connect_ms: Math.round(performance.now() - started) })
  }

  startTyping () {
    const [low, high] = this.spec.rate
    this.measuring = true
    this.typingStarted = performance.now()
    for (const client of this.clients) {
      const meanMs = 1000 / (low + Math.random() * (high - low))
      const next = () => {
        this.keystroke(client)
        this.timers.push(setTimeout(next, meanMs * (0.5 + Math.random())))
      }
      this.timers.push(setTimeout(next, Math.random() * meanMs))
    }
    this.timers.push(setInterval(() => emit({ kind: 'status', ...this.status() }), 10000))
  }

  status () {
    return {
      t_s: Math.round((performance.now() - this.typingStarted) / 1000),
      connected: this.clients.filter((c) => c.provider.wsconnected).length,
      edits: this.counts.edits,
      delivered: this.counts.delivered,
      pending: this.sent.size
    }
  }

  async stop () {
    for (const timer of this.timers) { clearTimeout(timer); clearInterval(timer) }
    const typingS = (performance.now() - this.typingStarted) / 1000
    const connectedAtEnd = this.clients.filter((c) => c.provider.wsconnected).length
    const graceStarted = performance.now()
    while (this.sent.size > 0 && performance.now() - graceStarted < this.spec.grace_s * 1000) await sleep(20)
    this.measuring = false
    for (const entry of this.sent.values()) this.counts.late_or_lost += entry.waiting
    fs.writeFileSync(this.spec.ledger_path, JSON.stringify(this.ledger))
    const report = {
      kind: 'report',
      clients: this.clients.length,
      connected_at_end: connectedAtEnd,
      typing_s: typingS,
      ...this.counts,
      diverged_rooms: this.divergedRooms(),
      closes: this.closes,
      over_1s: this.all().filter((x) => x > 1000).length,
      over_5s: this.all().filter((x) => x > 5000).length,
      latency: percentiles(this.all()),
      latency_attacked: percentiles(this.latencies.attacked),
      latency_after: percentiles(this.latencies.after),
      by_minute: this.byMinute.map((values) => percentiles(values ?? []))
    }
    for (const client of this.clients) client.provider.destroy()
    return report
  }

  all () {
    return this.latencies.attacked.concat(this.latencies.after)
  }

  divergedRooms () {
    const rooms = new Map()
    for (const c of this.clients) rooms.set(c.room, [...(rooms.get(c.room) ?? []), c.text.toString()])
    return [...rooms.values()].filter((texts) => new Set(texts).size > 1).length
  }
}

async function run (spec) {
  process.setMaxListeners(0) // each provider listens for 'exit'
  const soak = new Soak(spec)
  soak.connect()
  await soak.waitForSync()
  soak.startTyping()
  const lines = readline.createInterface({ input: process.stdin })
  for await (const line of lines) {
    if (line.trim() === 'attack-over') soak.attackOver = true
    if (line.trim() === 'stop') break
  }
  const report = await soak.stop()
  // A pipe is written asynchronously: exit only once the whole report is out.
  process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(0))
}

// Verifying ------------------------------------------------------------------------

// Check one room: every ledger character is an undeleted item of its client, at its clock,
// holding that character; and count code characters no honest client typed.
function verifyRoom (ledger, update) {
  const doc = new Y.Doc()
  if (update) Y.applyUpdate(doc, Buffer.from(update, 'base64'))
  const result = { edits: 0, found: 0, missing: 0, deleted: 0, changed: 0, foreign_chars: 0, examples: [] }
  for (const [clientId, { start, text }] of Object.entries(ledger)) {
    const structs = doc.store.clients.get(Number(clientId)) ?? []
    const known = Y.getState(doc.store, Number(clientId))
    for (let offset = 0; offset < text.length; offset++) {
      result.edits++
      const problem = start + offset < known ? checkItem(structs, start + offset, text[offset]) : 'missing'
      if (problem === null) result.found++
      else {
        result[problem]++
        if (result.examples.length < 5) result.examples.push({ client: clientId, clock: start + offset, problem })
      }
    }
  }
  for (let item = doc.getText('code')._start; item !== null; item = item.right) {
    if (!item.deleted && !(String(item.id.client) in ledger)) result.foreign_chars += item.length
  }
  return result
}

function checkItem (structs, clock, char) {
  const struct = structs[Y.findIndexSS(structs, clock)]
  if (struct.deleted || !(struct.content instanceof Y.ContentString)) return 'deleted'
  return struct.content.str[clock - struct.id.clock] === char ? null : 'changed'
}

function verify (ledgerPath, updatesPath) {
  const ledger = JSON.parse(fs.readFileSync(ledgerPath, 'utf8'))
  const updates = JSON.parse(fs.readFileSync(updatesPath, 'utf8'))
  const total = { kind: 'verify', rooms: 0, edits: 0, found: 0, missing: 0, deleted: 0, changed: 0, foreign_chars: 0, examples: [] }
  for (const [room, byClient] of Object.entries(ledger)) {
    const result = verifyRoom(byClient, updates[room])
    total.rooms++
    for (const key of ['edits', 'found', 'missing', 'deleted', 'changed', 'foreign_chars']) total[key] += result[key]
    for (const example of result.examples) if (total.examples.length < 10) total.examples.push({ room, ...example })
  }
  emit(total)
}

const [mode, ...args] = process.argv.slice(2)
if (mode === 'run') await run(JSON.parse(args[0]))
else if (mode === 'verify') verify(args[0], args[1])
else throw new Error('usage: soak_clients.mjs run SPEC | verify LEDGER UPDATES')
