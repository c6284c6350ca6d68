// An independent replay of a session's update log with a stock Yjs client: the text of the
// code after every logged step, for checking the replay page against.
//   node replay_texts.mjs '{"base": "http://host", "session": "...", "key": "<interviewer key>"}'
// Reads GET /api/sessions/<id>/history page by page (the interviewer key as a bearer token),
// applies each update in order to a fresh Y.Doc (yjs from frontend/node_modules, nothing of
// the pad's own code) and prints one JSON line: { steps, seqs, texts, languages, authors },
// texts[i] being Text("code") after steps 0..i.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../../frontend/package.json'))
const Y = require('yjs')

const spec = JSON.parse(process.argv[2])
const doc = new Y.Doc()
const code = doc.getText('code')
const meta = doc.getMap('meta')
const texts = []
const seqs = []
const languages = []
const authors = []

let url = `${spec.base}/api/sessions/${encodeURIComponent(spec.session)}/history?limit=1000`
while (url) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${spec.key}`, Accept: 'application/json' } })
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${await response.text()}`)
  const page = await response.json()
  for (const step of page.results) {
    Y.applyUpdate(doc, Buffer.from(step.update, 'base64'))
    seqs.push(step.seq)
    texts.push(code.toString())
    languages.push(meta.get('language') ?? null)
    authors.push(step.author?.name ?? null)
  }
  url = page.next
}
console.log(JSON.stringify({ steps: texts.length, seqs, texts, languages, authors }))
