"""Real browsers on the pad: two people (two Chromium contexts) in one session, typing into
Monaco, against a live daphne server. Timings belong in bench/browser_ready.py, not here."""
import re
import time

from playwright.sync_api import expect

from .support import (
    TIMEOUT_MS,
    BrowserTestCase,
    api,
    doc_text,
    focus_editor_at_end,
    insert_text,
    model_text,
    set_text,
    wait_for_exact_text,
    wait_for_text,
    wait_ready,
)


def eventually(read, expected, timeout=10.0, interval=0.05):
    """Poll `read()` until it returns `expected` (or time runs out); returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if value == expected or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def participants(page, others_only=False):
    selector = "[data-testid=participants] li[data-client-id]" + (":not([data-self])" if others_only else "")
    return page.locator(selector)


class SessionPageTests(BrowserTestCase):
    # What ./start-dev.sh serves (uvicorn, the pad's protocol, keystrokes handled in its read
    # callback); the other browser classes run on daphne.
    server_kind = "uvicorn"

    def two_people(self, **session):
        session_id = self.create_session(**session)
        ada, grace = self.open_sessions(session_id, ["Ada", "Grace"])
        return session_id, ada, grace

    def test_typing_in_one_browser_appears_in_the_other(self):
        session_id, ada, grace = self.two_people(language="python")
        focus_editor_at_end(ada)
        line = 'print("hello from Ada")  # 1 + 2'
        ada.keyboard.type(line)
        self.assertEqual(model_text(ada), line)  # Monaco's auto-closing did not garble real typing
        wait_for_exact_text(grace, line)
        self.assertEqual(doc_text(grace), line)
        # And it is on Grace's screen, not just in her model (Monaco draws spaces as U+00A0).
        expect(grace.locator(".monaco-editor .view-lines")).to_contain_text(line.replace(" ", "\u00a0"))
        self.assertEqual(eventually(lambda: self.stored_code(session_id), line), line)
        # tearDown checks every test's traffic stayed on this server; here, that it saw the real traffic.
        own = f"127.0.0.1:{self.server.port}"
        self.assertTrue(any(url.startswith(f"http://{own}/static/assets/") for url in self.requests), self.requests)
        self.assertTrue(any(url.startswith(f"http://{own}/api/sessions/") for url in self.requests), self.requests)
        self.assertEqual(len(self.websockets), 2, self.websockets)
        for url in self.websockets:
            self.assertRegex(url, rf"^ws://{re.escape(own)}/ws/yjs/{session_id}(\?presence=1)?$")
        self.assert_only_own_origin()

    def test_concurrent_typing_converges_and_keeps_every_keystroke(self):
        _, ada, grace = self.two_people()
        set_text(ada, "# --\n")
        wait_for_exact_text(grace, "# --\n")
        for page in (ada, grace):  # both carets at the very same spot: the end of the text
            focus_editor_at_end(page)
        # Disjoint alphabets, so each person's keystrokes can be picked out of the merged text.
        ada_keys = "abcdefghijklmnopqrstuvwxyz" * 2
        grace_keys = "0123456789ABCDEFGHIJKLMNOP" * 2
        # Interleaved: neither waits for the other's keystroke to arrive before the next one.
        for a, g in zip(ada_keys, grace_keys, strict=True):
            ada.keyboard.type(a)
            grace.keyboard.type(g)
        expected_len = len("# --\n") + len(ada_keys) + len(grace_keys)
        for page in (ada, grace):
            wait_for_text(page, "(text, n) => text.length === n", expected_len)
        final = doc_text(ada)
        wait_for_exact_text(grace, final)
        wait_for_exact_text(ada, final)  # models agree with their docs too
        self.assertTrue(final.startswith("# --\n"), final)
        self.assertEqual("".join(c for c in final if c.islower()), ada_keys)
        self.assertEqual("".join(c for c in final if c.isdigit() or c.isupper()), grace_keys)

    def test_language_change_shows_in_the_other_browser(self):
        _, ada, grace = self.two_people(language="python")
        for page in (ada, grace):
            expect(page.get_by_test_id("language-select")).to_have_value("python")
        ada.get_by_test_id("language-select").select_option("go")
        expect(grace.get_by_test_id("language-select")).to_have_value("go")
        grace.wait_for_function("() => window.__pad.editor.getModel().getLanguageId() === 'go'", timeout=TIMEOUT_MS)
        self.assertEqual(ada.evaluate("() => window.__pad.editor.getModel().getLanguageId()"), "go")
        self.assertEqual(grace.evaluate("() => window.__pad.doc.getMap('meta').get('language')"), "go")
        # And back, from the other side.
        grace.get_by_test_id("language-select").select_option("javascript")
        expect(ada.get_by_test_id("language-select")).to_have_value("javascript")
        ada.wait_for_function(
            "() => window.__pad.editor.getModel().getLanguageId() === 'javascript'", timeout=TIMEOUT_MS
        )

    def test_each_sees_the_others_name_colour_and_cursor(self):
        session_id = self.create_session(code="x = 1\ny = 2\n")
        same = {"pad.color": "#e5484d"}  # both browsers happen to prefer the same colour
        ada = self.open_session(session_id, page=self.new_page("Ada", storage=same))
        grace = self.open_session(session_id, page=self.new_page("Grace", storage=same))
        for page, me, other in ((ada, "Ada", "Grace"), (grace, "Grace", "Ada")):
            expect(participants(page)).to_have_count(2)
            expect(page.locator("[data-testid=participants] li[data-self=true]")).to_contain_text(f"{me} (you)")
            expect(participants(page, others_only=True)).to_contain_text(other)
            expect(participants(page, others_only=True)).not_to_contain_text("(you)")
        # One of them moved to a free colour, the other kept red; both lists agree.
        swatches = "[data-testid=participants] li[data-client-id] .swatch"
        colours = "(els) => els.map((el) => getComputedStyle(el).backgroundColor)"
        for page in (ada, grace):
            page.wait_for_function(
                f"() => {{ const c = ({colours})([...document.querySelectorAll('{swatches}')]);"
                " return c.length === 2 && c[0] !== c[1] }"
            )
        seen_by_ada = sorted(ada.locator(swatches).evaluate_all(colours))
        self.assertEqual(sorted(grace.locator(swatches).evaluate_all(colours)), seen_by_ada)
        self.assertIn("rgb(229, 72, 77)", seen_by_ada)
        # A caret shows once its owner has moved it: each types a little on a different line.
        ada.click(".monaco-editor .view-line >> nth=0")
        ada.keyboard.press("End")
        ada.keyboard.type("  # Ada")
        grace.click(".monaco-editor .view-line >> nth=1")
        grace.keyboard.press("End")
        grace.keyboard.type("  # Grace")
        for page, other in ((ada, "Grace"), (grace, "Ada")):
            label = page.locator(".remote-cursor-label")
            expect(label).to_have_count(1)
            expect(label).to_have_text(other)
            expect(page.locator(".yRemoteSelectionHead")).to_have_count(1)
        # When Grace leaves, Ada's list and labels drop her.
        grace.context.close()
        self.contexts.remove(grace.context)
        expect(participants(ada)).to_have_count(1)
        expect(ada.locator(".remote-cursor-label")).to_have_count(0)

    def test_name_prompt_sets_the_name_others_see(self):
        session_id = self.create_session()
        ada = self.open_session(session_id, "Ada")
        newcomer = self.new_page()  # no remembered name: the prompt asks for one
        newcomer.goto(self.session_url(session_id))
        name_input = newcomer.get_by_test_id("name-input")
        expect(name_input).to_be_visible()
        expect(newcomer.get_by_test_id("editor-ready")).to_have_count(0)  # no connection before a name
        name_input.fill("   ")
        expect(newcomer.get_by_test_id("name-submit")).to_be_disabled()
        name_input.fill("  Grace   Hopper ")
        newcomer.get_by_test_id("name-submit").click()
        expect(name_input).to_have_count(0)
        wait_ready(newcomer)
        expect(newcomer.locator("[data-testid=participants] li[data-self=true]")).to_contain_text("Grace Hopper (you)")
        expect(participants(ada, others_only=True)).to_contain_text("Grace Hopper")
        self.assertEqual(newcomer.evaluate("() => localStorage.getItem('pad.displayName')"), "Grace Hopper")
        # Renaming updates everyone's list without reconnecting.
        sockets_before = len(self.websockets)
        newcomer.get_by_role("button", name="Change your name").click()
        expect(name_input).to_have_value("Grace Hopper")
        name_input.fill("Admiral Hopper")
        newcomer.get_by_test_id("name-submit").click()
        expect(participants(ada, others_only=True)).to_contain_text("Admiral Hopper")
        self.assertEqual(len(self.websockets), sockets_before, "a rename must not reconnect")
        # Remembered: the next visit does not ask again.
        newcomer.reload()
        wait_ready(newcomer)
        expect(newcomer.get_by_test_id("name-input")).to_have_count(0)
        own_entry = newcomer.locator("[data-testid=participants] li[data-self=true]")
        expect(own_entry).to_contain_text("Admiral Hopper (you)")

    def test_reload_keeps_the_code_and_language(self):
        session_id = self.create_session(language="python")
        ada = self.open_session(session_id, "Ada")
        focus_editor_at_end(ada)
        ada.keyboard.type("answer = 42")
        ada.get_by_test_id("language-select").select_option("ruby")
        # Sent (nothing left in the socket's buffer), not necessarily flushed to the database.
        ada.wait_for_function("() => window.__pad.provider.ws && window.__pad.provider.ws.bufferedAmount === 0")
        ada.reload()
        wait_ready(ada)
        self.assertEqual(doc_text(ada), "answer = 42")
        self.assertEqual(model_text(ada), "answer = 42")
        expect(ada.get_by_test_id("language-select")).to_have_value("ruby")
        # Someone who was never here gets the same, and so does the REST API.
        grace = self.open_session(session_id, "Grace")
        self.assertEqual(doc_text(grace), "answer = 42")
        self.assertEqual(eventually(lambda: self.stored_code(session_id), "answer = 42"), "answer = 42")

    def test_unknown_or_deleted_session_shows_not_found(self):
        page = self.new_page("Ada")
        page.goto(self.session_url("no-such-session-0000"))
        expect(page.get_by_test_id("not-found")).to_contain_text("Session not found")
        expect(page.get_by_test_id("editor-ready")).to_have_count(0)
        deleted = self.create_session()
        api(self.server, "DELETE", f"/api/sessions/{deleted}/", key=self.keys[deleted])
        page.goto(self.session_url(deleted))
        expect(page.get_by_test_id("not-found")).to_contain_text("Session not found")
        self.assertEqual(self.websockets, [], "a missing session must not open a socket")

    def test_deleting_an_open_session_tells_everyone_in_it(self):
        session_id, ada, grace = self.two_people(code="kept on screen")
        api(self.server, "DELETE", f"/api/sessions/{session_id}/", key=self.keys[session_id])
        for page in (ada, grace):
            expect(page.locator(".banner-danger")).to_contain_text("This session was deleted")
            expect(page.get_by_test_id("connection-status")).to_have_text("offline")  # it stops retrying
            self.assertEqual(doc_text(page), "kept on screen")

    def test_browser_going_offline_keeps_edits_and_merges_them_when_back(self):
        _, ada, grace = self.two_people(code="base\n")
        ada.context.set_offline(True)
        expect(ada.get_by_test_id("connection-status")).to_have_text("offline")
        expect(participants(ada)).to_have_count(1)  # offline, she sees only herself
        focus_editor_at_end(ada)
        ada.keyboard.type("ada offline")
        insert_text(grace, 1, 1, "grace online\n")
        self.assertEqual(doc_text(ada), "base\nada offline")  # neither has the other's edit yet
        ada.context.set_offline(False)
        expect(ada.get_by_test_id("connection-status")).to_have_text("connected")
        for page in (ada, grace):
            wait_for_exact_text(page, "grace online\nbase\nada offline")

    def test_copy_invite_link(self):
        session_id = self.create_session()
        page = self.new_page("Ada", permissions=["clipboard-read", "clipboard-write"])
        self.open_session(session_id, page=page)
        button = page.get_by_test_id("copy-link")
        link = f"{self.server.url}/session/{session_id}"
        expect(button).to_have_attribute("data-link", link)
        button.click()
        expect(button).to_have_text("Copied!")
        self.assertEqual(page.evaluate("() => navigator.clipboard.readText()"), link)
        # The link works: a second person following it lands in the same document.
        set_text(page, "shared via link")
        other = self.new_page("Grace")
        other.goto(link)
        wait_ready(other)
        wait_for_exact_text(other, "shared via link")

    def test_home_page_creates_a_session_whose_creator_is_its_interviewer(self):
        page = self.new_page("Ada")
        page.goto(self.server.url + "/")
        page.get_by_test_id("create-title").fill("Backend engineer: Jane Doe")
        page.get_by_test_id("create-language").select_option("javascript")
        page.get_by_test_id("create-submit").click()
        # The secret interviewer link is shown this once (tests/browser/test_authority.py follows it).
        expect(page.get_by_test_id("keep-link-note")).to_contain_text("Keep this link")
        page.get_by_test_id("open-session").click()
        page.wait_for_url(re.compile(r"/session/[^/]+$"))
        wait_ready(page)
        session_id = page.url.rsplit("/", 1)[1]
        self.assertEqual(page.evaluate("() => window.__pad.sessionId"), session_id)
        expect(page.get_by_test_id("language-select")).to_have_value("javascript")
        self.assertEqual(page.evaluate("() => window.__pad.editor.getModel().getLanguageId()"), "javascript")
        expect(page.locator(".session-name")).to_have_text("Backend engineer: Jane Doe")
        # The server made this browser the interviewer (its answer set an HttpOnly cookie).
        expect(page.get_by_test_id("role")).to_have_text("interviewer")
        expect(page.locator("[data-testid=participants] li[data-self=true]")).to_contain_text("interviewer")
        self.assertEqual(page.evaluate("() => localStorage.getItem('pad.createdSessions')"), None)
        stored = api(self.server, "GET", f"/api/sessions/{session_id}/")
        self.assertEqual((stored["title"], stored["language"]), ("Backend engineer: Jane Doe", "javascript"))
        # Someone else following the link is a candidate, not the interviewer.
        other = self.open_session(session_id, "Grace")
        expect(other.get_by_test_id("role")).to_have_text("candidate")
        expect(other.locator("[data-testid=participants] li[data-self=true]")).to_contain_text("candidate")
        expect(participants(other, others_only=True)).to_contain_text("interviewer")


class ServerRestartTests(BrowserTestCase):
    """Its own server: the test kills it."""

    def test_edits_made_while_the_server_is_down_merge_after_it_returns(self):
        session_id = self.create_session()
        ada, grace = self.open_sessions(session_id, ["Ada", "Grace"])
        for page in (ada, grace):
            expect(page.get_by_test_id("connection-status")).to_have_text("connected")
        set_text(ada, "before\n")
        wait_for_exact_text(grace, "before\n")

        self.server.kill()
        for page in (ada, grace):
            # The browser is online and the provider keeps trying: "reconnecting", not "offline".
            expect(page.get_by_test_id("connection-status")).to_have_text("reconnecting")
            expect(page.locator(".banner-reconnecting")).to_contain_text("your edits are kept")
        # Both keep typing while it is down, each at their own end of the document.
        focus_editor_at_end(ada)
        ada.keyboard.type("ada while down")
        grace.click(".monaco-editor .view-line >> nth=0")
        grace.keyboard.press("Home")
        grace.keyboard.type("grace while down ")
        self.assertEqual(doc_text(ada), "before\nada while down")
        self.assertEqual(doc_text(grace), "grace while down before\n")

        self.server.start()
        expected = "grace while down before\nada while down"
        for page in (ada, grace):
            expect(page.get_by_test_id("connection-status")).to_have_text("connected", timeout=20_000)
            expect(page.locator(".banner-reconnecting")).to_have_count(0)
        for page in (ada, grace):
            wait_for_exact_text(page, expected, timeout=20_000)
        self.assertEqual(eventually(lambda: self.stored_code(session_id), expected), expected)
        # A newcomer after the restart gets the merged text from the server.
        late = self.open_session(session_id, "Linus")
        self.assertEqual(doc_text(late), expected)
