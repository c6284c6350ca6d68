"""Runs on the server, in Chromium: Java runs in the server's sandbox (the runner inside the
server process, as without Redis), with the same Run, Stop, Input and shared output as a
browser run. The page sends no code, only "run the document" on the pad's socket; everyone
watches the server's live state and then the run's entry in the shared history
(frontend/README.md, "Runs on the server").

Chromium, the sandbox (bwrap) and Java are needed: missing, they fail the tests under CI and
skip them elsewhere. The protocol itself is tested without a browser in tests/test_server_runs.py.
"""
from pathlib import Path

from playwright.sync_api import expect

from tests.support.runner import require_sandbox

from .run_support import ENTRY, RUN_TIMEOUT_MS, click_run, entry_text, newest, set_code, set_stdin, wait_for_entries
from .support import CHROMIUM, BrowserTestCase, wait_ready

# The first run starts the JVM and javac cold; a loaded CI machine may take a while.
SERVER_RUN_TIMEOUT_MS = 120_000

SLOW_JAVA = """import java.util.Scanner;

public class Main {
    public static void main(String[] args) throws Exception {
        for (int i = 1; i <= 5; i++) {
            System.out.println("line " + i);
            Thread.sleep(400);
        }
        String said = new Scanner(System.in).nextLine();
        System.out.println("you said: " + said);
    }
}
"""

BROKEN_JAVA = """public class Main {
    public static void main(String[] args) {
        int count = "three";
        System.out.println(count);
    }
}
"""

ENDLESS_JAVA = """public class Main {
    public static void main(String[] args) throws Exception {
        while (true) {
            System.out.println("tick");
            Thread.sleep(200);
        }
    }
}
"""

QUICK_JAVA = """public class Main {
    public static void main(String[] args) {
        System.out.println("one");
    }
}
"""

# The live card of a run on the server (the server's awareness state, shown on every page).
SERVER_CARD = "[data-testid=remote-run-live][data-server=true]"


def require_components():
    """Chromium, the sandbox and Java: a failure under CI, a skip elsewhere."""
    require_sandbox("java", also_missing=() if Path(CHROMIUM).exists() else (f"Chromium ({CHROMIUM})",))


class ServerRunTests(BrowserTestCase):
    # The runner inside the server process (no Redis), and a wall-clock limit no slow machine
    # reaches, so that Stop, not the limit, ends the endless program.
    server_env = {"PAD_RUNNER_IN_PROCESS": "1", "PAD_RUN_WALL_SECONDS": "60"}

    @classmethod
    def setUpClass(cls):
        require_components()
        super().setUpClass()

    def interview(self):
        """An interviewer and a candidate in one Java session; returns (interviewer, candidate)."""
        session_id = self.create_session(language="java")
        interviewer = self.new_page("Ines")
        interviewer.goto(self.interviewer_url(session_id), wait_until="commit")
        candidate = self.open_session(session_id, "Cleo")
        wait_ready(interviewer)
        expect(interviewer.get_by_test_id("role")).to_have_text("interviewer")
        for page in (interviewer, candidate):
            expect(page.get_by_test_id("runtime-note")).to_contain_text("Java", timeout=RUN_TIMEOUT_MS)
            expect(page.get_by_test_id("runtime-note")).to_contain_text("runs on the server")
            expect(page.get_by_test_id("not-runnable")).to_have_count(0)
        return interviewer, candidate

    def test_a_java_run_is_watched_live_by_the_interviewer_then_shared_with_its_input(self):
        interviewer, candidate = self.interview()
        set_code(candidate, SLOW_JAVA)
        set_stdin(candidate, "hello from Cleo\n")
        click_run(candidate)
        expect(candidate.get_by_test_id("stop-button")).to_be_visible()
        # The interviewer sees the output while the program runs: "line 1" in the live card
        # while the shared history holds no entry yet (one check of the page, not two).
        interviewer.wait_for_function(
            """([card, entry]) => {
                const out = document.querySelector(card + ' [data-testid=remote-run-stdout]')
                return !!out && out.textContent.includes('line 1') && document.querySelectorAll(entry).length === 0
            }""",
            arg=[SERVER_CARD, ENTRY],
            timeout=SERVER_RUN_TIMEOUT_MS,
        )
        card = interviewer.locator(SERVER_CARD)
        expect(card.locator(".run-by")).to_have_text("Cleo")
        expect(card).to_contain_text("Java")
        # The server's state is nobody: two people here, whatever it publishes.
        expect(interviewer.locator("[data-testid=participants] > li")).to_have_count(2)
        # The candidate's own run is shown once: the server's card, no card of the page's own.
        expect(candidate.get_by_test_id("run-live")).to_have_count(0)
        expect(candidate.locator(SERVER_CARD)).to_have_count(1)

        for page in (interviewer, candidate):
            wait_for_entries(page, 1, timeout=SERVER_RUN_TIMEOUT_MS)
        lines = "\n".join(f"line {i}" for i in range(1, 6))
        for page in (interviewer, candidate):
            entry = newest(page)
            expect(entry).to_have_attribute("data-status", "ok")
            self.assertEqual(entry_text(entry, "stdout"), f"{lines}\nyou said: hello from Cleo")
            expect(entry.get_by_test_id("run-by")).to_have_text("Cleo")
            expect(entry).to_contain_text("Java")
            expect(entry.get_by_test_id("run-stdin")).to_contain_text("Input (1 lines)")
            expect(page.locator(SERVER_CARD)).to_have_count(0)
        # The same entry in both windows, once, under the id the candidate's page sent.
        read_runs = "() => window.__pad.doc.getArray('runs').toJSON()"
        stored = [page.evaluate(read_runs) for page in (interviewer, candidate)]
        self.assertEqual(stored[0], stored[1])
        self.assertEqual(len(stored[0]), 1)
        self.assertEqual(stored[0][0]["stdin"], "hello from Cleo\n")
        self.assertEqual(stored[0][0]["language"], "java")
        self.assertEqual(stored[0][0]["by"]["name"], "Cleo")
        expect(interviewer.locator(ENTRY).first).to_have_attribute("data-run-id", stored[0][0]["id"])
        # The candidate's page is ready for the next run.
        expect(candidate.get_by_test_id("stop-button")).to_have_count(0)
        expect(candidate.get_by_test_id("run-button")).to_be_enabled()
        expect(candidate.get_by_test_id("run-notice")).to_have_count(0)

    def test_a_lost_connection_stops_the_wait_and_the_result_still_arrives(self):
        interviewer, candidate = self.interview()
        set_code(candidate, SLOW_JAVA)
        set_stdin(candidate, "still here\n")
        click_run(candidate)
        expect(candidate.locator(f"{SERVER_CARD} [data-testid=remote-run-stdout]")).to_contain_text(
            "line 1", timeout=SERVER_RUN_TIMEOUT_MS)
        candidate.evaluate("() => window.__pad.provider.ws.close()")  # the network drops; the provider reconnects
        expect(candidate.get_by_test_id("run-notice")).to_have_text(
            "The connection was lost; the run's result will appear when it finishes.")
        expect(candidate.get_by_test_id("stop-button")).to_have_count(0)
        for page in (interviewer, candidate):
            wait_for_entries(page, 1, timeout=SERVER_RUN_TIMEOUT_MS)
            expect(newest(page)).to_have_attribute("data-status", "ok")
            self.assertTrue(entry_text(newest(page), "stdout").endswith("line 5\nyou said: still here"))

    def test_a_compile_error_shows_the_compilers_message(self):
        interviewer, candidate = self.interview()
        set_code(candidate, BROKEN_JAVA)
        expect(candidate.get_by_test_id("run-button")).to_be_enabled(timeout=RUN_TIMEOUT_MS)
        # Ctrl+Enter from the editor runs on the server too.
        candidate.click(".monaco-editor .view-lines")
        candidate.keyboard.press("Control+Enter")
        for page in (interviewer, candidate):
            wait_for_entries(page, 1, timeout=SERVER_RUN_TIMEOUT_MS)
            entry = newest(page)
            expect(entry).to_have_attribute("data-status", "error")
            self.assertIn("Main.java:3: error", entry.text_content())
        self.assertEqual(candidate.evaluate("() => window.__pad.editor.getModel().getValue()"), BROKEN_JAVA)

    def test_stop_by_the_candidate_or_an_interviewer_ends_a_run_for_everyone(self):
        interviewer, candidate = self.interview()
        set_code(candidate, ENDLESS_JAVA)
        click_run(candidate)
        expect(candidate.locator(f"{SERVER_CARD} [data-testid=remote-run-stdout]")).to_contain_text(
            "tick", timeout=SERVER_RUN_TIMEOUT_MS)
        expect(interviewer.get_by_test_id("remote-runner")).to_contain_text("Cleo is running Java")
        candidate.get_by_test_id("stop-button").click()
        for page in (interviewer, candidate):
            wait_for_entries(page, 1, timeout=SERVER_RUN_TIMEOUT_MS)
            entry = newest(page)
            expect(entry).to_have_attribute("data-status", "stopped")
            self.assertIn("tick", entry_text(entry, "stdout"))
            expect(page.locator(SERVER_CARD)).to_have_count(0)
        expect(candidate.get_by_test_id("stop-button")).to_have_count(0)
        expect(candidate.get_by_test_id("run-button")).to_be_enabled()
        # An interviewer may stop the candidate's run from its card (the candidate's own card
        # has no such button: its Stop is next to Run).
        click_run(candidate)
        expect(interviewer.locator(f"{SERVER_CARD} [data-testid=remote-run-stdout]")).to_contain_text(
            "tick", timeout=SERVER_RUN_TIMEOUT_MS)
        expect(candidate.locator(SERVER_CARD)).to_have_count(1)
        expect(candidate.get_by_test_id("remote-run-stop")).to_have_count(0)
        interviewer.get_by_test_id("remote-run-stop").click()
        for page in (interviewer, candidate):
            wait_for_entries(page, 2, timeout=SERVER_RUN_TIMEOUT_MS)
            expect(newest(page)).to_have_attribute("data-status", "stopped")
        expect(candidate.get_by_test_id("stop-button")).to_have_count(0)
        expect(candidate.get_by_test_id("run-button")).to_be_enabled()


class ServerRunRefusalTests(BrowserTestCase):
    """A run the server refuses (here: one server run a minute each) ends the page's wait with the reason."""
    server_env = {"PAD_RUNNER_IN_PROCESS": "1", "PAD_RUNS_PER_MINUTE_PERSON": "1"}

    @classmethod
    def setUpClass(cls):
        require_components()
        super().setUpClass()

    def test_a_refused_run_says_why_and_run_is_offered_again(self):
        candidate = self.open_session(self.create_session(language="java"), "Cleo")
        set_code(candidate, QUICK_JAVA)
        click_run(candidate)
        wait_for_entries(candidate, 1, timeout=SERVER_RUN_TIMEOUT_MS)
        self.assertEqual(entry_text(newest(candidate), "stdout"), "one")
        click_run(candidate)
        expect(candidate.get_by_test_id("run-notice")).to_have_text(
            "Too many runs in a short time: at most 1 server runs a minute each. Try again in a moment.",
            timeout=SERVER_RUN_TIMEOUT_MS)
        expect(candidate.get_by_test_id("run-button")).to_be_enabled()
        expect(candidate.get_by_test_id("stop-button")).to_have_count(0)
        # A refused run is not a refused change to the document: no notice, no fresh start.
        expect(candidate.get_by_test_id("server-notice")).to_have_count(0)
        self.assertEqual(candidate.evaluate("() => window.__pad.doc.getArray('runs').length"), 1)
        self.assertEqual(candidate.evaluate("() => window.__pad.doc.getText('code').toString()"), QUICK_JAVA)
