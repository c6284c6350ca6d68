// Hocuspocus (a Yjs server in Node), in memory, for the load benchmark (bench/run.py).
//   HOST=127.0.0.1 PORT=1234 node bench/peers/hocuspocus_server.mjs
import { Server } from '@hocuspocus/server'

const server = new Server({
  address: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 1234),
  quiet: true,
  stopOnSignals: true,
})
await server.listen()
console.log(`hocuspocus listening on ${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? 1234}`)
