"""The interviewer's authority in real browsers (issue 10): accounts and the dashboard, secret
interviewer and observer links, end and reopen, private notes that never reach a candidate,
and what only interviewers may do. Every role here comes from the server; each test ends
(BrowserTestCase.tearDown) by checking that no request left this server and no page threw."""
import json
import re
import subprocess
import sys
import time

from playwright.sync_api import expect

from .run_support import click_run, entry_count, run, wait_for_entries
from .support import (
    ROOT,
    TIMEOUT_MS,
    BrowserTestCase,
    doc_text,
    insert_text,
    model_text,
    wait_for_exact_text,
    wait_for_text,
    wait_ready,
)

PASSWORD = "correct-Horse-battery-7"
CLIPBOARD = ["clipboard-read", "clipboard-write"]
NOTES_READY = "[data-testid=notes-editor][data-ready=true]"


def participants(page, others_only=False):
    selector = "[data-testid=participants] li[data-client-id]" + (":not([data-self])" if others_only else "")
    return page.locator(selector)


def stays(read, expected, seconds=1.0, interval=0.1):
    """`read()` returns `expected` now and for the next `seconds` (something that must not happen, did not)."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if value != expected or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def type_into_editor(page, text):
    """Click into the code editor like a person, caret at the end, and type."""
    page.click("[data-testid=editor-ready] .view-lines")
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


class AuthorityTests(BrowserTestCase):
    # people

    def create_account(self, username, password=PASSWORD):
        """An interviewer account, made the way an administrator would (`manage.py createinterviewer`)."""
        subprocess.run(
            [sys.executable, "manage.py", "createinterviewer", username, "--password", password],
            cwd=ROOT, env=self.server.env, check=True, capture_output=True,
        )

    def sign_in(self, page, username, password=PASSWORD):
        page.goto(self.server.url + "/login")
        page.get_by_test_id("login-username").fill(username)
        page.get_by_test_id("login-password").fill(password)
        page.get_by_test_id("login-submit").click()
        page.wait_for_url(re.compile(r"/dashboard$"))

    def open_as_interviewer(self, session_id, name="Ivy"):
        """A new browser opens the session's secret interviewer link."""
        page = self.new_page(name)
        page.goto(self.interviewer_url(session_id))
        wait_ready(page)
        expect(page.get_by_test_id("role")).to_have_text("interviewer")
        return page

    @staticmethod
    def record_everything_received(page):
        """Every WebSocket frame and every HTTP response the page receives, from now on."""
        sockets, frames, responses = [], [], []

        def on_websocket(ws):
            sockets.append(ws.url)
            ws.on("framereceived", lambda payload: frames.append(payload))
        page.on("websocket", on_websocket)
        page.on("response", lambda response: responses.append(response))
        return sockets, frames, responses

    # a. accounts, the dashboard, private notes, end and reopen

    def test_signed_in_interviewer_runs_an_interview_whose_notes_never_reach_the_candidate(self):
        self.create_account("alice")
        alice = self.new_page("Alice", permissions=CLIPBOARD)

        # A wrong password is refused on the page; the right one leads to the dashboard.
        alice.goto(self.server.url + "/login")
        alice.get_by_test_id("login-username").fill("alice")
        alice.get_by_test_id("login-password").fill("not the password")
        alice.get_by_test_id("login-submit").click()
        expect(alice.get_by_test_id("login-error")).to_contain_text("Wrong username or password")
        self.sign_in(alice, "alice")
        expect(alice.get_by_role("heading", name="Your interviews")).to_be_visible()
        expect(alice.get_by_test_id("no-interviews")).to_be_visible()

        # She creates an interview from the dashboard and copies its candidate link.
        alice.get_by_test_id("create-title").fill("Backend engineer: Grace")
        alice.get_by_test_id("create-language").select_option("python")
        alice.get_by_test_id("create-submit").click()
        row = alice.get_by_test_id("interview-row").filter(has_text="Backend engineer: Grace")
        expect(row).to_have_count(1)
        expect(row.get_by_test_id("interview-status")).to_have_text("live")
        expect(row).to_contain_text("Python")
        session_id = row.get_attribute("data-session-id")
        row.get_by_test_id("copy-candidate-link").click()
        expect(row.get_by_test_id("copy-candidate-link")).to_have_text("Copied!")
        candidate_link = alice.evaluate("() => navigator.clipboard.readText()")
        self.assertEqual(candidate_link, self.session_url(session_id))

        # The candidate joins with it, in another browser; everything it receives is recorded.
        grace = self.new_page("Grace")
        sockets, frames, responses = self.record_everything_received(grace)
        grace.goto(candidate_link)
        wait_ready(grace)
        expect(grace.get_by_test_id("role")).to_have_text("candidate")

        # Alice opens it from her dashboard: the account makes her its interviewer.
        row.get_by_test_id("open-interview").click()
        alice.wait_for_url(self.session_url(session_id))
        wait_ready(alice)
        expect(alice.get_by_test_id("role")).to_have_text("interviewer")
        expect(participants(alice, others_only=True)).to_contain_text("Grace")
        expect(participants(grace, others_only=True)).to_contain_text("Alice")
        for absent in ("notes-panel", "interviewer-panel", "end-interview", "copy-observer-link"):
            expect(grace.get_by_test_id(absent)).to_have_count(0)

        # Alice writes a private note, in the notes editor.
        note = "Private zq7x: strong on recursion, rushed the edge cases"
        alice.wait_for_selector(NOTES_READY)
        alice.click("[data-testid=notes-editor] .view-lines")
        alice.keyboard.type(note)
        alice.wait_for_function(
            "(note) => window.__notes.doc.getText('notes').toString() === note", arg=note, timeout=TIMEOUT_MS
        )
        self.assertEqual(alice.evaluate("() => window.__notes.editor.getModel().getValue()"), note)
        # It reached the server (the notes' REST reading is the interviewers').
        alice.wait_for_function(
            "async ([id, note]) => { const r = await fetch(`/api/sessions/${id}/notes`);"
            " return r.ok && (await r.json()).text === note }",
            arg=[session_id, note], timeout=TIMEOUT_MS, polling=250,
        )
        # Meanwhile the candidate types and Alice sees it.
        type_into_editor(grace, "print('hi')")
        wait_for_text(alice, "(text) => text.includes(\"print('hi')\")")

        # Alice ends the interview: the candidate's page turns read-only, with the banner.
        alice.get_by_test_id("end-interview").click()
        banner = grace.get_by_test_id("ended-banner")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("The interview ended at")
        expect(grace.get_by_test_id("editor-ready")).to_have_attribute("data-readonly", "true")
        expect(grace.get_by_test_id("run-button")).to_be_disabled()
        expect(grace.get_by_test_id("run-blocked")).to_contain_text("ended")
        expect(grace.get_by_test_id("language-select")).to_be_disabled()
        expect(alice.get_by_test_id("ended-banner")).to_be_visible()
        expect(alice.get_by_test_id("editor-ready")).to_have_attribute("data-readonly", "true")
        ended_code = doc_text(grace)
        type_into_editor(grace, "# typed after the end")
        self.assertEqual(stays(lambda: doc_text(grace), ended_code), ended_code)
        self.assertEqual(model_text(grace), ended_code)
        self.assertEqual(doc_text(alice), ended_code)
        expect(grace.get_by_test_id("connection-status")).to_have_text("connected")  # the socket stays
        self.assertEqual(
            grace.evaluate("() => window.__pad.doc.getMap('meta').get('ended_at') !== undefined"), True
        )

        # Reopen restores editing: the candidate types again and Alice sees it.
        alice.get_by_test_id("reopen-interview").click()
        expect(banner).to_have_count(0)
        expect(grace.get_by_test_id("editor-ready")).to_have_attribute("data-readonly", "false")
        expect(grace.get_by_test_id("run-button")).to_be_enabled()
        type_into_editor(grace, "\nprint('after reopen')")
        wait_for_text(alice, "(text) => text.includes(\"print('after reopen')\")")
        self.assertNotIn("typed after the end", doc_text(alice))

        # The note never reached the candidate by any path: not the page, not its script
        # state, not a WebSocket frame, not a response.
        self.assertNotIn("zq7x", grace.content())
        self.assertIsNone(grace.evaluate("() => window.__notes ?? null"))
        # (`?presence=1`: the page asks for the people list as text frames.)
        pad_only = [f"{self.server.ws_url}/ws/yjs/{session_id}?presence=1"]
        self.assertEqual(sockets, pad_only, "the candidate opens the pad only")
        self.assertIn(f"{self.server.ws_url}/ws/yjs/{session_id}/notes", self.websockets)  # Alice's
        self.assertTrue(frames, "the candidate's frames were recorded")
        for frame in frames:
            data = frame if isinstance(frame, bytes) else frame.encode()
            self.assertNotIn(b"zq7x", data)
        checked = 0
        for response in responses:
            try:
                body = response.body()
            except Exception:  # a redirect or a body the browser did not keep: nothing to read
                continue
            checked += 1
            self.assertNotIn(b"zq7x", body, response.url)
            self.assertNotIn(f"/api/sessions/{session_id}/notes", response.url)
        self.assertGreater(checked, 3)

        # Back on the dashboard, the interview lists its candidate.
        alice.goto(self.server.url + "/dashboard")
        row = alice.get_by_test_id("interview-row").filter(has_text="Backend engineer: Grace")
        expect(row.get_by_test_id("candidate-names")).to_contain_text("Grace")
        expect(row.get_by_test_id("interview-status")).to_have_text("live")
        # And signing out leads back to the sign-in page; the dashboard then sends you there.
        alice.get_by_test_id("sign-out").click()
        alice.wait_for_url(re.compile(r"/login$"))
        alice.goto(self.server.url + "/dashboard")
        alice.wait_for_url(re.compile(r"/login$"))

    # b. no account: the secret interviewer link

    def test_without_an_account_the_creator_gets_a_secret_interviewer_link(self):
        creator = self.new_page("Ada", permissions=CLIPBOARD)
        creator.goto(self.server.url + "/")
        creator.get_by_test_id("create-title").fill("Frontend pairing")
        creator.get_by_test_id("create-language").select_option("javascript")
        creator.get_by_test_id("create-submit").click()
        expect(creator.get_by_test_id("created-card")).to_be_visible()
        expect(creator.get_by_test_id("keep-link-note")).to_contain_text("Keep this link")
        secret = creator.get_by_test_id("interviewer-link").input_value()
        match = re.fullmatch(rf"{re.escape(self.server.url)}/session/([A-Za-z0-9_-]+)#key=([A-Za-z0-9_-]+)", secret)
        self.assertIsNotNone(match, secret)
        session_id, key = match.groups()
        candidate_link = creator.get_by_test_id("candidate-link").input_value()
        self.assertEqual(candidate_link, self.session_url(session_id))
        self.assertNotIn(key, candidate_link)
        creator.get_by_test_id("copy-interviewer-link").click()
        self.assertEqual(creator.evaluate("() => navigator.clipboard.readText()"), secret)

        # The creating browser is the interviewer already (the server set its cookie).
        creator.get_by_test_id("open-session").click()
        wait_ready(creator)
        expect(creator.get_by_test_id("role")).to_have_text("interviewer")
        expect(creator.get_by_test_id("language-select")).to_have_value("javascript")

        # A fresh browser opening the secret link becomes the interviewer there.
        lin = self.new_page("Lin")
        lin.goto(secret)
        wait_ready(lin)
        expect(lin.get_by_test_id("role")).to_have_text("interviewer")
        expect(lin.get_by_test_id("notes-panel")).to_be_visible()
        expect(lin.get_by_test_id("end-interview")).to_be_visible()
        expect(lin.get_by_test_id("copy-observer-link")).to_be_visible()
        lin.wait_for_selector(NOTES_READY)
        # The key left the address bar; the role lives in an HttpOnly cookie page scripts cannot read.
        self.assertEqual(lin.url, self.session_url(session_id))
        self.assertEqual(lin.evaluate("() => location.hash"), "")
        self.assertNotIn(f"pad_{session_id}", lin.evaluate("() => document.cookie"))
        role_cookies = [c for c in lin.context.cookies() if c["name"] == f"pad_{session_id}"]
        self.assertEqual(len(role_cookies), 1)
        self.assertTrue(role_cookies[0]["httpOnly"])
        self.assertNotIn(key, role_cookies[0]["value"])
        # Still the interviewer after a reload, without the key.
        lin.reload()
        wait_ready(lin)
        expect(lin.get_by_test_id("role")).to_have_text("interviewer")
        # Both interviewers write the notes together, each seeing the other's cursor there.
        for page in (creator, lin):
            page.wait_for_selector(NOTES_READY)
        lin.click("[data-testid=notes-editor] .view-lines")
        lin.keyboard.type("Lin: asks good questions")
        creator.wait_for_function(
            "() => window.__notes.doc.getText('notes').toString() === 'Lin: asks good questions'", timeout=TIMEOUT_MS
        )
        expect(creator.locator("[data-testid=notes-editor] .remote-cursor-label")).to_have_text("Lin")
        expect(creator.locator("[data-testid=notes-editor] .yRemoteSelectionHead")).to_have_count(1)

        # The plain candidate link, in a third browser, makes a candidate.
        grace = self.new_page("Grace")
        grace.goto(candidate_link)
        wait_ready(grace)
        expect(grace.get_by_test_id("role")).to_have_text("candidate")
        for absent in ("notes-panel", "interviewer-panel", "end-interview", "reopen-interview", "copy-observer-link"):
            expect(grace.get_by_test_id(absent)).to_have_count(0)
        expect(participants(grace, others_only=True)).to_have_count(2)  # Ada and Lin
        for other in ("Ada", "Lin"):
            expect(participants(grace, others_only=True).filter(has_text=other)).to_contain_text("interviewer")

        # A secret link whose key is wrong says so, and the plain session is one click away.
        stranger = self.new_page("Bob")
        stranger.goto(f"{self.session_url(session_id)}#key=not-the-key-at-all")
        expect(stranger.get_by_test_id("bad-key")).to_contain_text("not valid")
        self.assertEqual(stranger.evaluate("() => location.hash"), "")
        stranger.get_by_role("button", name="Open the session without it").click()
        wait_ready(stranger)
        expect(stranger.get_by_test_id("role")).to_have_text("candidate")

    # c. observers

    def test_observer_sees_every_change_live_cannot_change_anything_and_is_not_listed(self):
        session_id = self.create_session(language="javascript", code="let x = 1\n")
        ivy = self.open_as_interviewer(session_id)
        observer_link = ivy.get_by_test_id("copy-observer-link").get_attribute("data-link")
        self.assertRegex(observer_link, rf"^{re.escape(self.session_url(session_id))}#key=[A-Za-z0-9_-]+$")
        self.assertNotIn(self.keys[session_id], observer_link)
        grace = self.open_session(session_id, "Grace")
        expect(participants(grace)).to_have_count(2)

        recruiter = self.new_page()  # no remembered name: an observer is never asked for one
        sent, received_text = [], []

        def on_websocket(ws):
            ws.on("framesent", lambda payload: sent.append(payload))
            ws.on("framereceived", lambda payload: isinstance(payload, str) and received_text.append(payload))
        recruiter.on("websocket", on_websocket)
        recruiter.goto(observer_link)
        wait_ready(recruiter)
        expect(recruiter.get_by_test_id("role")).to_have_text("observer")
        expect(recruiter.get_by_test_id("name-input")).to_have_count(0)
        expect(recruiter.get_by_test_id("observer-banner")).to_be_visible()
        expect(recruiter.get_by_test_id("editor-ready")).to_have_attribute("data-readonly", "true")
        expect(recruiter.get_by_test_id("run-button")).to_be_disabled()
        expect(recruiter.get_by_test_id("run-blocked")).to_contain_text("Observers")
        expect(recruiter.get_by_test_id("language-select")).to_be_disabled()
        for absent in ("notes-panel", "end-interview", "copy-observer-link"):
            expect(recruiter.get_by_test_id(absent)).to_have_count(0)
        self.assertEqual(recruiter.evaluate("() => window.__pad.provider.awareness.getLocalState()"), None)

        # The candidate's and the interviewer's changes show live.
        insert_text(grace, 2, 1, "let y = 2\n")
        wait_for_exact_text(recruiter, "let x = 1\nlet y = 2\n")
        ivy.get_by_test_id("language-select").select_option("typescript")
        expect(recruiter.get_by_test_id("language-select")).to_have_value("typescript")
        run(grace, "console.log('from Grace')", others=[ivy, recruiter])
        expect(recruiter.get_by_test_id("run-entry").first.get_by_test_id("run-stdout")).to_have_text("from Grace")
        # Typing changes nothing, there or anywhere.
        code = doc_text(grace)
        type_into_editor(recruiter, "zzz")
        self.assertEqual(stays(lambda: doc_text(recruiter), code), code)
        self.assertEqual(doc_text(grace), code)
        # Nobody sees the observer: not the candidate, not even the interviewer's people list.
        self.assertEqual(stays(lambda: participants(grace).count(), 2), 2)
        expect(grace.get_by_test_id("participants")).not_to_contain_text("observer")
        expect(participants(ivy)).to_have_count(2)
        expect(participants(recruiter)).to_have_count(2)  # the observer sees both
        # It never sent a presence (not even an echo of the others'), so nothing was refused.
        self.assertTrue(sent)
        self.assertEqual([frame for frame in sent if isinstance(frame, bytes) and frame[:1] == b"\x01"], [])
        # Text frames are the people list the page asked for, and errors: there must be none of the latter.
        self.assertTrue(received_text)
        errors = [frame for frame in received_text if json.loads(frame).get("type") != "presence"]
        self.assertEqual(errors, [], "the server refused something the observer's page sent")
        expect(recruiter.get_by_test_id("server-notice")).to_have_count(0)

    # d. Clear

    def test_candidate_clear_hides_runs_in_its_own_view_interviewer_clear_clears_for_everyone(self):
        session_id = self.create_session(language="javascript")
        ivy = self.open_as_interviewer(session_id)
        grace = self.open_session(session_id, "Grace")
        run(grace, "console.log('one')", others=[ivy])
        run(ivy, "console.log('two')", others=[grace])
        shared_runs = "() => window.__pad.doc.getArray('runs').length"

        clear = grace.get_by_test_id("clear-runs")
        expect(clear).to_have_attribute("data-scope", "self")
        clear.click()
        expect(grace.get_by_test_id("run-entry")).to_have_count(0)
        self.assertEqual(stays(lambda: entry_count(ivy), 2), 2)  # the interviewer still sees both
        self.assertEqual(grace.evaluate(shared_runs), 2)  # nothing was deleted from the session
        self.assertEqual(ivy.evaluate(shared_runs), 2)
        # Hidden ones stay hidden after a reload; new runs show.
        grace.reload()
        wait_ready(grace)
        expect(grace.get_by_test_id("run-entry")).to_have_count(0)
        run(ivy, "console.log('three')", others=[grace])
        expect(grace.get_by_test_id("run-entry")).to_have_count(1)
        expect(grace.get_by_test_id("run-stdout")).to_have_text("three")
        wait_for_entries(ivy, 3)

        clear = ivy.get_by_test_id("clear-runs")
        expect(clear).to_have_attribute("data-scope", "everyone")
        clear.click()
        for page in (ivy, grace):
            expect(page.get_by_test_id("run-entry")).to_have_count(0)
            page.wait_for_function(f"() => ({shared_runs})() === 0", timeout=TIMEOUT_MS)

    # more of what only interviewers may do

    def test_interviewer_turns_running_code_off_and_on_for_candidates(self):
        session_id = self.create_session(language="javascript")
        ivy = self.open_as_interviewer(session_id)
        grace = self.open_session(session_id, "Grace")
        toggle = ivy.get_by_test_id("candidate-may-run")
        expect(toggle).to_be_checked()
        toggle.uncheck()
        expect(grace.get_by_test_id("run-button")).to_be_disabled()
        expect(grace.get_by_test_id("run-blocked")).to_contain_text("turned off running code")
        grace.click("[data-testid=editor-ready] .view-lines")
        grace.keyboard.press("Control+Enter")  # nothing runs
        # The interviewer still runs code, and the candidate sees the output.
        run(ivy, "console.log('interviewer only')", others=[grace])
        self.assertEqual(stays(lambda: entry_count(grace), 1), 1)
        # Editing stays allowed.
        type_into_editor(grace, "\n// still typing")
        wait_for_text(ivy, "(text) => text.includes('// still typing')")
        toggle.check()
        expect(grace.get_by_test_id("run-blocked")).to_have_count(0)
        click_run(grace)
        wait_for_entries(ivy, 2)

    def test_a_candidate_cannot_take_an_interviewers_name(self):
        session_id = self.create_session()
        self.open_as_interviewer(session_id, name="Ivy")
        grace = self.new_page("ivy")  # the same name, another case
        grace.goto(self.session_url(session_id))
        expect(grace.get_by_test_id("name-error")).to_contain_text("interviewer")
        name_input = grace.get_by_test_id("name-input")
        expect(name_input).to_be_visible()
        name_input.fill("Grace")
        grace.get_by_test_id("name-submit").click()
        expect(name_input).to_have_count(0)
        expect(grace.locator("[data-testid=participants] li[data-self=true]")).to_contain_text("Grace (you)")
        expect(participants(grace, others_only=True)).to_contain_text("Ivy")

    def test_interviewer_renames_and_deletes_the_session_and_adds_a_co_interviewer(self):
        self.create_account("carol")
        session_id = self.create_session(title="Old title")
        ivy = self.open_as_interviewer(session_id)
        grace = self.open_session(session_id, "Grace")
        expect(grace.get_by_test_id("rename-session")).to_have_count(0)
        ivy.get_by_test_id("rename-session").click()
        ivy.get_by_test_id("session-title-input").fill("New title")
        ivy.get_by_test_id("session-title-input").press("Enter")
        expect(ivy.locator(".session-name")).to_have_text("New title")
        # A co-interviewer by username: an unknown one is refused with the server's reason.
        add = ivy.get_by_test_id("add-interviewer-input")
        add.fill("nobody-here")
        ivy.get_by_test_id("add-interviewer").click()
        expect(ivy.get_by_test_id("interviewers").get_by_role("alert")).to_contain_text("no active account")
        add.fill("carol")
        ivy.get_by_test_id("add-interviewer").click()
        expect(ivy.get_by_test_id("interviewer-account")).to_contain_text("carol")
        # Carol signs in: the session is on her dashboard and she is its interviewer.
        carol = self.new_page("Carol")
        self.sign_in(carol, "carol")
        row = carol.get_by_test_id("interview-row").filter(has_text="New title")
        expect(row).to_have_count(1)
        row.get_by_test_id("open-interview").click()
        wait_ready(carol)
        expect(carol.get_by_test_id("role")).to_have_text("interviewer")
        # The scorecard is saved with the session.
        ivy.get_by_test_id("scorecard").locator("label").filter(has=ivy.get_by_test_id("rating-3")).click()
        ivy.get_by_test_id("scorecard").locator("label").filter(has=ivy.get_by_test_id("recommend-hire")).click()
        ivy.get_by_test_id("scorecard-comment").fill("Clear thinking.")
        ivy.get_by_test_id("scorecard-save").click()
        expect(ivy.get_by_test_id("scorecard-saved")).to_be_visible()
        carol.reload()
        wait_ready(carol)
        expect(carol.get_by_test_id("rating-3")).to_be_checked()
        expect(carol.get_by_test_id("recommend-hire")).to_be_checked()
        expect(carol.get_by_test_id("scorecard-comment")).to_have_value("Clear thinking.")
        # Delete, after a confirmation: everyone in it is told.
        ivy.get_by_test_id("delete-session").click()
        ivy.get_by_test_id("confirm-ok").click()
        ivy.wait_for_url(self.server.url + "/")
        expect(grace.locator(".banner-danger")).to_contain_text("This session was deleted")
