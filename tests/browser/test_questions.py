"""Questions and test cases in real browsers (issue 12): an interviewer writes a question in the
bank, starts an interview from it, the candidate reads its statement and starter code, solves it
in Python and in JavaScript and runs the tests; both see the same pass/fail, hidden cases are
checked in the interviewer's browser, and nothing of a hidden case (or of the guidance) ever
reaches the candidate's browser: no WebSocket frame, no HTTP response, no DOM."""
import re
import subprocess
import sys

from playwright.sync_api import expect

from .run_support import PYTHON_TIMEOUT_MS, RUN_TIMEOUT_MS, set_code
from .support import ROOT, BrowserTestCase, doc_text, wait_for_exact_text, wait_ready

PASSWORD = "correct-Horse-battery-7"
TEST_ENTRY = "[data-testid=output-panel] [data-testid=run-entry]:has([data-testid=test-run])"

# The hidden cases' inputs and outputs, and the guidance, carry these tokens: the candidate's
# browser must never receive any of them.
SECRETS = ("zqsecr", "ZQSECR", "zqguide")
PY_STARTER = "def shout(word):\n    pass\n"
JS_STARTER = "function shout(word) {\n}\n"
PY_OK = "def shout(word):\n    return word.upper() + '!'\n"
JS_OK = "function shout(word) {\n  return word.toUpperCase() + '!'\n}\n"
# Right for the visible (short) words, wrong for the long hidden one.
JS_WRONG = "function shout(word) {\n  return word.length < 8 ? word.toUpperCase() + '!' : word\n}\n"


class QuestionTests(BrowserTestCase):
    # people

    def create_account(self, username):
        subprocess.run(
            [sys.executable, "manage.py", "createinterviewer", username, "--password", PASSWORD],
            cwd=ROOT, env=self.server.env, check=True, capture_output=True,
        )

    def sign_in(self, page, username):
        page.goto(self.server.url + "/login")
        page.get_by_test_id("login-username").fill(username)
        page.get_by_test_id("login-password").fill(PASSWORD)
        page.get_by_test_id("login-submit").click()
        page.wait_for_url(re.compile(r"/dashboard$"))

    def signed_in_interviewer(self, name="Alice"):
        # One server per class: each test gets an account of its own.
        username = f"{name.lower()}-{self._testMethodName[5:25]}"
        self.create_account(username)
        page = self.new_page(name)
        self.sign_in(page, username)
        return page

    @staticmethod
    def call_api(page, method, path, body=None):
        """A REST call from the page, as its signed-in account (with the CSRF cookie, as api.ts sends it)."""
        return page.evaluate(
            """async ([method, path, body]) => {
                const csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || ''
                const response = await fetch(path, {
                    method, credentials: 'same-origin', body: body === null ? undefined : JSON.stringify(body),
                    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
                })
                return { status: response.status, body: await response.json().catch(() => null) }
            }""",
            [method, path, body],
        )

    def session_from_question(self, page, title, language):
        """A session made over REST by the signed-in `page`, started from the bank's question `title`."""
        found = self.call_api(page, "GET", f"/api/questions/?q={title}")["body"]
        question = next(q for q in found if q["title"] == title)
        body = {"title": f"On {title}", "language": language, "question": question["id"]}
        created = self.call_api(page, "POST", "/api/sessions/", body)
        self.assertEqual(created["status"], 201, created)
        return created["body"]["id"]

    def join(self, session_id, name):
        """A candidate opens the plain link; everything its browser receives is recorded from the start."""
        page = self.new_page(name)
        frames, responses = [], []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(frame)))
        page.on("response", lambda response: responses.append(response))
        page.goto(self.session_url(session_id))
        wait_ready(page)
        expect(page.get_by_test_id("role")).to_have_text("candidate")
        return page, frames, responses

    def open_as_signed_in(self, page, session_id):
        page.goto(self.session_url(session_id))
        wait_ready(page)
        expect(page.get_by_test_id("role")).to_have_text("interviewer")

    # tests

    @staticmethod
    def run_tests(page, others=(), timeout=PYTHON_TIMEOUT_MS):
        """Press Run tests on `page`; wait for the new test entry there and on `others`; its run id."""
        pages = (page, *others)
        before = [p.locator(TEST_ENTRY).count() for p in pages]
        button = page.get_by_test_id("run-tests")
        expect(button).to_be_enabled(timeout=RUN_TIMEOUT_MS)
        button.click()
        for p, n in zip(pages, before, strict=True):
            expect(p.locator(TEST_ENTRY)).to_have_count(n + 1, timeout=timeout)
        return page.locator(TEST_ENTRY).first.get_attribute("data-run-id")

    @staticmethod
    def entry(page, run_id):
        return page.locator(f"[data-testid=run-entry][data-run-id='{run_id}']")

    def assert_results(self, pages, run_id, passed, total, cases, hidden=None):
        """Every page shows the same: `passed`/`total`, each case's pass/fail, the hidden check's counts."""
        for page in pages:
            entry = self.entry(page, run_id)
            summary = entry.get_by_test_id("test-summary")
            expect(summary).to_have_attribute("data-passed", str(passed))
            expect(summary).to_have_attribute("data-total", str(total))
            expect(summary).to_contain_text(f"{passed}/{total} passed")
            for name, ok in cases.items():
                case = entry.locator(f"[data-testid=test-case][data-name='{name}']")
                expect(case).to_have_attribute("data-passed", "true" if ok else "false")
            if hidden is not None:
                check = entry.get_by_test_id("hidden-summary")
                state = "passed" if hidden[0] == hidden[1] else "failed"
                expect(check).to_have_attribute("data-state", state, timeout=PYTHON_TIMEOUT_MS)
                expect(check).to_have_attribute("data-passed", str(hidden[0]))
                expect(check).to_have_attribute("data-total", str(hidden[1]))
                expect(check).to_contain_text(f"hidden: {hidden[0]}/{hidden[1]} passed")

    def assert_nothing_secret_reached(self, page, frames, responses):
        self.assertTrue(frames, "the candidate's frames were recorded")
        for frame in frames:
            data = frame if isinstance(frame, bytes) else frame.encode()
            for secret in SECRETS:
                self.assertNotIn(secret.encode(), data)
        checked = 0
        for response in responses:
            try:
                body = response.body()
            except Exception:  # a redirect, or a body the browser did not keep
                continue
            checked += 1
            for secret in SECRETS:
                self.assertNotIn(secret.encode(), body, response.url)
        self.assertGreater(checked, 3)
        content = page.content()
        document = page.evaluate("() => JSON.stringify(window.__pad.doc.toJSON())")
        for secret in SECRETS:
            self.assertNotIn(secret, content)
            self.assertNotIn(secret, document)

    # a. the bank, an interview from a question, Python and JavaScript, hidden cases

    def test_question_from_the_bank_solved_in_python_and_javascript_hidden_cases_stay_hidden(self):
        alice = self.signed_in_interviewer()

        # The bank: a new question, refused until it is right (by the page, then by the server).
        alice.get_by_test_id("questions-link").click()
        alice.wait_for_url(re.compile(r"/questions$"))
        alice.get_by_test_id("new-question").click()
        editor = alice.get_by_test_id("question-editor")
        editor.get_by_test_id("q-title").fill("Shout")
        editor.get_by_test_id("q-function").fill("shout")
        editor.get_by_test_id("q-tags").fill("strings, warm-up")
        editor.get_by_test_id("starter-python").fill(PY_STARTER)
        editor.get_by_test_id("starter-add-language").select_option("javascript")
        editor.get_by_test_id("starter-add").click()
        editor.get_by_test_id("starter-javascript").fill(JS_STARTER)
        cases = [
            ("hello", '["hello"]', '"HELLO!"', False),
            ("short", '["abc"', '"ABC!"', False),  # not JSON yet
            ("long word", '["zqsecretlongword"]', '"ZQSECRETLONGWORD!"', True),
            ("short word", '["zqsecr"]', '"ZQSECR!"', True),
        ]
        for index, (name, arguments, expected, hidden) in enumerate(cases):
            if index:
                editor.get_by_test_id("case-add").click()
            row = editor.get_by_test_id("case-row").nth(index)
            row.get_by_test_id("case-name").fill(name)
            row.get_by_test_id("case-input").fill(arguments)
            row.get_by_test_id("case-expected").fill(expected)
            if hidden:
                row.get_by_test_id("case-hidden").check()
        editor.get_by_test_id("q-guidance").fill("zqguide: expect upper() and the bang.")
        editor.get_by_test_id("q-statement").fill("x" * 20_001)  # over the server's limit
        editor.get_by_test_id("q-save").click()
        expect(editor.get_by_test_id("case-error")).to_contain_text("Arguments: not JSON")
        editor.get_by_test_id("case-row").nth(1).get_by_test_id("case-input").fill('["abc"]')
        editor.get_by_test_id("q-save").click()
        expect(editor.get_by_test_id("error-statement")).to_contain_text("20000")
        expect(editor.get_by_test_id("question-form-error")).to_be_visible()
        editor.get_by_test_id("q-statement").fill("Return the word in **capitals**, then `!`.")
        editor.get_by_test_id("q-save").click()
        expect(editor.get_by_test_id("q-saved")).to_be_visible()
        alice.wait_for_url(re.compile(r"/questions\?id=\d+$"))
        expect(editor.get_by_test_id("q-preview").locator("strong")).to_have_text("capitals")
        expect(alice.get_by_test_id("bank-item").filter(has_text="Shout")).to_have_count(1)

        # An interview from it, on the dashboard: the picker finds it and previews its statement.
        alice.get_by_test_id("dashboard-link").click()
        alice.wait_for_url(re.compile(r"/dashboard$"))
        alice.get_by_test_id("create-title").fill("Grace: warm-up")
        alice.get_by_test_id("choose-question").click()
        picker = alice.get_by_test_id("question-picker")
        picker.get_by_test_id("question-search").fill("Shout")
        expect(picker.get_by_test_id("question-option")).to_have_count(1)
        picker.get_by_test_id("question-option").click()
        expect(picker.get_by_test_id("question-preview")).to_contain_text("capitals")
        picker.get_by_test_id("question-pick").click()
        expect(alice.get_by_test_id("chosen-question")).to_contain_text("Shout")
        alice.get_by_test_id("create-submit").click()
        row = alice.get_by_test_id("interview-row").filter(has_text="Grace: warm-up")
        expect(row).to_have_count(1)
        session_id = row.get_attribute("data-session-id")
        row.get_by_test_id("open-interview").click()
        alice.wait_for_url(self.session_url(session_id))
        wait_ready(alice)
        expect(alice.get_by_test_id("question-guidance")).to_contain_text("zqguide")
        expect(alice.get_by_test_id("question-hidden-tests")).to_contain_text("zqsecretlongword")

        # The candidate sees the statement, the visible examples and the Python starter code.
        grace, frames, responses = self.join(session_id, "Grace")
        panel = grace.get_by_test_id("question-panel")
        expect(panel.get_by_test_id("question-title")).to_have_text("Shout")
        expect(panel.get_by_test_id("question-statement").locator("strong")).to_have_text("capitals")
        expect(panel.get_by_test_id("question-examples")).to_contain_text('shout("hello") → "HELLO!"')
        expect(panel.get_by_test_id("question-hidden-count")).to_contain_text("2 hidden tests")
        for absent in ("question-guidance", "question-hidden-tests", "question-controls", "change-question"):
            expect(grace.get_by_test_id(absent)).to_have_count(0)
        wait_for_exact_text(grace, PY_STARTER)

        # The starter as it is fails every case, for both of them.
        run_id = self.run_tests(grace, [alice])
        self.assert_results([grace, alice], run_id, 0, 2, {"hello": False, "short": False}, hidden=(0, 2))
        first_case = self.entry(grace, run_id).get_by_test_id("test-case").first
        expect(first_case.get_by_test_id("test-got")).to_have_text("null")

        # A right Python solution passes, visible and hidden, and both see it.
        set_code(grace, PY_OK)
        run_id = self.run_tests(grace, [alice])
        self.assert_results([grace, alice], run_id, 2, 2, {"hello": True, "short": True}, hidden=(2, 2))

        # JavaScript: the code is the candidate's own, so the starter is offered, not forced.
        grace.get_by_test_id("language-select").select_option("javascript")
        expect(grace.get_by_test_id("starter-offer")).to_be_visible()
        expect(alice.get_by_test_id("starter-offer")).to_have_count(0)
        self.assertEqual(doc_text(grace), PY_OK)
        grace.get_by_test_id("starter-accept").click()
        wait_for_exact_text(alice, JS_STARTER)
        set_code(grace, JS_OK)
        run_id = self.run_tests(grace, [alice], timeout=RUN_TIMEOUT_MS)
        self.assert_results([grace, alice], run_id, 2, 2, {"hello": True, "short": True}, hidden=(2, 2))

        # A wrong solution passes the visible cases and fails a hidden one; only the interviewer
        # sees that case's details (in her own page).
        set_code(grace, JS_WRONG)
        run_id = self.run_tests(grace, [alice], timeout=RUN_TIMEOUT_MS)
        self.assert_results([grace, alice], run_id, 2, 2, {"hello": True, "short": True}, hidden=(1, 2))
        details = self.entry(alice, run_id).get_by_test_id("hidden-details")
        details.locator("summary").first.click()
        failed = details.locator("[data-testid=test-case][data-name='long word']")
        expect(failed).to_have_attribute("data-passed", "false")
        expect(failed.get_by_test_id("test-got")).to_have_text('"zqsecretlongword"')
        expect(self.entry(grace, run_id).get_by_test_id("hidden-details")).to_have_count(0)

        # The interviewer can check the hidden cases again on the current code.
        set_code(grace, JS_OK)
        self.entry(alice, run_id).get_by_test_id("check-hidden").click()
        for page in (grace, alice):
            check = self.entry(page, run_id).get_by_test_id("hidden-summary")
            expect(check).to_have_attribute("data-passed", "2", timeout=RUN_TIMEOUT_MS)

        # Nothing of a hidden case, nor the guidance, reached the candidate's browser.
        self.assert_nothing_secret_reached(grace, frames, responses)

    # b. stdin/stdout questions, in JavaScript and in Lua

    def test_stdin_question_runs_each_case_as_the_programs_input(self):
        alice = self.signed_in_interviewer()
        session_id = self.session_from_question(alice, "Most common words", "javascript")
        self.open_as_signed_in(alice, session_id)
        grace, _, _ = self.join(session_id, "Grace")
        expect(grace.get_by_test_id("question-examples")).to_contain_text("the 4")
        wait_for_text_js = "const text = readline()"
        self.assertIn(wait_for_text_js, doc_text(grace))

        set_code(grace, "\n".join([
            "const text = require('fs').readFileSync(0, 'utf8').toLowerCase()",
            "const counts = new Map()",
            "for (const word of text.match(/[a-z]+/g) || []) counts.set(word, (counts.get(word) || 0) + 1)",
            "const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3)",
            "for (const [word, n] of top) console.log(word, n)",
        ]))
        run_id = self.run_tests(grace, [alice], timeout=RUN_TIMEOUT_MS)
        self.assert_results([grace, alice], run_id, 1, 1, {"example": True}, hidden=(2, 2))

        # Lua has no starter code: switching keeps the code, and nothing is offered.
        grace.get_by_test_id("language-select").select_option("lua")
        expect(grace.get_by_test_id("starter-offer")).to_have_count(0)
        set_code(grace, "\n".join([
            "local counts, words = {}, {}",
            "for word in io.read('a'):lower():gmatch('%a+') do",
            "  if not counts[word] then counts[word] = 0; words[#words + 1] = word end",
            "  counts[word] = counts[word] + 1",
            "end",
            "table.sort(words, function(a, b)",
            "  if counts[a] ~= counts[b] then return counts[a] > counts[b] end",
            "  return a < b",
            "end)",
            "for i = 1, math.min(2, #words) do print(words[i] .. ' ' .. counts[words[i]]) end",  # two lines, not three
        ]))
        run_id = self.run_tests(grace, [alice])
        self.assert_results([grace, alice], run_id, 0, 1, {"example": False}, hidden=(1, 2))
        entry = self.entry(grace, run_id)
        expect(entry.get_by_test_id("test-expected")).to_have_text("the 4\nand 2\nend 2\n")
        expect(entry.get_by_test_id("test-got")).to_have_text("the 4\nand 2\n")

    def test_the_sql_example_is_solvable_in_sqlite_and_postgresql_and_a_left_join_fails_a_hidden_case(self):
        """The example SQL question a fresh install ships: each case's tables are made by its setup
        script, then the candidate's query runs; the result tables are compared as text."""
        alice = self.signed_in_interviewer()
        session_id = self.session_from_question(alice, "Top customers", "sql")
        self.open_as_signed_in(alice, session_id)
        grace, _, _ = self.join(session_id, "Grace")
        self.assertIn("FROM customers;", doc_text(grace))
        query = "\n".join([
            "SELECT c.name, COUNT(*) AS orders, SUM(o.amount) AS total",
            "FROM customers c JOIN orders o ON o.customer_id = c.id",
            "GROUP BY c.id, c.name",
            "ORDER BY total DESC, c.name",
            "LIMIT 3;",
        ])
        set_code(grace, query)
        run_id = self.run_tests(grace, [alice], timeout=RUN_TIMEOUT_MS)
        self.assert_results([grace, alice], run_id, 1, 1, {"example": True}, hidden=(2, 2))

        grace.get_by_test_id("language-select").select_option("postgresql")
        expect(alice.get_by_test_id("language-select")).to_have_value("postgresql")
        run_id = self.run_tests(grace, [alice])
        self.assert_results([grace, alice], run_id, 1, 1, {"example": True}, hidden=(2, 2))

        # A LEFT JOIN also lists a customer without orders (total 0): only a hidden case has one in the top 3.
        wrong = query.replace("JOIN orders", "LEFT JOIN orders").replace("COUNT(*)", "COUNT(o.id)")
        set_code(grace, wrong.replace("SUM(o.amount)", "COALESCE(SUM(o.amount), 0)"))
        run_id = self.run_tests(grace, [alice])
        self.assert_results([grace, alice], run_id, 1, 1, {"example": True}, hidden=(1, 2))

    # c. switching the question live; starter code on a language switch

    def test_interviewer_switches_the_question_live_and_starter_code_follows_the_language(self):
        alice = self.signed_in_interviewer()
        session_id = self.session_from_question(alice, "Parse a duration", "python")
        self.open_as_signed_in(alice, session_id)
        grace, frames, responses = self.join(session_id, "Grace")
        expect(grace.get_by_test_id("question-title")).to_have_text("Parse a duration")
        wait_for_exact_text(grace, "def parse_duration(text):\n    pass\n")

        # Untouched starter code: switching the language puts the new language's starter in.
        grace.get_by_test_id("language-select").select_option("typescript")
        wait_for_exact_text(alice, "function parseDuration(text: string): number {\n  return -1\n}\n")
        expect(grace.get_by_test_id("starter-offer")).to_have_count(0)

        # The interviewer changes the question, after a confirmation; everyone sees it at once.
        alice.get_by_test_id("change-question").click()
        picker = alice.get_by_test_id("question-picker")
        picker.get_by_test_id("question-difficulty").select_option("medium")
        picker.get_by_test_id("question-option").filter(has_text="Merge intervals").click()
        expect(picker.get_by_test_id("question-preview")).to_contain_text("overlapping")
        picker.get_by_test_id("question-pick").click()
        dialog = alice.get_by_test_id("confirm-dialog")
        expect(dialog).to_contain_text("Merge intervals")
        expect(dialog.get_by_test_id("replace-code")).to_be_checked()
        dialog.get_by_test_id("confirm-ok").click()
        expect(grace.get_by_test_id("question-title")).to_have_text("Merge intervals")
        expect(alice.get_by_test_id("current-question")).to_have_text("Merge intervals")
        wait_for_exact_text(grace, "function merge(intervals: number[][]): number[][] {\n  return []\n}\n")
        expect(alice.get_by_test_id("question-guidance")).to_contain_text("sort by start")

        # TypeScript runs the tests too (the hidden ones in the interviewer's browser).
        set_code(grace, "\n".join([
            "function merge(intervals: number[][]): number[][] {",
            "  const out: number[][] = []",
            "  for (const [s, e] of [...intervals].sort((a, b) => a[0] - b[0])) {",
            "    const last = out[out.length - 1]",
            "    if (last && s <= last[1]) last[1] = Math.max(last[1], e)",
            "    else out.push([s, e])",
            "  }",
            "  return out",
            "}",
        ]))
        run_id = self.run_tests(grace, [alice], timeout=RUN_TIMEOUT_MS)
        self.assert_results([grace, alice], run_id, 2, 2, {"example": True, "touching": True}, hidden=(3, 3))

        # The candidate never received the guidance of either question.
        for frame in frames:
            data = frame if isinstance(frame, bytes) else frame.encode()
            self.assertNotIn(b"sort by start", data)
            self.assertNotIn(b"state machine", data)
        for response in responses:
            try:
                body = response.body()
            except Exception:
                continue
            self.assertNotIn(b"sort by start", body, response.url)
        self.assertNotIn("sort by start", grace.content())
