// Lua 5.4 (wasmoon: the reference interpreter compiled to WebAssembly, 64-bit integers).
// The WebAssembly module loads once; every run gets a fresh Lua state. print, io.write,
// io.read and io.lines are the pad's: output streams into the run, input comes from the
// run's Input box.

import { LuaFactory, type LuaEngine } from 'wasmoon'
import { countRuntimeFetches } from '../assets'
import { StdinReader, type LoadContext, type RunIO, type Runtime } from '../runtime'

let factory: LuaFactory | null = null
let io: RunIO | null = null
let stdin = new StdinReader('')

// Standard output and input through the pad (installed in each fresh state).
const PRELUDE = String.raw`
local write, readline, readall, readnumber, readchars = __pad_write, __pad_readline, __pad_readall, __pad_readnumber, __pad_readchars
__pad_write, __pad_readline, __pad_readall, __pad_readnumber, __pad_readchars = nil, nil, nil, nil, nil
local tostring, select, type, concat, unpack, error = tostring, select, type, table.concat, table.unpack, error
local function out(fd, ...)
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    local t = type(v)
    if t == 'number' then v = tostring(v)
    elseif t ~= 'string' then error("bad argument #" .. i .. " to 'write' (string expected, got " .. t .. ")", 3) end
    write(fd, v)
  end
end
function print(...)
  local n = select('#', ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  write(1, concat(parts, '\t', 1, n) .. '\n')
end
local function read1(fmt)
  if type(fmt) == 'number' then return readchars(fmt) end
  fmt = (fmt or 'l'):gsub('^%*', '')
  local c = fmt:sub(1, 1)
  if c == 'l' then return readline(false)
  elseif c == 'L' then return readline(true)
  elseif c == 'a' then return readall()
  elseif c == 'n' then return readnumber()
  end
  error("bad argument #1 to 'read' (invalid format)", 3)
end
local function read(...)
  local n = select('#', ...)
  if n == 0 then return read1('l') end
  local results = {}
  for i = 1, n do
    local v = read1((select(i, ...)))
    results[i] = v
    if v == nil then return unpack(results, 1, i) end
  end
  return unpack(results, 1, n)
end
local function lines(_, fmt)
  return function() return read1(fmt or 'l') end
end
local stdout, stderr, stdin = {}, {}, {}
function stdout:write(...) out(1, ...) return self end
function stderr:write(...) out(2, ...) return self end
function stdout:flush() return self end
stderr.flush = stdout.flush
function stdout:setvbuf() return true end
stderr.setvbuf = stdout.setvbuf
function stdout:close() return true end
stderr.close = stdout.close
stdin.close = stdout.close
function stdin:read(...) return read(...) end
function stdin:lines(fmt) return lines(nil, fmt) end
io.stdout, io.stderr, io.stdin = stdout, stderr, stdin
function io.write(...) out(1, ...) return stdout end
io.read = read
local open_lines = io.lines
function io.lines(filename, ...)
  if filename == nil then return lines(nil, ...) end
  return open_lines(filename, ...)
end
function io.input() return stdin end
function io.output() return stdout end
`

function readNumber(): number | null {
  const rest = stdin.readAll()
  const match = /^\s*([+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))/.exec(rest)
  if (!match) {
    stdin = new StdinReader(rest.replace(/^\s+/, ''))
    return null
  }
  stdin = new StdinReader(rest.slice(match[0].length))
  return Number(match[1])
}

async function newEngine(): Promise<LuaEngine> {
  if (!factory) throw new Error('Lua is not loaded.')
  const engine = await factory.createEngine({ injectObjects: false, enableProxy: false })
  engine.global.set('__pad_write', (fd: number, text: string) => io?.write(fd === 2 ? 'stderr' : 'stdout', String(text)))
  // End of input is nil: return undefined (wasmoon cannot hand null to Lua).
  engine.global.set('__pad_readline', (keep: boolean) => stdin.readLine(keep) ?? undefined)
  engine.global.set('__pad_readall', () => stdin.readAll())
  engine.global.set('__pad_readnumber', () => readNumber() ?? undefined)
  engine.global.set('__pad_readchars', (n: number) => {
    const rest = stdin.readAll()
    if (!rest && n > 0) return undefined
    stdin = new StdinReader(rest.slice(n))
    return rest.slice(0, n)
  })
  engine.doStringSync(PRELUDE)
  return engine
}

const runtime: Runtime = {
  async load(context: LoadContext) {
    const { url } = countRuntimeFetches(context, 'lua')
    factory = new LuaFactory(`${url}glue.wasm`)
    await factory.getLuaModule()
    context.progress('starting')
    const engine = await newEngine()
    const version = String(engine.global.get('_VERSION') ?? 'Lua 5.4')
    engine.global.close()
    return version
  },

  async run(input, runIO) {
    if (!factory) throw new Error('Lua is not loaded.')
    const engine = await newEngine()
    io = runIO
    stdin = new StdinReader(input.stdin)
    await factory.mountFile('/main.lua', input.code)
    runIO.started()
    try {
      await engine.doFile('/main.lua')
      return { status: 'ok' }
    } catch (error) {
      const text = String((error as Error)?.message ?? error).replace(/\/main\.lua:/g, 'main.lua:')
      runIO.write('stderr', `lua: ${text}\n`)
      const first = text.split('\n')[0]
      const line = /^main\.lua:(\d+):\s*/.exec(first)
      return { status: 'error', message: line ? `${first.slice(line[0].length)} (line ${line[1]})` : first }
    } finally {
      io = null
      engine.global.close()
    }
  },
}
export default runtime
