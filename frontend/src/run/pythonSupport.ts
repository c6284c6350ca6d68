// The Python side of the Python runner, run once after Pyodide starts. `_pad_run(code, stdin)`
// executes one program in a fresh `__main__` namespace with `stdin` as its standard input
// (what `input()` and `sys.stdin` read) and returns JSON:
// {"status": "ok" | "error" | "interrupted", "message": str | None}. Tracebacks go to
// stderr without the runner's own frame.

export const PYTHON_SUPPORT = String.raw`
import builtins as _builtins
import io as _io
import json as _json
import linecache as _linecache
import sys as _sys
import traceback as _traceback

_PAD_STDOUT = _sys.stdout
_PAD_STDERR = _sys.stderr
_PAD_STDIN = _sys.stdin
_PAD_NO_PACKAGES = (
    "Note: the pad runs Python's standard library only; "
    "other packages cannot be installed here."
)


_PAD_NO_INPUT = (
    "Note: the program read past the end of its input: "
    "type the input it needs in the Input box, above the output."
)


def _pad_where(exc, tb):
    if isinstance(exc, SyntaxError) and exc.filename == "main.py" and exc.lineno:
        return exc.lineno
    line = None
    for frame in _traceback.extract_tb(tb):
        if frame.filename == "main.py":
            line = frame.lineno
    return line


def _pad_traceback(exc, tb):
    # The program's own frames (and the standard library's), not this runner's.
    te = _traceback.TracebackException(type(exc), exc, tb)
    te.stack = _traceback.StackSummary.from_list([f for f in te.stack if f.filename != "<exec>"])
    return "".join(te.format())


def _pad_run(code, stdin=""):
    # Source lines for tracebacks: the program is "main.py" but no file of that name exists.
    _linecache.cache["main.py"] = (len(code), None, code.splitlines(True), "main.py")
    namespace = {"__name__": "__main__", "__builtins__": _builtins, "__file__": "main.py"}
    result = {"status": "ok", "message": None}
    _sys.stdin = _io.StringIO(stdin)
    try:
        exec(compile(code, "main.py", "exec"), namespace)
    except KeyboardInterrupt:
        result = {"status": "interrupted", "message": None}
    except SystemExit as exc:
        status = exc.code
        if status not in (None, 0):
            if not isinstance(status, int):
                print(status, file=_sys.stderr)
            result = {"status": "error", "message": "SystemExit: %s" % (status if isinstance(status, int) else 1)}
    except BaseException as exc:
        tb = exc.__traceback__.tb_next if exc.__traceback__ is not None else None
        text = _pad_traceback(exc, tb)
        if isinstance(exc, ModuleNotFoundError):
            text += _PAD_NO_PACKAGES + "\n"
        if isinstance(exc, EOFError) and not stdin.strip():
            text += _PAD_NO_INPUT + "\n"
        _sys.stderr.write(text)
        headline = _traceback.format_exception_only(type(exc), exc)[-1].strip()
        line = _pad_where(exc, tb)
        result = {"status": "error", "message": headline + (" (line %d)" % line if line else "")}
    finally:
        for stream in (_sys.stdout, _sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        _sys.stdout, _sys.stderr, _sys.stdin = _PAD_STDOUT, _PAD_STDERR, _PAD_STDIN
        _sys.stdout.flush()
        _sys.stderr.flush()
    return _json.dumps(result)
`
