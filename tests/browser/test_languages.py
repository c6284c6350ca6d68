"""The languages that run in the browser besides JavaScript, TypeScript and Python: SQL on
SQLite and on PostgreSQL (PGlite), Ruby, Lua, PHP, C and C++, each from this server's own
static files (the base class checks that no request leaves it). For each: hello world, a loop
with a known result, a runtime error, a compile error where there is a compiler, standard
input, Stop on an endless loop (and the next run works), and the run shown to a second
person. Timings belong in bench/run_timings.py, not here."""
from playwright.sync_api import expect

from .run_support import (
    COMPILER_TIMEOUT_MS,
    PYTHON_TIMEOUT_MS,
    RUN_TIMEOUT_MS,
    click_run,
    entry_text,
    newest,
    run,
    set_code,
    set_stdin,
    wait_for_entries,
)
from .support import BrowserTestCase

SUM = "500000500000"  # 1 + 2 + ... + 10^6


def src(*lines):
    """A program, one argument per line."""
    return "\n".join(lines)


class LanguageTests(BrowserTestCase):
    def two_people(self, language):
        """Ada and Grace in a new session in `language` (chosen in the page, as a person would)."""
        session_id = self.create_session(language="python")
        ada, grace = self.open_sessions(session_id, ["Ada", "Grace"])
        ada.get_by_test_id("language-select").select_option(language)
        expect(grace.get_by_test_id("language-select")).to_have_value(language)
        return ada, grace

    def fetched(self, start, fragment):
        """Whether a request made since `start` went to this server for a file matching `fragment`."""
        own = f"http://127.0.0.1:{self.server.port}/static/"
        return any(url.startswith(own) and fragment in url for url in self.requests[start:])

    def check_ok(self, entry, stdout, stderr=""):
        expect(entry).to_have_attribute("data-status", "ok")
        self.assertEqual(entry_text(entry, "stdout"), stdout)
        self.assertEqual(entry_text(entry, "stderr"), stderr)

    def check_error(self, entry, message, in_stderr=None):
        expect(entry).to_have_attribute("data-status", "error")
        self.assertEqual(entry_text(entry, "message"), message)
        if in_stderr:
            self.assertIn(in_stderr, entry_text(entry, "stderr"))

    def stop_endless(self, page, code, printed, timeout=RUN_TIMEOUT_MS):
        """Run an endless program, Stop it (once it printed `printed`), check the entry."""
        set_code(page, code)
        before = page.locator("[data-testid=output-panel] [data-testid=run-entry]").count()
        click_run(page)
        expect(page.get_by_test_id("run-live")).to_have_attribute("data-phase", "running", timeout=timeout)
        if printed:
            expect(page.get_by_test_id("run-live")).to_contain_text(printed, timeout=timeout)
        page.get_by_test_id("stop-button").click()
        wait_for_entries(page, before + 1)
        entry = newest(page)
        expect(entry).to_have_attribute("data-status", "stopped")
        self.assertEqual(entry_text(entry, "message"), "Stopped.")
        return entry

    def shared(self, grace, ada_entry):
        """Grace sees Ada's run as Ada does."""
        run_id = ada_entry.get_attribute("data-run-id")
        entry = grace.locator(f"[data-testid=run-entry][data-run-id='{run_id}']")
        expect(entry).to_have_count(1)
        expect(entry.get_by_test_id("run-by")).to_have_text("Ada")
        for part in ("stdout", "stderr", "message"):
            self.assertEqual(entry_text(entry, part), entry_text(ada_entry, part))
        self.assertEqual(entry.get_attribute("data-status"), ada_entry.get_attribute("data-status"))

    # ---- SQL ----------------------------------------------------------------------------

    def test_sql_on_sqlite(self):
        ada, grace = self.two_people("sql")
        expect(ada.get_by_test_id("stdin-toggle")).to_have_count(0)  # SQL reads no input
        start = len(self.requests)
        entry = run(ada, "select 'hello, world' as greeting;", others=[grace], timeout=PYTHON_TIMEOUT_MS)
        self.check_ok(entry, "   greeting\n--------------\n hello, world\n(1 row)")
        self.assertTrue(self.fetched(start, "/static/runtimes/sqlite-"))
        self.shared(grace, entry)
        # Statements in order, every result set a table; each run starts from an empty database.
        entry = run(ada, src(
            "create table people (id integer primary key, name text, score real);",
            "insert into people (name, score) values ('Ada', 9.5), ('Grace', 8), ('Linus', null);",
            "select name, score from people order by id;",
            "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000000)",
            "select sum(i) as total from n;",
        ), others=[grace])
        self.check_ok(entry, src(
            " name  | score", "-------+-------", " Ada   |   9.5", " Grace |     8", " Linus |  NULL", "(3 rows)", "",
            "    total", "--------------", f" {SUM}", "(1 row)",
        ))
        entry = run(ada, "select count(*) as n from people;")
        self.check_error(entry, "no such table: people (line 1)", "at line 1:\n  select count(*) as n from people;")
        # An error names the failing statement; what ran before it is shown.
        entry = run(ada, "select 1 as one;\n\nselect nope\n  from (select 2 as two);\nselect 3;", others=[grace])
        self.check_error(entry, "no such column: nope (line 3)",
                         "Error: no such column: nope\nin the statement at line 3:")
        self.assertEqual(entry_text(entry, "stdout"), " one\n-----\n   1\n(1 row)")
        self.shared(grace, entry)
        endless = "with recursive c(x) as (select 1 union all select x + 1 from c)\nselect count(*) from c;"
        self.stop_endless(ada, endless, None)
        entry = run(ada, "select 40 + 2 as answer;")
        self.check_ok(entry, " answer\n--------\n     42\n(1 row)")

    def test_sql_on_postgresql(self):
        ada, grace = self.two_people("postgresql")
        start = len(self.requests)
        entry = run(ada, "select 'hello, world' as greeting;", others=[grace], timeout=PYTHON_TIMEOUT_MS)
        self.check_ok(entry, "   greeting\n--------------\n hello, world\n(1 row)")
        self.assertTrue(self.fetched(start, "/static/assets/pglite-"))
        self.shared(grace, entry)
        entry = run(ada, src(
            "create table people (id serial primary key, name text not null, joined date);",
            "insert into people (name, joined) values ('Ada', '1843-01-01'), ('Grace', '1944-08-07');",
            "select id, name, joined from people order by id;",
            "select sum(i) as total, count(*) from generate_series(1, 1000000) as i;",
        ), others=[grace])
        self.check_ok(entry, src(
            " id | name  |   joined", "----+-------+------------", "  1 | Ada   | 1843-01-01",
            "  2 | Grace | 1944-08-07", "(2 rows)", "",
            "    total     |  count", "--------------+---------", f" {SUM} | 1000000", "(1 row)",
        ))
        # A fresh database for every run.
        entry = run(ada, "select count(*) from people;")
        self.check_error(entry, 'ERROR: relation "people" does not exist (line 1)')
        entry = run(ada, "select 1 as one;\nselect 1 / 0;", others=[grace])
        self.check_error(entry, "ERROR: division by zero (line 2)",
                         "ERROR:  division by zero\nin the statement at line 2:")
        self.shared(grace, entry)
        entry = run(ada, "select 1 as one;\nselec 2;")
        self.check_error(entry, 'ERROR: syntax error at or near "selec" (line 2)')
        self.stop_endless(ada, "do $$ begin loop perform 1; end loop; end $$;", None)
        expect(ada.get_by_test_id("runtime-loading")).to_contain_text("Restarting PostgreSQL")
        entry = run(ada, "select 6 * 7 as answer;", timeout=PYTHON_TIMEOUT_MS)
        self.check_ok(entry, " answer\n--------\n     42\n(1 row)")

    # ---- Ruby, Lua, PHP -------------------------------------------------------------------

    def test_ruby(self):
        ada, grace = self.two_people("ruby")
        start = len(self.requests)
        set_code(ada, "puts 'hello, world'")
        click_run(ada)
        expect(ada.get_by_test_id("runtime-loading")).to_contain_text("Loading Ruby")
        wait_for_entries(ada, 1, timeout=PYTHON_TIMEOUT_MS)
        self.check_ok(newest(ada), "hello, world")
        self.assertTrue(self.fetched(start, "ruby+stdlib.wasm"))
        self.shared(grace, newest(ada))
        entry = run(ada, src(
            "require 'set'", "total = (1..1_000_000).reduce(0) { |s, i| s + i }", "puts total", "p Set[1, 2]",
        ), others=[grace])
        self.check_ok(entry, f"{SUM}\n#<Set: {{1, 2}}>")
        entry = run(ada, src(
            "name = gets.chomp", "numbers = $stdin.read.split.map(&:to_i)", 'puts "#{name}: #{numbers.sum}"',
        ), stdin="Ada\n1 2\n3\n", others=[grace])
        self.check_ok(entry, "Ada: 6")
        self.assertEqual(ada.evaluate("() => window.__pad.doc.getArray('runs').toJSON().at(-1).stdin"), "Ada\n1 2\n3\n")
        self.shared(grace, entry)
        set_stdin(ada, "")
        entry = run(ada, src(
            "def check(x)", '  raise ArgumentError, "bad #{x}" if x > 1', "end", "puts 'before'", "check(2)",
        ), others=[grace])
        self.check_error(entry, "ArgumentError: bad 2 (line 2)",
                         "main.rb:2:in 'Object#check': bad 2 (ArgumentError)")
        self.assertEqual(entry_text(entry, "stdout"), "before")
        self.shared(grace, entry)
        # Each run gets a fresh VM: nothing the last program defined is left.
        entry = run(ada, "$leftover = 1\nputs 'set'")
        entry = run(ada, "p $leftover")
        self.check_ok(entry, "nil")
        entry = run(ada, "puts 'a'\nputs(1 +)")
        expect(entry).to_have_attribute("data-status", "error")
        self.assertRegex(entry_text(entry, "message"), r"^SyntaxError: .*\(line 2\)$")
        self.stop_endless(ada, "puts 'spinning'\nloop { }", "spinning")
        expect(ada.get_by_test_id("runtime-loading")).to_contain_text("Restarting Ruby")
        entry = run(ada, "puts 6 * 7", timeout=PYTHON_TIMEOUT_MS)
        self.check_ok(entry, "42")

    def test_lua(self):
        ada, grace = self.two_people("lua")
        start = len(self.requests)
        entry = run(ada, "print('hello, world')", others=[grace], timeout=PYTHON_TIMEOUT_MS)
        self.check_ok(entry, "hello, world")
        self.assertTrue(self.fetched(start, "/glue.wasm"))
        self.shared(grace, entry)
        # 64-bit integers (fengari's 32-bit ones would print a wrong sum).
        entry = run(ada, src(
            "local s = 0", "for i = 1, 1000000 do s = s + i end", "print(s, math.maxinteger, 7 // 2, 2^10)",
        ), others=[grace])
        self.check_ok(entry, f"{SUM}\t9223372036854775807\t3\t1024.0")
        entry = run(ada, src(
            "local n = io.read('n')",
            "local total = 0",
            "for _ = 1, n do total = total + io.read('n') end",
            "io.read('l')",
            "print(io.read('l') .. ': ' .. total)",
            "for line in io.lines() do io.write('[', line, ']') end",
            "print()",
        ), stdin="3\n10 20 30\nsum\nx\ny\n", others=[grace])
        self.check_ok(entry, "sum: 60\n[x][y]")
        self.shared(grace, entry)
        set_stdin(ada, "")
        entry = run(ada, "print('before')\nlocal t = nil\nprint(t.x)", others=[grace])
        self.check_error(entry, "attempt to index a nil value (local 't') (line 3)",
                         "lua: main.lua:3: attempt to index")
        self.assertEqual(entry_text(entry, "stdout"), "before")
        self.shared(grace, entry)
        entry = run(ada, "print('a'\nprint('b')")
        expect(entry).to_have_attribute("data-status", "error")
        self.assertIn("main.lua:", entry_text(entry, "stderr"))
        # A fresh Lua state each run.
        run(ada, "leftover = 1")
        entry = run(ada, "print(leftover)")
        self.check_ok(entry, "nil")
        self.stop_endless(ada, "print('spinning')\nwhile true do end", "spinning")
        entry = run(ada, "print(6 * 7)", timeout=PYTHON_TIMEOUT_MS)
        self.check_ok(entry, "42")

    def test_php(self):
        ada, grace = self.two_people("php")
        entry = run(ada, '<?php\necho "hello, world\\n";', others=[grace], timeout=PYTHON_TIMEOUT_MS)
        self.check_ok(entry, "hello, world")
        self.shared(grace, entry)
        entry = run(ada, src(
            "<?php", "$s = 0;", "for ($i = 1; $i <= 1000000; $i++) { $s += $i; }",
            "echo $s, PHP_EOL, PHP_MAJOR_VERSION;",
        ), others=[grace])
        self.check_ok(entry, f"{SUM}\n8")
        entry = run(ada, src(
            "<?php",
            "$name = trim(fgets(STDIN));",
            "$numbers = array_map('intval', explode(' ', trim(stream_get_contents(STDIN))));",
            'echo $name, ": ", array_sum($numbers), "\\n";',
        ), stdin="Ada\n1 2 3\n", others=[grace])
        self.check_ok(entry, "Ada: 6")
        self.shared(grace, entry)
        set_stdin(ada, "")
        entry = run(ada, src(
            "<?php", 'echo "before\\n";', "function half(int $x): int { return intdiv($x, 0); }", "echo half(4);",
        ), others=[grace])
        self.check_error(entry, "DivisionByZeroError: Division by zero (line 3)",
                         "PHP Fatal error:  Uncaught DivisionByZeroError: Division by zero in main.php:3")
        self.assertEqual(entry_text(entry, "stdout"), "before")
        self.shared(grace, entry)
        entry = run(ada, '<?php\necho $missing;\nfwrite(STDERR, "to stderr\\n");')
        self.check_ok(entry, "", "PHP Warning:  Undefined variable $missing in main.php on line 2\nto stderr")
        entry = run(ada, "<?php\necho 'a'\necho 'b';")
        self.check_error(entry, 'Parse error: syntax error, unexpected token "echo", expecting "," or ";" (line 3)')
        # Each run is a new request: functions of the last one are gone.
        run(ada, "<?php\nfunction f() { return 1; }\necho f();")
        entry = run(ada, "<?php\nfunction f() { return 2; }\necho f(), function_exists('g') ? 'g' : '-';")
        self.check_ok(entry, "2-")
        entry = run(ada, "<?php\nfunction f() {}\nfunction f() {}")
        self.check_error(entry, "Cannot redeclare function f() (previously declared in main.php:2) (line 3)",
                         "PHP Fatal error:  Cannot redeclare function f()")
        self.stop_endless(ada, '<?php\necho "spinning\\n";\nwhile (true) {}', "spinning")
        entry = run(ada, "<?php echo 6 * 7;", timeout=PYTHON_TIMEOUT_MS)
        self.check_ok(entry, "42")

    # ---- C and C++ --------------------------------------------------------------------------

    def test_c(self):
        ada, grace = self.two_people("c")
        expect(ada.get_by_test_id("runtime-note")).to_contain_text("clang")
        start = len(self.requests)
        set_code(ada, src("#include <stdio.h>", "int main(void) {", '  printf("hello, world\\n");', "  return 0;", "}"))
        click_run(ada)
        expect(ada.get_by_test_id("runtime-loading")).to_contain_text("Loading the C/C++ compiler")
        wait_for_entries(ada, 1, timeout=COMPILER_TIMEOUT_MS)
        self.check_ok(newest(ada), "hello, world")
        self.assertTrue(self.fetched(start, "/static/assets/llvm.core-"))
        self.shared(grace, newest(ada))
        timeout = COMPILER_TIMEOUT_MS
        entry = run(ada, src(
            "#include <stdio.h>",
            "int main(void) {",
            "  long long s = 0;",
            "  for (int i = 1; i <= 1000000; i++) s += i;",
            '  printf("%lld\\n", s);',
            "}",
        ), others=[grace], timeout=timeout)
        self.check_ok(entry, SUM)
        entry = run(ada, src(
            "#include <stdio.h>",
            "int main(void) {",
            "  char name[64]; int a, b;",
            "  if (!fgets(name, sizeof name, stdin)) return 1;",
            '  scanf("%d %d", &a, &b);',
            '  printf("%s%d\\n", name, a + b);',
            "}",
        ), stdin="Ada\n40 2\n", others=[grace], timeout=timeout)
        self.check_ok(entry, "Ada\n42")
        self.shared(grace, entry)
        set_stdin(ada, "")
        # A compile error: clang's own file:line:col.
        entry = run(ada, "#include <stdio.h>\nint main(void) {\n  int x = ;\n}", others=[grace], timeout=timeout)
        self.check_error(entry, "Compilation failed: main.c:3:11: error: expected expression",
                         "main.c:3:11: error: expected expression\n    3 |   int x = ;")
        self.shared(grace, entry)
        # Runtime errors: a trap, and an exit status.
        entry = run(ada, src(
            "#include <stdio.h>",
            "int main(void) {",
            "  volatile int zero = 0, seven = 7;",
            '  printf("before\\n");',
            '  printf("%d\\n", seven / zero);',
            "}",
        ), timeout=timeout)
        self.check_error(entry, "Integer division by zero", "Integer division by zero")
        self.assertEqual(entry_text(entry, "stdout"), "before")
        entry = run(ada, "#include <stdlib.h>\nint main(void) { exit(3); }", timeout=timeout)
        self.check_error(entry, "exit status 3")
        self.stop_endless(ada, src(
            "#include <stdio.h>", "int main(void) {", '  printf("spinning\\n");', "  fflush(stdout);",
            "  for (;;) {}", "}",
        ), "spinning", timeout=timeout)
        expect(ada.get_by_test_id("runtime-loading")).to_contain_text("Restarting the C/C++ compiler")
        entry = run(ada, '#include <stdio.h>\nint main(void) { printf("%d\\n", 6 * 7); }', timeout=timeout)
        self.check_ok(entry, "42")

    def test_cpp(self):
        ada, grace = self.two_people("cpp")
        note = ada.get_by_test_id("runtime-note")
        expect(note).to_contain_text("exceptions")
        expect(note).to_contain_text("<bits/stdc++.h>")
        timeout = COMPILER_TIMEOUT_MS
        hello = '#include <cstdio>\nint main() { std::puts("hello, world"); }'
        entry = run(ada, hello, others=[grace], timeout=timeout)
        self.check_ok(entry, "hello, world")
        self.shared(grace, entry)
        # <bits/stdc++.h> and std::cin, with input; the loop's known result.
        entry = run(ada, src(
            "#include <bits/stdc++.h>",
            "using namespace std;",
            "int main() {",
            "  int n; cin >> n;",
            "  vector<long long> v(n);",
            "  iota(v.begin(), v.end(), 1LL);",
            "  string who; cin >> who;",
            "  cout << who << ' ' << accumulate(v.begin(), v.end(), 0LL) << endl;",
            "}",
        ), stdin="1000000 Ada\n", others=[grace], timeout=timeout)
        self.check_ok(entry, f"Ada {SUM}")
        self.shared(grace, entry)
        set_stdin(ada, "")
        # Exceptions: a readable compile error that says why.
        entry = run(ada, src(
            "#include <cstdio>", "int main() {", '  try { throw 1; } catch (int) { std::puts("caught"); }', "}",
        ), timeout=timeout)
        self.check_error(entry, "Compilation failed: main.cpp:3:9: error: cannot use 'throw' with exceptions disabled",
                         "C++ exceptions are not available here")
        entry = run(ada, "#include <cstdio>\nint main() {\n  undeclared(1);\n}", others=[grace], timeout=timeout)
        self.check_error(entry, "Compilation failed: main.cpp:3:3: error: use of undeclared identifier 'undeclared'")
        self.shared(grace, entry)
        # What C++ would throw aborts the program, said in plain words.
        entry = run(ada, src(
            "#include <cstdio>", "#include <vector>", "int main() {", "  std::vector<int> v(3);",
            '  std::puts("before");', "  return v.at(5);", "}",
        ), timeout=timeout)
        expect(entry).to_have_attribute("data-status", "error")
        self.assertRegex(entry_text(entry, "message"), r"^The program aborted")
        self.assertIn("before", entry_text(entry, "stdout"))
        self.stop_endless(ada, src(
            "#include <cstdio>", "int main() {", "  volatile long n = 0;", '  std::puts("spinning");',
            "  std::fflush(stdout);", "  for (;;) n++;", "}",
        ), "spinning", timeout=timeout)
        entry = run(ada, '#include <cstdio>\nint main() { std::printf("%d\\n", 6 * 7); }', timeout=timeout)
        self.check_ok(entry, "42")

    # ---- every runtime -----------------------------------------------------------------------

    def test_a_runtime_that_fails_to_load_says_so_and_the_next_run_retries(self):
        ada, grace = self.two_people("lua")
        # The server cannot be reached for the runtime's file (a dropped connection).
        ada.context.route("**/static/runtimes/lua-*/glue.wasm", lambda route: route.abort())
        entry = run(ada, "print('hello')", others=[grace], timeout=PYTHON_TIMEOUT_MS)
        expect(entry).to_have_attribute("data-status", "error")
        self.assertRegex(entry_text(entry, "message"), r"^Lua could not be loaded: ")
        expect(ada.get_by_test_id("runtime-error")).to_contain_text("Lua could not be loaded")
        self.shared(grace, entry)
        ada.context.unroute("**/static/runtimes/lua-*/glue.wasm")
        entry = run(ada, "print('hello')", others=[grace], timeout=PYTHON_TIMEOUT_MS)
        self.check_ok(entry, "hello")
        expect(ada.get_by_test_id("runtime-error")).to_have_count(0)

    def test_the_first_page_load_fetches_no_runtime(self):
        """A runtime is fetched only when a session first runs its language."""
        session_id = self.create_session(language="cpp")
        page = self.open_session(session_id, "Ada")
        page.wait_for_load_state("networkidle")
        for language in ("ruby", "php", "lua", "sql", "postgresql", "c", "python", "javascript"):
            page.get_by_test_id("language-select").select_option(language)
            expect(page.get_by_test_id("run-button")).to_be_enabled()
        page.wait_for_load_state("networkidle")
        heavy = [url for url in self.requests if "/static/runtimes/" in url or ".wasm" in url or "Worker" in url
                 or "ts.worker" in url or "tsMode" in url]
        self.assertEqual(heavy, [])
