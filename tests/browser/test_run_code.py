"""Running code in the browser (Chromium), against a live server: JavaScript, TypeScript and
Python (Pyodide from this server's own static files), output shared through the document
to everyone in the session, program input, TypeScript's type errors, and the bad programs a
candidate writes. The other languages are in test_languages.py. Timings belong in
bench/run_timings.py, not here."""
import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from .run_support import (
    PYTHON_TIMEOUT_MS,
    RUN_TIMEOUT_MS,
    click_run,
    entry_count,
    entry_text,
    newest,
    run,
    set_code,
    set_stdin,
    wait_for_entries,
)
from .support import BrowserTestCase


class RunCodeTests(BrowserTestCase):
    def two_people(self, language):
        session_id = self.create_session(language=language)
        return self.open_session(session_id, "Ada"), self.open_session(session_id, "Grace")

    def test_javascript_console_output_is_shared_with_everyone(self):
        ada, grace = self.two_people("javascript")
        entry = run(ada, 'console.log("hello", {a: 1, b: [1, 2]}, [3, "x"])\nconsole.error("careful")', others=[grace])
        for page in (ada, grace):
            entry = newest(page)
            expect(entry).to_have_attribute("data-status", "ok")
            self.assertEqual(entry_text(entry, "stdout"), "hello { a: 1, b: [ 1, 2 ] } [ 3, 'x' ]")
            self.assertEqual(entry_text(entry, "stderr"), "careful")
            expect(entry.get_by_test_id("run-by")).to_have_text("Ada")
            expect(entry).to_contain_text("JavaScript")
        # Grace runs with Ctrl+Enter from the editor; the newest run is listed first for both.
        set_code(grace, "console.log(6 * 7)")
        grace.click(".monaco-editor .view-lines")
        grace.keyboard.press("Control+Enter")
        for page in (ada, grace):
            wait_for_entries(page, 2)
            expect(newest(page).get_by_test_id("run-stdout")).to_have_text("42")
            expect(newest(page).get_by_test_id("run-by")).to_have_text("Grace")
        self.assertEqual(grace.evaluate("() => window.__pad.doc.getText('code').toString()"), "console.log(6 * 7)")
        # The shared document holds the runs as plain JSON entries.
        stored = ada.evaluate("() => window.__pad.doc.getArray('runs').toJSON()")
        self.assertEqual([r["by"]["name"] for r in stored], ["Ada", "Grace"])
        self.assertEqual(
            set(stored[0]), {"id", "by", "language", "stdout", "stderr", "status", "duration_ms", "at"}
        )

    def test_typescript_with_type_annotations_runs(self):
        ada, grace = self.two_people("typescript")
        code = "\n".join([
            "interface Point { x: number; y: number }",
            "enum Color { Red, Green }",
            "type Pair<T> = [T, T]",
            "function norm(p: Point): number { return Math.abs(p.x) + Math.abs(p.y) }",
            "const pair: Pair<string> = ['a', 'b']",
            "const n = <number>norm({ x: -3, y: 4 } as Point)",
            "console.log(n, Color.Green, pair)",
        ])
        run(ada, code, others=[grace])
        for page in (ada, grace):
            expect(newest(page)).to_have_attribute("data-status", "ok")
            self.assertEqual(entry_text(newest(page), "stdout"), "7 1 [ 'a', 'b' ]")
            expect(newest(page)).to_contain_text("TypeScript")

    def test_python_prints_in_both_browsers_from_this_server_only(self):
        ada, grace = self.two_people("python")
        start = len(self.requests)
        set_code(ada, "print(sum(range(10)))")
        click_run(ada)
        # First use: Pyodide loads with a visible progress, then the program runs.
        expect(ada.get_by_test_id("runtime-loading")).to_contain_text("Loading Python", timeout=RUN_TIMEOUT_MS)
        expect(ada.get_by_test_id("stop-button")).to_be_visible()
        for page in (ada, grace):
            wait_for_entries(page, 1, timeout=PYTHON_TIMEOUT_MS)
            expect(newest(page)).to_have_attribute("data-status", "ok")
            self.assertEqual(entry_text(newest(page), "stdout"), "45")
        expect(ada.get_by_test_id("runtime-loading")).to_have_count(0)
        # Everything Python needed came from this server's static files.
        own = f"127.0.0.1:{self.server.port}"
        loaded = self.requests[start:]
        pyodide = re.compile(r"/static/runtimes/pyodide-[0-9.]+/(pyodide\.asm\.wasm|python_stdlib\.zip)$")
        self.assertEqual(len([u for u in loaded if pyodide.search(u)]), 2, loaded)
        foreign = [u for u in loaded if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own]
        self.assertEqual(foreign, [])
        # A warm run: a traceback with the line, stderr kept apart from stdout.
        entry = run(ada, 'print("before")\ndef f(x):\n    return 1 / x\nf(0)', others=[grace])
        expect(entry).to_have_attribute("data-status", "error")
        self.assertEqual(entry_text(entry, "stdout"), "before")
        stderr = entry_text(entry, "stderr")
        self.assertIn('File "main.py", line 4, in <module>', stderr)
        self.assertIn("return 1 / x", stderr)
        self.assertIn("ZeroDivisionError: division by zero", stderr)
        self.assertEqual(entry_text(entry, "message"), "ZeroDivisionError: division by zero (line 3)")

    def test_runaway_programs_are_stopped_by_the_limit_or_stop_and_the_next_run_works(self):
        ada, grace = self.two_people("javascript")
        lin = self.open_session(self.create_session(language="typescript"), "Lin")
        bob = self.open_session(self.create_session(language="python"), "Bob")
        # An infinite loop in each language, all at once (three sessions): the limits are
        # wall-clock and every program spins in its own worker.
        for page, loop in (
            (bob, "print('py looping')\nwhile True:\n    pass"),
            (lin, "let i: number = 0\nconsole.log('ts looping')\nfor (;;) { i++ }"),
            (ada, "console.log('js looping')\nwhile (true) {}"),
        ):
            set_code(page, loop)
            click_run(page)
        expect(ada.get_by_test_id("run-live")).to_have_attribute("data-phase", "running")
        # The page and the editor stay responsive while the loop spins.
        ada.click(".monaco-editor .view-lines")
        ada.keyboard.press("Control+End")
        ada.keyboard.type(" // typed meanwhile")
        ada.wait_for_function("() => window.__pad.editor.getModel().getValue().endsWith('// typed meanwhile')")
        expect(ada.get_by_test_id("run-live")).to_have_attribute("data-phase", "running")

        afterwards = ((ada, "js", "console.log('js after')"), (lin, "ts", "console.log('ts after' as string)"))
        for page, language, after in afterwards:
            wait_for_entries(page, 1)
            entry = newest(page)
            expect(entry).to_have_attribute("data-status", "timeout")
            self.assertRegex(entry_text(entry, "message"), r"^Time limit exceeded: .* after 5 s\.$")
            self.assertEqual(entry_text(entry, "stdout"), f"{language} looping")  # output before the loop is kept
            entry = run(page, after)
            expect(entry).to_have_attribute("data-status", "ok")
            self.assertEqual(entry_text(entry, "stdout"), f"{language} after")

        # Stop: a program that would run until the limit ends at once, for everyone.
        set_code(ada, "setInterval(() => console.log('tick'), 20)")
        click_run(ada)
        expect(ada.get_by_test_id("run-live")).to_contain_text("tick")
        expect(grace.get_by_test_id("remote-runner")).to_contain_text("Ada is running JavaScript")
        ada.get_by_test_id("stop-button").click()
        for page in (ada, grace):
            wait_for_entries(page, 3)
            expect(newest(page)).to_have_attribute("data-status", "stopped")
            self.assertIn("tick", entry_text(newest(page), "stdout"))
        expect(ada.get_by_test_id("stop-button")).to_have_count(0)
        expect(grace.get_by_test_id("remote-runner")).to_have_count(0)

        # Python: 10 s of execution (loading excluded). The pages are cross-origin isolated,
        # so Python is interrupted (KeyboardInterrupt through its interrupt buffer) and stays
        # loaded; the next run works at once.
        self.assertTrue(bob.evaluate("() => crossOriginIsolated"))
        wait_for_entries(bob, 1, timeout=PYTHON_TIMEOUT_MS)
        entry = newest(bob)
        expect(entry).to_have_attribute("data-status", "timeout")
        self.assertEqual(entry_text(entry, "message"), "Time limit exceeded: the program was stopped after 10 s.")
        self.assertEqual(entry_text(entry, "stdout"), "py looping")
        expect(bob.get_by_test_id("runtime-loading")).to_have_count(0)
        entry = run(bob, "print('py after')", timeout=PYTHON_TIMEOUT_MS)
        expect(entry).to_have_attribute("data-status", "ok")
        self.assertEqual(entry_text(entry, "stdout"), "py after")
        # And Stop, for Python.
        set_code(bob, "import time\nprint('start')\nwhile True:\n    time.sleep(0.01)")
        click_run(bob)
        expect(bob.get_by_test_id("run-live")).to_contain_text("start")
        bob.get_by_test_id("stop-button").click()
        wait_for_entries(bob, 3)
        expect(newest(bob)).to_have_attribute("data-status", "stopped")
        entry = run(bob, "print('after stop')", timeout=PYTHON_TIMEOUT_MS)
        self.assertEqual(entry_text(entry, "stdout"), "after stop")

    def test_bad_programs_and_syntax_errors_end_with_a_clear_message(self):
        ada = self.open_session(self.create_session(language="javascript"), "Ada")
        entry = run(ada, "const a = 1\nlet x = ;")
        expect(entry).to_have_attribute("data-status", "error")
        self.assertEqual(entry_text(entry, "message"), "SyntaxError: Unexpected token ';' (line 2)")
        self.assertIn("> 2 | let x = ;", entry_text(entry, "stderr"))
        # Megabytes of output: capped and marked; the page keeps working.
        entry = run(ada, "for (let i = 0; i < 1e6; i++) console.log('line', i)")
        expect(entry).to_have_attribute("data-status", "ok")
        stdout = entry_text(entry, "stdout")
        self.assertTrue(stdout.startswith("line 0\nline 1\n"), stdout[:50])
        self.assertTrue(stdout.endswith("[output truncated]"))
        self.assertLessEqual(len(stdout.encode()), 64 * 1024)
        stored = ada.evaluate("() => window.__pad.doc.getArray('runs').toJSON().at(-1).stdout.length")
        self.assertLessEqual(stored, 64 * 1024)
        # A thrown value that is not an Error; an error thrown later, in a timer.
        entry = run(ada, "throw {code: 42}")
        expect(entry).to_have_attribute("data-status", "error")
        self.assertEqual(entry_text(entry, "stderr"), "Uncaught { code: 42 }")
        entry = run(ada, "function boom() { null.x }\nsetTimeout(boom, 10)")
        expect(entry).to_have_attribute("data-status", "error")
        self.assertIn("(line 1)", entry_text(entry, "message"))
        self.assertIn("at boom (main.js:1:", entry_text(entry, "stderr"))
        entry = run(ada, "Promise.reject(new Error('nobody caught me'))")
        expect(entry).to_have_attribute("data-status", "error")
        self.assertEqual(entry_text(entry, "message"), "Error: nobody caught me (line 1)")
        entry = run(ada, "console.log(await Promise.resolve('top-level await works'))")
        self.assertEqual(entry_text(entry, "stdout"), "top-level await works")

        ada.get_by_test_id("language-select").select_option("typescript")
        entry = run(ada, "let ok: number = 1\nlet x: = 5")
        expect(entry).to_have_attribute("data-status", "error")
        self.assertRegex(entry_text(entry, "message"), r"^SyntaxError: .*\(line 2\)$")

        ada.get_by_test_id("language-select").select_option("python")
        entry = run(ada, "x = 1\ndef f(:\n    pass", timeout=PYTHON_TIMEOUT_MS)
        expect(entry).to_have_attribute("data-status", "error")
        self.assertEqual(entry_text(entry, "message"), "SyntaxError: invalid syntax (line 2)")
        self.assertIn('File "main.py", line 2', entry_text(entry, "stderr"))
        entry = run(ada, "name = input('Your name? ')\nprint(name)")
        expect(entry).to_have_attribute("data-status", "error")
        self.assertEqual(entry_text(entry, "message"), "EOFError: EOF when reading a line (line 1)")
        self.assertIn("type the input it needs in the Input box", entry_text(entry, "stderr"))
        entry = run(ada, "print('x' * 5_000_000)\nprint('done')")
        expect(entry).to_have_attribute("data-status", "ok")
        self.assertTrue(entry_text(entry, "stdout").endswith("[output truncated]"))
        entry = run(ada, "import numpy")
        self.assertIn("standard library only", entry_text(entry, "stderr"))
        # And the next run works.
        entry = run(ada, "print('still fine')")
        self.assertEqual(entry_text(entry, "stdout"), "still fine")

    def test_highlight_only_languages_say_they_cannot_run(self):
        ada, grace = self.two_people("python")
        ada.get_by_test_id("language-select").select_option("swift")
        for page in (ada, grace):
            expect(page.get_by_test_id("not-runnable")).to_contain_text(
                "Running Swift is not available: no Swift compiler runs in a browser offline, and the server has no"
                " Swift runner.")
            expect(page.get_by_test_id("run-button")).to_be_disabled()
            expect(page.get_by_test_id("run-button")).to_have_attribute("title", re.compile("no Swift compiler"))
        set_code(ada, "print(1)")
        ada.click(".monaco-editor .view-lines")
        ada.keyboard.press("Control+Enter")  # does nothing, and does not insert a line
        self.assertEqual(entry_count(ada), 0)
        self.assertEqual(ada.evaluate("() => window.__pad.editor.getModel().getValue()"), "print(1)")

    def test_program_input_is_read_and_shared_with_the_run(self):
        ada, grace = self.two_people("python")
        entry = run(ada, "name = input()\nimport sys\nnumbers = [int(x) for x in sys.stdin.read().split()]\n"
                         "print(f'{name}: {sum(numbers)}')", stdin="Ada\n1 2\n3\n", others=[grace],
                    timeout=PYTHON_TIMEOUT_MS)
        for page in (ada, grace):
            expect(newest(page)).to_have_attribute("data-status", "ok")
            self.assertEqual(entry_text(newest(page), "stdout"), "Ada: 6")
            expect(newest(page).get_by_test_id("run-stdin")).to_contain_text("Input (3 lines)")
        stored = grace.evaluate("() => window.__pad.doc.getArray('runs').toJSON().at(-1).stdin")
        self.assertEqual(stored, "Ada\n1 2\n3\n")
        # JavaScript: Node's ways of reading input, and readline().
        ada.get_by_test_id("language-select").select_option("javascript")
        set_stdin(ada, "3\n10 20 30\nlast line\n")
        entry = run(ada, "\n".join([
            "const rl = require('readline').createInterface({ input: process.stdin })",
            "const lines = []",
            "rl.on('line', (line) => lines.push(line))",
            "rl.on('close', () => console.log(lines.length, lines[1].split(' ').map(Number).reduce((a, b) => a + b)))",
        ]), others=[grace])
        self.assertEqual(entry_text(entry, "stdout"), "3 60")
        entry = run(ada, "const [n, ...rest] = require('fs').readFileSync(0, 'utf8').trim().split('\\n')\n"
                         "console.log(n, rest.at(-1))")
        self.assertEqual(entry_text(entry, "stdout"), "3 last line")
        entry = run(ada, "console.log(readline(), readline())")
        self.assertEqual(entry_text(entry, "stdout"), "3 10 20 30")
        # TypeScript too.
        ada.get_by_test_id("language-select").select_option("typescript")
        entry = run(ada, "const first: string | null = readline()\nconsole.log(Number(first) * 2)")
        self.assertEqual(entry_text(entry, "stdout"), "6")

    def test_typescript_type_errors_show_in_the_editor_and_with_the_output(self):
        ada, grace = self.two_people("typescript")
        expect(ada.get_by_test_id("runtime-note")).to_contain_text("Type errors")
        set_code(ada, "let count: number = 'three'\nfunction twice(x: number) { return x * 2 }\n"
                      "console.log(twice('4' as any), count)")
        # As you type: Monaco's TypeScript service marks the error in the editor.
        ada.wait_for_function(
            "() => { const { monaco, editor } = window.__pad;"
            " return monaco.editor.getModelMarkers({ resource: editor.getModel().uri })"
            ".some((m) => m.code === '2322' && m.startLineNumber === 1) }",
            timeout=PYTHON_TIMEOUT_MS,
        )
        expect(ada.locator(".monaco-editor .squiggly-error")).not_to_have_count(0)
        # Run: the program still runs (as tsc would emit it), the errors are listed with its output.
        before = [(p, p.locator("[data-testid=output-panel] [data-testid=run-entry]").count()) for p in (ada, grace)]
        click_run(ada)
        for page, n in before:
            wait_for_entries(page, n + 1, timeout=PYTHON_TIMEOUT_MS)
            entry = newest(page)
            expect(entry).to_have_attribute("data-status", "ok")
            self.assertEqual(entry_text(entry, "stdout"), "8 three")
            self.assertEqual(entry_text(entry, "stderr"), "\n".join([
                "main.ts:1:5 - error TS2322: Type 'string' is not assignable to type 'number'.",
                "1 type error (the program runs anyway, as tsc would emit it).",
            ]))
        # Correct code: nothing extra.
        entry = run(ada, "const n: number = 41\nconsole.log(n + 1)", timeout=PYTHON_TIMEOUT_MS)
        self.assertEqual(entry_text(entry, "stderr"), "")
        self.assertEqual(entry_text(entry, "stdout"), "42")

    def test_stop_interrupts_python_without_reloading_it(self):
        """The server makes pages cross-origin isolated (COOP/COEP): Stop interrupts Python
        through Pyodide's interrupt buffer (SharedArrayBuffer) and keeps it loaded."""
        session_id = self.create_session(language="python")
        context = self.new_context("Ada")
        ada = self.open_session(session_id, page=context.new_page())
        self.assertTrue(ada.evaluate("() => crossOriginIsolated"))
        run(ada, "print('loaded')", timeout=PYTHON_TIMEOUT_MS)

        def pyodide_loads():
            return sum(u.endswith("/pyodide.asm.wasm") for u in self.requests)
        self.assertEqual(pyodide_loads(), 1)
        set_code(ada, "print('spin')\nwhile True:\n    pass")
        click_run(ada)
        expect(ada.get_by_test_id("run-live")).to_contain_text("spin")
        ada.get_by_test_id("stop-button").click()
        wait_for_entries(ada, 2)
        expect(newest(ada)).to_have_attribute("data-status", "stopped")
        # Interrupted, not terminated: no reload, and the next run uses the same Python.
        expect(ada.get_by_test_id("runtime-loading")).to_have_count(0)
        entry = run(ada, "import sys\nprint(sys.version_info[0])")
        self.assertEqual(entry_text(entry, "stdout"), "3")
        self.assertEqual(pyodide_loads(), 1, self.console)  # the console says why a runner was replaced
