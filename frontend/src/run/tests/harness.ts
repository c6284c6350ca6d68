// Test programs: the candidate's code wrapped so that one ordinary run (the same runners,
// time limits and Stop as Run) calls the question's function with each case's arguments
// and prints one marker line per case: `<marker>{"i": 0, "ms": 1.2, "got": "<json>"}`
// (or `"error"`, or `"repr"` for a value JSON cannot hold). The page compares `got` with
// the expected value itself (results.ts): expected outputs never enter the worker.
//
// Candidate code may run in an interviewer's browser (hidden cases), so every test program
// first takes the network away from its worker (fetch, sockets, nested workers): the code
// cannot reach this server with the interviewer's cookies.
//
// stdin/stdout questions need no wrapping: each case is one run with its input as stdin
// (SQL: the input is a setup script run before the code), compared by text.

import { runtimeFor } from '../registry'

/** Languages whose function questions this module can wrap. */
export const FUNCTION_LANGUAGES: readonly string[] = ['python', 'javascript', 'typescript']

export function supportsFunctionTests(language: string): boolean {
  return FUNCTION_LANGUAGES.includes(language)
}

/** SQL reads no stdin: a case's input is a script (tables, rows) run before the candidate's query. */
export function isSqlLanguage(language: string): boolean {
  return language === 'sql' || language === 'postgresql'
}

/** Whether Run tests can run this question's cases in `language` here (and if not, why). */
export function testSupport(language: string, functionName: string): { ok: true } | { ok: false; reason: string } {
  if (!runtimeFor(language)) return { ok: false, reason: 'this language does not run in the browser' }
  if (functionName && !supportsFunctionTests(language)) {
    return { ok: false, reason: `the tests call the function ${functionName}: they run in Python, JavaScript and TypeScript` }
  }
  return { ok: true }
}

/** A marker no program prints by chance: a new one per test run. */
export function newMarker(random: () => number = Math.random): string {
  const nonce = Array.from({ length: 12 }, () => Math.floor(random() * 36).toString(36)).join('')
  return `@@pad-test-${nonce}@@`
}

/** snake_case -> camelCase (`two_sum` -> `twoSum`), the name JavaScript code usually uses. */
export function camelCase(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** camelCase -> snake_case (`twoSum` -> `two_sum`). */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

/** The names a solution may use for the question's function, most likely first. */
export function functionNames(functionName: string, language: string): string[] {
  const preferred = language === 'python' ? [functionName, snakeCase(functionName)] : [camelCase(functionName), functionName]
  return [...new Set(preferred)].filter((name) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name))
}

// What a test program takes away from its worker before the candidate's code runs. Deleted
// along the prototype chain, then pinned to undefined: nothing in the worker can get them back.
const NETWORK_GLOBALS = ['fetch', 'XMLHttpRequest', 'WebSocket', 'WebSocketStream', 'EventSource', 'Worker', 'SharedWorker', 'BroadcastChannel', 'WebTransport', 'importScripts', 'caches']
export const LOCKDOWN_JS =
  `(()=>{for(const k of ${JSON.stringify(NETWORK_GLOBALS)}){let o=globalThis;while(o){try{if(Object.prototype.hasOwnProperty.call(o,k))delete o[k]}catch(e){}o=Object.getPrototypeOf(o)}` +
  `try{Object.defineProperty(globalThis,k,{value:undefined,writable:false,configurable:false})}catch(e){}}})();`

/** A JSON text as a string literal both Python and JavaScript read back exactly. */
function literal(text: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters; U+2028/9 would end a
  // JavaScript line in older engines: escape them too.
  return JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

export interface FunctionProgram {
  /** What the runner runs. */
  code: string
  marker: string
}

/**
 * The program that calls `functionName` with each case's arguments. `inputs[i]` is case i's
 * argument list. Lines of the candidate's code keep their numbers (errors point at them).
 */
export function functionProgram(language: string, code: string, functionName: string, inputs: readonly unknown[][], marker: string): FunctionProgram {
  if (language === 'python') return { code: pythonProgram(code, functionNames(functionName, language), inputs, marker), marker }
  if (language === 'javascript' || language === 'typescript') {
    return { code: javascriptProgram(code, functionNames(functionName, language), inputs, marker), marker }
  }
  throw new Error(`function tests do not run in ${language}`)
}

// Python: the harness owns the whole program. The candidate's code is a string compiled as
// main.py and executed in a fresh namespace (so its line numbers and tracebacks are its own),
// then each case is called and reported. Exceptions are per case; KeyboardInterrupt (Stop,
// the time limit) ends the run as usual.
function pythonProgram(code: string, names: string[], inputs: readonly unknown[][], marker: string): string {
  return `import json as _pj, sys as _ps, time as _pt, traceback as _ptb, linecache as _plc
_PAD_MARK = ${literal(marker)}
_PAD_SRC = ${literal(code)}
_PAD_CASES = _pj.loads(${literal(JSON.stringify(inputs))})
_PAD_NAMES = _pj.loads(${literal(JSON.stringify(names))})
try:
    from pyodide.code import run_js as _prj
    _prj(${literal(LOCKDOWN_JS)})
    del _prj
except Exception:
    pass

def _pad_emit(record):
    _ps.stdout.write("\\n" + _PAD_MARK + _pj.dumps(record) + "\\n")
    _ps.stdout.flush()

def _pad_error(exc, tb):
    line = exc.lineno if isinstance(exc, SyntaxError) and exc.filename == "main.py" else None
    for frame in _ptb.extract_tb(tb):
        if frame.filename == "main.py":
            line = frame.lineno
    head = _ptb.format_exception_only(type(exc), exc)[-1].strip()
    return head + (" (line %d)" % line if line else "")

def _pad_main():
    _plc.cache["main.py"] = (len(_PAD_SRC), None, _PAD_SRC.splitlines(True), "main.py")
    ns = {"__name__": "__main__", "__builtins__": __builtins__, "__file__": "main.py"}
    try:
        exec(compile(_PAD_SRC, "main.py", "exec"), ns)
    except SystemExit as exc:
        if exc.code not in (None, 0):
            _pad_emit({"fatal": "SystemExit: %s" % exc.code})
            return
    except Exception as exc:
        tb = exc.__traceback__.tb_next if exc.__traceback__ is not None else None
        te = _ptb.TracebackException(type(exc), exc, tb)
        _ps.stderr.write("".join(te.format()))
        _pad_emit({"fatal": _pad_error(exc, tb)})
        return
    fn = None
    for name in _PAD_NAMES:
        if callable(ns.get(name)):
            fn = ns[name]
            break
    if fn is None and isinstance(ns.get("Solution"), type):
        for name in _PAD_NAMES:
            if callable(getattr(ns["Solution"], name, None)):
                fn = getattr(ns["Solution"](), name)
                break
    if fn is None:
        _pad_emit({"missing": True})
        return
    for i, args in enumerate(_PAD_CASES):
        t0 = _pt.perf_counter()
        try:
            got = fn(*args)
        except Exception as exc:
            _pad_emit({"i": i, "ms": (_pt.perf_counter() - t0) * 1000, "error": _pad_error(exc, exc.__traceback__.tb_next)})
            continue
        ms = (_pt.perf_counter() - t0) * 1000
        try:
            _pad_emit({"i": i, "ms": ms, "got": _pj.dumps(got, allow_nan=False)})
        except (TypeError, ValueError):
            _pad_emit({"i": i, "ms": ms, "repr": repr(got)})

_pad_main()
`
}

// JavaScript / TypeScript: the runtime runs the program inside `(async()=>{ ... })()`, so the
// harness goes after the candidate's code in the same scope (their functions, consts and
// classes are in reach by name). The network lock goes first, on line 1, so line numbers stay.
function javascriptProgram(code: string, names: string[], inputs: readonly unknown[][], marker: string): string {
  const lookup = names.map((name) => `typeof ${name} === "function" ? ${name} : `).join('')
  const method = names
    .map((name) => `typeof Solution === "function" && Solution.prototype && typeof Solution.prototype.${name} === "function" ? (...a) => new Solution().${name}(...a) : `)
    .join('')
  return `const __padLog = console.log.bind(console);${LOCKDOWN_JS}${code}
;await (async () => {
  const mark = ${literal(marker)};
  const emit = (record) => __padLog("\\n" + mark + JSON.stringify(record));
  const cases = JSON.parse(${literal(JSON.stringify(inputs))});
  const lineOf = (error) => { const m = /main\\.[jt]s:(\\d+)/.exec(String(error && error.stack || "")); return m ? " (line " + m[1] + ")" : "" };
  const fn = ${lookup}${method}undefined;
  if (typeof fn !== "function") { emit({ missing: true }); return }
  for (let i = 0; i < cases.length; i++) {
    const t0 = performance.now();
    let got;
    try {
      got = fn(...cases[i]);
      if (got && typeof got.then === "function") got = await got;
    } catch (error) {
      const head = error instanceof Error ? error.name + ": " + error.message : "Uncaught " + String(error);
      emit({ i, ms: performance.now() - t0, error: head + lineOf(error) });
      continue;
    }
    const ms = performance.now() - t0;
    let text;
    try { text = JSON.stringify(got) } catch (e) { text = undefined }
    emit(text === undefined ? { i, ms, repr: String(got) } : { i, ms, got: text });
  }
})();
`
}
