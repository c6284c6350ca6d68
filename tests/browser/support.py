"""Shared pieces of the browser tests: Chromium via Playwright, a live server per class,
sessions created over REST, the editor driven through `window.__pad` (frontend/README.md).

Chromium is Debian's `/usr/bin/chromium` (./run-tests.sh installs it); a missing browser
fails the tests, it never skips them.
"""
import json
import os
import sys
from pathlib import Path
from unittest import TestCase
from urllib.parse import urlsplit

from playwright.sync_api import expect, sync_playwright

from tests.support.server import ROOT, ServerProcess, api, create_session

CHROMIUM = os.environ.get("PAD_CHROMIUM", "/usr/bin/chromium")
DIST = Path(os.environ.get("PAD_FRONTEND_DIST") or ROOT / "frontend" / "dist")  # as the settings read it
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
READY = "[data-testid=editor-ready][data-ready=true]"
TIMEOUT_MS = 15_000
# Playwright's default of 5 s for `expect` is short on a loaded 2-core machine.
expect.set_options(timeout=TIMEOUT_MS)


def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        raise AssertionError(f"Chromium not found at {CHROMIUM}: run ./run-tests.sh (it installs Debian's chromium)")
    if not (DIST / "index.html").exists():
        raise AssertionError("frontend/dist is not built: run ./run-tests.sh (or npm --prefix frontend run build)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def dist_stamp():
    index = DIST / "index.html"
    return index.stat().st_mtime_ns if index.exists() else None


# --- the editor, through the test hook -------------------------------------------------

def wait_ready(page, timeout=TIMEOUT_MS):
    """The editor is bound and the first sync with the server is done."""
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_function("() => !!(window.__pad && window.__pad.editor)", timeout=timeout)


def doc_text(page) -> str:
    return page.evaluate("() => window.__pad.doc.getText('code').toString()")


def model_text(page) -> str:
    return page.evaluate("() => window.__pad.editor.getModel().getValue()")


def set_text(page, text: str):
    """Exact text (no auto-indent) through the Monaco model. y-monaco turns a setValue into
    "delete everything, insert this": fine for a starting text, but not while someone else is
    editing (their concurrent edit then merges against deleted text); use insert_text there."""
    page.evaluate("(text) => window.__pad.editor.getModel().setValue(text)", text)


def insert_text(page, line: int, column: int, text: str):
    """Insert exact text at a position as one minimal edit (setValue would replace everything,
    which a concurrent edit elsewhere then merges against the deleted text)."""
    page.evaluate(
        "([line, column, text]) => { const { editor, monaco } = window.__pad;"
        " editor.executeEdits('test', [{ range: new monaco.Range(line, column, line, column), text }]) }",
        [line, column, text],
    )


def wait_for_text(page, predicate_js: str, arg=None, timeout=TIMEOUT_MS):
    """Wait until `predicate_js` (a JS function of (text, arg)) holds for the shared code."""
    page.wait_for_function(
        f"([arg]) => {{ const p = window.__pad; if (!p) return false;"
        f" const text = p.doc.getText('code').toString(); return ({predicate_js})(text, arg) }}",
        arg=[arg], timeout=timeout,
    )


def wait_for_exact_text(page, expected: str, timeout=TIMEOUT_MS):
    """The shared doc *and* the Monaco model both hold `expected`."""
    page.wait_for_function(
        "([expected]) => { const p = window.__pad; return !!p && p.doc.getText('code').toString() === expected"
        " && p.editor.getModel().getValue() === expected }",
        arg=[expected], timeout=timeout,
    )


def focus_editor_at_end(page):
    """Click into the editor like a person, then put the caret at the end of the text."""
    page.click(".monaco-editor .view-lines")
    page.wait_for_function("() => window.__pad.editor.hasTextFocus()", timeout=TIMEOUT_MS)
    page.keyboard.press("Control+End")


# --- the test case ----------------------------------------------------------------------

class BrowserTestCase(TestCase):
    """One live server and one Chromium per class, a fresh browser context per person.

    Every request and WebSocket of every page is recorded, and each test ends by checking
    that all of them went to the app's own origin (interviews must work on a closed network),
    and that no page threw an uncaught exception.
    """

    server_env = None
    server_kind = "daphne"  # or "uvicorn", what ./start-dev.sh serves

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dist_stamp = dist_stamp()
        cls.server = ServerProcess(env=cls.server_env, server=cls.server_kind).start()
        cls.playwright = sync_playwright().start()
        try:
            cls.browser = launch_chromium(cls.playwright)
        except BaseException:
            cls.playwright.stop()
            cls.server.close()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.browser.close()
        finally:
            cls.playwright.stop()
            cls.server.close()
            super().tearDownClass()

    def setUp(self):
        self.contexts = []
        self.keys: dict[str, str] = {}  # session id -> interviewer key of the sessions made here
        self.requests = []     # every URL a page requested (http(s), ws(s), workers included)
        self.websockets = []   # WebSocket URLs
        self.page_errors = []  # uncaught exceptions in any page
        self.console = []      # what the pages said in their consoles (for failure messages)
        self.addCleanup(self.close_contexts)

    def close_contexts(self):
        for context in self.contexts:
            context.close()
        self.contexts = []

    def tearDown(self):
        if dist_stamp() != self.dist_stamp:
            # The server indexed the static files at start: pages now ask for assets it lacks.
            print(f"\nWARNING: frontend/dist was rebuilt during {type(self).__name__}; failures here may"
                  " be that, not the app: rerun", file=sys.stderr)
        # Closing first lets Playwright deliver the events of the test's last moments.
        self.close_contexts()
        self.assert_only_own_origin()
        self.assertEqual(self.page_errors, [], "a page threw an uncaught exception")

    # people and pages

    def new_context(self, name=None, permissions=None, storage=None):
        """A fresh browser profile (a new person). `name` pre-sets the remembered display name,
        `storage` any other localStorage entries (e.g. {"pad.color": "#e5484d"})."""
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        context.set_default_timeout(TIMEOUT_MS)
        entries = {**({"pad.displayName": name} if name is not None else {}), **(storage or {})}
        if entries:
            # Runs in every document, about:blank included, where localStorage is off limits.
            context.add_init_script(
                f"if (location.protocol === 'http:') for (const [k, v] of Object.entries({json.dumps(entries)}))"
                " localStorage.setItem(k, v)"
            )
        if permissions:
            context.grant_permissions(permissions, origin=self.server.url)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("page", self._watch_page)
        self.contexts.append(context)
        return context

    def _watch_page(self, page):
        page.on("websocket", lambda ws: (self.websockets.append(ws.url), self.requests.append(ws.url)))
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))

    def new_page(self, name=None, permissions=None, storage=None):
        return self.new_context(name, permissions, storage).new_page()

    def open_session(self, session_id, name=None, page=None):
        """A person (new context unless `page` is given) opens the session and waits for the editor."""
        return self.open_sessions(session_id, [page or self.new_page(name)])[0]

    def open_sessions(self, session_id, people):
        """Several people open the session at once (names, or pages); returns their pages, ready."""
        pages = [person if not isinstance(person, str) else self.new_page(person) for person in people]
        for page in pages:  # navigations overlap: the browser loads the pages in parallel
            page.goto(self.session_url(session_id), wait_until="commit")
        for page in pages:
            wait_ready(page)
        return pages

    # the server

    def create_session(self, **body) -> str:
        """A new session, made over REST; its interviewer key is kept in `self.keys`."""
        session_id, key = create_session(self.server, **body)
        self.keys[session_id] = key
        return session_id

    def interviewer_url(self, session_id) -> str:
        """The secret link that makes a browser the session's interviewer."""
        return f"{self.session_url(session_id)}#key={self.keys[session_id]}"

    def session_url(self, session_id) -> str:
        return f"{self.server.url}/session/{session_id}"

    def stored_code(self, session_id) -> str:
        return api(self.server, "GET", f"/api/sessions/{session_id}/code")["code"]

    # checks

    def assert_only_own_origin(self):
        own = f"127.0.0.1:{self.server.port}"
        foreign = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob"):
                continue
            if parts.scheme not in ("http", "ws") or parts.netloc != own:
                foreign.append(url)
        self.assertEqual(foreign, [], f"requests left the app's own origin ({own})")
