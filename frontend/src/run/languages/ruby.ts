// Ruby 3.4 (ruby.wasm with its standard library, on the browser WASI shim). The WebAssembly
// module is compiled once; every run gets a fresh Ruby VM (made ahead, while idle), so
// nothing one program defines leaks into the next. Output is unbuffered, so it streams.

import { WASI, PreopenDirectory } from '@bjorn3/browser_wasi_shim'
import { RubyVM } from '@ruby/wasm-wasi'
import { runtimeAsset } from '../assets'
import { StdinBytes, type LoadContext, type RunIO, type Runtime } from '../runtime'
import { outputFd, StdinFd } from '../wasi'

let module: WebAssembly.Module | null = null
let spare: Promise<RubyVM> | null = null
let io: RunIO | null = null
let stdin: StdinBytes | null = null

// Runs the program (base64 of its UTF-8 text) as main.rb at the top level; returns
// "ok", "exit <status>" or "error <one line>". The backtrace shows the program's frames only.
const RUNNER = `
$stdout.sync = true
$stderr.sync = true
def __pad_run(__pad_b64)
  __pad_code = __pad_b64.unpack1('m').force_encoding('UTF-8')
  begin
    TOPLEVEL_BINDING.eval(__pad_code, 'main.rb', 1)
    'ok'
  rescue SystemExit => e
    e.success? ? 'ok' : "exit #{e.status}"
  rescue Exception => e
    mine = (e.backtrace || []).select { |line| line.start_with?('main.rb') }
    e.set_backtrace(mine)
    $stderr.write(e.full_message(highlight: false, order: :top))
    where = mine.first && mine.first[/\\Amain\\.rb:(\\d+)/, 1]
    where ||= e.message[/main\\.rb:(\\d+)/, 1] if e.is_a?(SyntaxError)
    first = e.message.to_s.lines.first.to_s.strip
    first = first.sub(/\\Amain\\.rb:\\d+: /, '') if e.is_a?(SyntaxError)
    "error #{e.class}: #{first}#{where ? " (line #{where})" : ''}"
  ensure
    $stdout.flush
    $stderr.flush
  end
end
`

async function makeVM(): Promise<RubyVM> {
  if (!module) throw new Error('Ruby is not loaded.')
  const fds = [new StdinFd(() => stdin), outputFd(() => io, 'stdout'), outputFd(() => io, 'stderr'), new PreopenDirectory('/', new Map())]
  const wasi = new WASI(['ruby'], ['RUBYOPT=-EUTF-8'], fds, { debug: false })
  const { vm } = await RubyVM.instantiateModule({ module, wasip1: wasi })
  vm.eval(RUNNER)
  return vm
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

const runtime: Runtime = {
  async load(context: LoadContext) {
    const { base, files } = runtimeAsset('ruby')
    const name = 'ruby+stdlib.wasm'
    context.expect(files[name])
    module = await WebAssembly.compileStreaming(context.fetch(new URL(base + name, context.assetsBase), files[name]))
    context.progress('starting')
    spare = makeVM()
    const vm = await spare
    return `Ruby ${vm.eval('RUBY_VERSION').toString()}`
  },

  async run(input, runIO) {
    const vm = await (spare ?? makeVM())
    spare = null
    io = runIO
    stdin = new StdinBytes(input.stdin)
    runIO.started()
    let result: string
    try {
      result = vm.eval(`__pad_run(${JSON.stringify(base64(input.code))})`).toString()
    } finally {
      io = null
      stdin = null
      // The next program gets a new VM, made now, while nobody waits.
      spare = makeVM()
      spare.catch(() => {})
    }
    if (result === 'ok') return { status: 'ok' }
    if (result.startsWith('exit ')) return { status: 'error', message: `exit status ${result.slice(5)}` }
    return { status: 'error', message: result.replace(/^error /, '') }
  },
}
export default runtime
