// PHP 8.4 (php-wasm, Apache-2.0: PHP's embed SAPI compiled to WebAssembly). Loaded once;
// each run is a PHP request of its own (ended and restarted afterwards, so globals, functions
// and classes do not outlive it), its program saved as main.php. STDIN/STDOUT/STDERR exist as in the command line; errors go to stderr.

import { countLibraryFetches } from '../assets'
import { StdinBytes, type LoadContext, type RunIO, type Runtime } from '../runtime'

interface PhpModule {
  FS: {
    writeFile(path: string, data: string): void
    readFile(path: string, options: { encoding: 'utf8' }): string
    mkdir(path: string): void
    analyzePath(path: string): { exists: boolean }
  }
  ccall(name: string, returns: string, args: string[], values: unknown[], options?: { async?: boolean }): unknown
}
interface Php {
  binary: Promise<PhpModule>
  run(code: string): Promise<number>
  /** Ends the request (shutdown functions run, output is flushed) and starts a new one. */
  refresh(): Promise<number>
  flush(): void
}

let php: Php | null = null
let io: RunIO | null = null
let stdin: StdinBytes | null = null
const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() }
const pending = { stdout: [] as number[], stderr: [] as number[] }

/** Bytes from PHP, passed on per line (and whatever is left at the end of a run). */
function emit(stream: 'stdout' | 'stderr', byte: number) {
  const buffer = pending[stream]
  buffer.push(byte)
  if (byte === 10 || buffer.length >= 4096) flush(stream)
}

function flush(stream: 'stdout' | 'stderr') {
  const buffer = pending[stream]
  if (!buffer.length) return
  const text = decoders[stream].decode(new Uint8Array(buffer), { stream: true })
  buffer.length = 0
  if (io && io.accepting(stream)) io.write(stream, tidy(text))
}

/** PHP names the program by its path in the virtual file system: show main.php. */
function tidy(text: string): string {
  return text.replace(/\/pad\/main\.php/g, 'main.php')
}

const INI = `
display_errors=stderr
display_startup_errors=0
error_reporting=E_ALL
html_errors=0
log_errors=0
output_buffering=0
implicit_flush=1
memory_limit=512M
max_execution_time=0
`

// Runs the program in the same request: the CLI's stream constants first, then main.php;
// an uncaught error is reported as the CLI would (without the runner's own frames) and
// noted in /pad/status for the page.
const RUNNER = `<?php
if (!defined('STDIN')) define('STDIN', fopen('php://stdin', 'r'));
if (!defined('STDOUT')) define('STDOUT', fopen('php://stdout', 'w'));
if (!defined('STDERR')) define('STDERR', fopen('php://stderr', 'w'));
ini_set('display_errors', 'stderr');
ini_set('html_errors', '0');
error_reporting(E_ALL);
set_error_handler(function ($number, $message, $file, $line) {
    if (!(error_reporting() & $number)) return false;
    $kinds = [E_WARNING => 'Warning', E_NOTICE => 'Notice', E_DEPRECATED => 'Deprecated', E_USER_WARNING => 'Warning',
              E_USER_NOTICE => 'Notice', E_USER_DEPRECATED => 'Deprecated', E_USER_ERROR => 'Fatal error', E_RECOVERABLE_ERROR => 'Recoverable fatal error'];
    $where = str_contains($file, '/pad/main.php') ? 'main.php' : $file;
    fwrite(STDERR, 'PHP ' . ($kinds[$number] ?? 'Error') . ":  $message in $where on line $line\n");
    if ($number === E_USER_ERROR) exit(255);
    return true;
});
file_put_contents('/pad/status', 'ok');
register_shutdown_function(function () {
    $error = error_get_last();
    if ($error && in_array($error['type'], [E_ERROR, E_PARSE, E_CORE_ERROR, E_COMPILE_ERROR, E_USER_ERROR], true)) {
        // The embed SAPI does not display fatal errors: say it as the CLI would.
        $where = str_contains($error['file'], '/pad/main.php') ? 'main.php' : $error['file'];
        fwrite(STDERR, "PHP Fatal error:  {$error['message']} in $where on line {$error['line']}\n");
        file_put_contents('/pad/status', 'error ' . strtok($error['message'], "\n") . ' (line ' . $error['line'] . ')');
    }
});
try {
    require '/pad/main.php';
} catch (\Throwable $e) {
    $kind = $e instanceof \ParseError ? 'Parse error' : 'Fatal error';
    $message = $e instanceof \ParseError ? $e->getMessage() : 'Uncaught ' . get_class($e) . ': ' . $e->getMessage();
    $trace = array_filter(explode("\n", $e->getTraceAsString()), fn ($line) => !str_contains($line, 'php-wasm run script') && (!str_contains($line, '{main}') || str_contains($line, 'main.php')));
    fwrite(STDERR, "PHP $kind:  $message in main.php:" . $e->getLine() . ($trace && !($e instanceof \ParseError) ? "\nStack trace:\n" . implode("\n", $trace) : '') . "\n");
    file_put_contents('/pad/status', 'error ' . ($e instanceof \ParseError ? 'Parse error: ' : get_class($e) . ': ') . strtok($e->getMessage(), "\n") . ' (line ' . $e->getLine() . ')');
}
`

const runtime: Runtime = {
  async load(context: LoadContext) {
    // The Emscripten build looks for a window and a document; a worker has neither.
    const g = globalThis as Record<string, unknown>
    g.window ??= globalThis
    g.document ??= { currentScript: null, querySelector: () => null, addEventListener: () => {}, body: null, title: '' }
    countLibraryFetches(context, [PHP_WASM])
    const [{ PhpBase }] = await Promise.all([import('php-wasm/PhpBase')])
    const instance = new PhpBase(import('php-wasm/php8.4-web.mjs'), {
      ini: INI,
      stdin: () => {
        const byte = stdin?.read(1)
        return byte && byte.length ? byte[0] : null
      },
      stdout: (byte: number) => emit('stdout', byte),
      stderr: (byte: number) => emit('stderr', byte),
      autoTransaction: false,
    }) as unknown as Php
    const module = await instance.binary
    context.progress('starting')
    if (!module.FS.analyzePath('/pad').exists) module.FS.mkdir('/pad')
    php = instance
    const version = String(module.ccall('pib_php_version', 'string', [], []) ?? '')
    return `PHP ${version}`.trim()
  },

  async run(input, runIO) {
    if (!php) throw new Error('PHP is not loaded.')
    const module = await php.binary
    module.FS.writeFile('/pad/main.php', input.code)
    io = runIO
    stdin = new StdinBytes(input.stdin)
    runIO.started()
    module.FS.writeFile('/pad/status', 'error PHP stopped before the program ran')
    try {
      await php.run(RUNNER)
      // End this request: shutdown functions run and output is flushed; the next program
      // starts with no functions, classes or globals of this one.
      await php.refresh()
    } finally {
      flush('stdout')
      flush('stderr')
      io = null
      stdin = null
    }
    const status = module.FS.readFile('/pad/status', { encoding: 'utf8' })
    if (status === 'ok') return { status: 'ok' }
    return { status: 'error', message: tidy(status.replace(/^error /, '')) }
  },
}
export default runtime

const PHP_WASM = 'e31ec3faf3e2323a2b4a448342b50307765b8217.wasm'
