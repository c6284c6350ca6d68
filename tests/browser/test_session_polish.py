"""The session page as interviewers and candidates expect it (issue 14), in Chromium with two
browser contexts (two people) against a live server: the status before the first connection,
cursor labels that never hide text, leaving the editor with the keyboard and an axe-core
audit, one person in two tabs, a dropped person shown as reconnecting then removed, errors
said once, the phone layout, live output for everyone, a Python Stop that keeps Pyodide,
follow mode, the interview clock, downloading the code and per-person undo.

No sleeps stand in for conditions, and no absolute timings are asserted: where speed is the
point (Stop keeps Python loaded), runs of one test are compared with each other."""
import contextlib
import json
import re
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from playwright.sync_api import expect

from sessions_app.languages import LANGUAGES_BY_ID
from tests.support.server import api

from .run_support import PYTHON_TIMEOUT_MS, click_run, entry_text, newest, run, set_code, wait_for_entries
from .support import (
    ROOT,
    TIMEOUT_MS,
    BrowserTestCase,
    doc_text,
    insert_text,
    wait_for_exact_text,
    wait_for_text,
    wait_ready,
)

AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
PEOPLE = "[data-testid=participants] li[data-client-id]"


def people(page):
    return page.locator(PEOPLE)


def person(page, name):
    return people(page).filter(has_text=name)


def focused(page) -> dict:
    """What has the keyboard focus: its test id, tag, accessible-ish name, and whether it is in the editor."""
    return page.evaluate(
        """() => { const el = document.activeElement; if (!el) return {};
        return { testid: el.getAttribute('data-testid')
                   || el.closest('[data-testid]')?.getAttribute('data-testid') || '',
                 tag: el.tagName.toLowerCase(), label: el.getAttribute('aria-label') || '',
                 inEditor: !!el.closest('.monaco-editor') } }"""
    )


def text_boxes_js() -> str:
    """JS: the boxes of every visible piece of text in the editor (code lines and line numbers)."""
    return """(root) => {
      const boxes = [];
      const lines = [...root.querySelectorAll('.view-lines .view-line'),
                     ...root.querySelectorAll('.margin .line-numbers')];
      for (const line of lines) {
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent.replace(/\\u00a0/g, ' ');
          for (const match of text.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0)
              boxes.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom, text: match[0] });
          }
        }
      }
      return boxes;
    }"""


def wait_until(page, condition, timeout=TIMEOUT_MS / 1000):
    """Wait for a condition on the test's side (e.g. what a route handler saw), letting the
    page's events be dispatched meanwhile."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        page.wait_for_timeout(50)


def overlaps(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


class Relay:
    """A TCP relay in front of the live server whose network can be taken away: cut, nothing
    passes either way and nobody is told (no FIN, no close frame, pings go unanswered), as
    when a laptop leaves the Wi-Fi. (Chromium's offline emulation alone is not that: its
    WebSockets keep answering the server's pings.) Restored, new connections pass again;
    the ones open at the cut stay dead."""

    def __init__(self, port: int):
        self.port_to = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut = False
        self.lock = threading.Lock()
        self.connections = []  # (from the browser, to the server, generation)
        self.generation = 0
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            with self.lock:
                if self.cut:
                    self.connections.append((client, None, -1))  # a SYN into the void
                    continue
                upstream = socket.create_connection(("127.0.0.1", self.port_to))
                self.connections.append((client, upstream, self.generation))
                generation = self.generation
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink, generation), daemon=True).start()

    def _pipe(self, source, sink, generation):
        source.settimeout(0.05)
        while True:
            with self.lock:
                if self.cut or generation != self.generation:
                    return  # the network is gone: what comes now is lost, and nobody is told
            try:
                data = source.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                if self.cut or generation != self.generation:
                    return
            if not data:
                with contextlib.suppress(OSError):
                    sink.shutdown(socket.SHUT_WR)
                return
            try:
                sink.sendall(data)
            except OSError:
                return

    def take_network_away(self):
        with self.lock:
            self.cut = True

    def give_network_back(self):
        with self.lock:
            self.cut = False
            self.generation += 1
            # What was open at the cut is dead (the server gave up on it): as a reset would say.
            dead, self.connections = self.connections, []
        for pair in dead:
            for sock in pair[:2]:
                if sock is not None:
                    sock.close()

    def close(self):
        self.listener.close()
        with self.lock:
            self.cut = True
            for pair in self.connections:
                for sock in pair[:2]:
                    if sock is not None:
                        sock.close()


class SessionPolishTests(BrowserTestCase):
    def two_people(self, interviewer=False, watch_ada=None, **session):
        """Ada (the interviewer when `interviewer`) and Grace (a candidate), each in a context of their own.
        `watch_ada(page)` is called before Ada's page opens the session (to listen to its sockets)."""
        session_id = self.create_session(**session)
        ada = self.new_page("Ada")
        if watch_ada:
            watch_ada(ada)
        ada.goto(self.interviewer_url(session_id) if interviewer else self.session_url(session_id), wait_until="commit")
        grace = self.new_page("Grace")
        grace.goto(self.session_url(session_id), wait_until="commit")
        for page in (ada, grace):
            wait_ready(page)
        for page in (ada, grace):
            expect(people(page)).to_have_count(2)
        return session_id, ada, grace

    # ---- 1. connecting, not reconnecting, before the first connection ---------------------

    def test_status_is_connecting_until_the_first_connection_and_reconnecting_only_after_one_was_lost(self):
        session_id = self.create_session()
        ada = self.open_session(session_id, "Ada")
        # A fresh browser: the name prompt is up, nothing was ever connected.
        newcomer = self.new_page()
        newcomer.goto(self.session_url(session_id))
        expect(newcomer.get_by_test_id("name-input")).to_be_visible()
        expect(newcomer.get_by_test_id("connection-status")).to_have_text("connecting")

        # Grace's socket cannot get through at first: still "connecting" while the provider retries.
        grace = self.new_page("Grace")
        routes = []
        gate = {"open": False, "refused": 0}

        def route(ws):
            if not gate["open"]:
                gate["refused"] += 1
                ws.close()
                return
            ws.connect_to_server()
            routes.append(ws)

        grace.route_web_socket(re.compile(r"/ws/yjs/"), route)
        grace.goto(self.session_url(session_id))
        wait_until(grace, lambda: gate["refused"] >= 2)  # it tried, failed, and is trying again
        expect(grace.get_by_test_id("connection-status")).to_have_text("connecting")
        gate["open"] = True
        expect(grace.get_by_test_id("connection-status")).to_have_text("connected", timeout=30_000)
        wait_ready(grace)
        expect(person(ada, "Grace")).to_have_count(1)
        # Now the connection is lost (and cannot come back yet): that is "reconnecting".
        gate["open"] = False
        for ws in routes:
            ws.close()
        expect(grace.get_by_test_id("connection-status")).to_have_text("reconnecting")
        gate["open"] = True
        expect(grace.get_by_test_id("connection-status")).to_have_text("connected", timeout=30_000)

    # ---- 2. cursor name labels never cover text -------------------------------------------

    def test_cursor_labels_never_cover_text_show_on_activity_and_hover_then_only_the_caret(self):
        long = "x" * 40
        code = "\n".join([
            f"first = '{long}' + '{long}' + '{long}' + '{long}'  # runs past the right edge",
            "short = 2",
            f"    third = compute('{long}', '{long}', '{long}')",
            "",
            "last = 5",
        ]) + "\n"
        session_id, ada, grace = self.two_people(code=code)
        wait_for_exact_text(ada, code)
        label = ada.locator(".remote-cursor-label")

        def grace_moves_to(line, column):
            grace.evaluate(
                "([l, c]) => { const e = window.__pad.editor; e.focus(); e.setPosition({ lineNumber: l, column: c });"
                " e.revealPositionInCenterIfOutsideViewport({ lineNumber: l, column: c }) }",
                [line, column],
            )

        def check_label_covers_no_text():
            box = label.bounding_box()
            rect = {"left": box["x"], "top": box["y"],
                    "right": box["x"] + box["width"], "bottom": box["y"] + box["height"]}
            texts = ada.locator(".monaco-editor").first.evaluate(text_boxes_js())
            self.assertTrue(texts)
            covered = [t["text"] for t in texts if overlaps(rect, t)]
            self.assertEqual(covered, [], f"the label {rect} covers text")

        # Line 1, first column (the old label went above the editor), then the end of a short line,
        # then the middle of a line too long for anything after it.
        for line, column, placement in ((1, 1, "below"), (2, 10, "after"), (3, 30, "above")):
            grace_moves_to(line, column)
            expect(label).to_have_text("Grace")
            expect(label).to_have_attribute("data-placement", placement)
            expect(label).to_be_visible()
            check_label_covers_no_text()
        # Shown for a moment only: then only the coloured caret stays.
        expect(label).to_be_hidden()
        head = ada.locator(".yRemoteSelectionHead")
        expect(head).to_be_visible()
        # Hovering over the caret shows the name again (still covering nothing); leaving hides it.
        box = head.bounding_box()
        ada.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2)
        expect(label).to_be_visible()
        check_label_covers_no_text()
        ada.mouse.move(5, 5)
        expect(label).to_be_hidden()
        # Activity shows it again.
        grace.keyboard.type("!")
        expect(label).to_be_visible()
        check_label_covers_no_text()

    # ---- 3. the keyboard: Ctrl+M, Escape then Tab, every control reachable; axe-core -----

    def focus_editor(self, page):
        page.click(".monaco-editor .view-lines")
        page.wait_for_function("() => window.__pad.editor.hasTextFocus()")

    def test_keyboard_users_leave_the_editor_with_ctrl_m_or_escape_then_tab_and_reach_every_control(self):
        session_id, ada, grace = self.two_people(code="x = 1\n")
        wait_for_exact_text(ada, "x = 1\n")
        hint = ada.get_by_test_id("tab-focus-hint")
        expect(hint).to_have_attribute("data-on", "false")
        expect(hint).to_contain_text("Tab moves focus")
        # In the editor, Tab is for code: it indents (and everyone sees it)...
        self.focus_editor(ada)
        ada.keyboard.press("Control+Home")
        ada.keyboard.press("Tab")
        wait_for_exact_text(grace, "    x = 1\n")
        self.assertTrue(focused(ada)["inEditor"])
        ada.keyboard.press("Control+z")
        wait_for_exact_text(grace, "x = 1\n")
        # ...until Ctrl+M: then Tab moves focus, and the hint says so.
        ada.keyboard.press("Control+m")
        expect(hint).to_have_attribute("data-on", "true")
        expect(hint).to_contain_text("Tab moves focus")
        ada.keyboard.press("Tab")
        self.assertFalse(focused(ada)["inEditor"])
        self.focus_editor(ada)
        ada.keyboard.press("Control+m")
        expect(hint).to_have_attribute("data-on", "false")
        # Escape, then Tab (or Shift+Tab) leaves the editor without typing anything.
        ada.keyboard.press("Escape")
        ada.keyboard.press("Tab")
        after = focused(ada)
        self.assertFalse(after["inEditor"])
        self.focus_editor(ada)
        ada.keyboard.press("Escape")
        ada.keyboard.press("Shift+Tab")
        before = focused(ada)
        self.assertFalse(before["inEditor"])
        self.assertNotEqual(before, after)
        self.assertEqual(doc_text(ada), "x = 1\n")
        self.assertEqual(doc_text(grace), "x = 1\n")

        # From the top of the page, Tab reaches every control (leaving the editor by Escape, Tab).
        ada.evaluate("() => document.activeElement && document.activeElement.blur()")
        reached, labels = [], set()
        for _ in range(80):
            ada.keyboard.press("Tab")
            where = focused(ada)
            if where.get("inEditor"):
                reached.append("editor")
                ada.keyboard.press("Escape")
                continue
            reached.append(where.get("testid") or where.get("tag"))
            labels.add(where.get("label"))
            if len(reached) > 5 and reached[-1] == reached[0]:
                break
        for control in ("language-select", "copy-link", "download-code", "run-button", "stdin-toggle",
                        "output-list", "follow-person", "theme-toggle", "editor"):
            self.assertIn(control, reached)
        self.assertIn("Invite link", labels)
        # Named for screen readers (axe-core checks every name on the page, below).
        for role, name in (("button", "Run"), ("button", "Copy invite link"), ("button", "Follow Grace"),
                           ("combobox", "Language"), ("region", "Program output"), ("list", "People here")):
            expect(ada.get_by_role(role, name=name)).to_have_count(1)
        self.assertEqual(doc_text(ada), "x = 1\n")

    def axe_violations(self, page) -> list:
        """axe-core's serious and critical findings on the page as it is now."""
        page.add_script_tag(path=str(AXE))
        return page.evaluate(
            """async () => {
              const results = await axe.run(document, { resultTypes: ['violations'] });
              return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                               nodes: v.nodes.slice(0, 4)
                                 .map((n) => n.target.join(' ') + ' :: ' + n.failureSummary) }));
            }"""
        )

    def test_axe_finds_no_serious_or_critical_violation_on_the_home_and_session_pages_in_both_themes(self):
        self.assertTrue(AXE.exists(), "frontend/node_modules/axe-core is missing: npm ci in frontend/")
        session_id, ada, grace = self.two_people(interviewer=True, language="javascript")
        run(grace, "console.log('hello')\nconsole.error('oops')", others=[ada])
        home = self.new_page("Lin")
        home.goto(self.server.url + "/")
        expect(home.get_by_test_id("create-submit")).to_be_visible()
        for name, page in (("home", home), ("interviewer's session page", ada), ("candidate's session page", grace)):
            for _ in range(2):
                theme = page.evaluate("() => document.documentElement.dataset.theme")
                findings = self.axe_violations(page)
                self.assertEqual(findings, [], f"{name}, {theme} theme:\n" + json.dumps(findings, indent=1))
                page.get_by_test_id("theme-toggle").click()
                expect(page.locator("html")).not_to_have_attribute("data-theme", theme)

    # ---- 4. one person in two tabs is one entry ------------------------------------------

    def participants(self, session_id) -> list:
        """The server's people list (the REST endpoint; the sockets send the same)."""
        path = f"/api/sessions/{session_id}/participants"
        return api(self.server, "GET", path, key=self.keys[session_id])["participants"]

    def test_one_person_in_two_tabs_is_listed_once_with_a_tabs_hint(self):
        session_id, ada, grace = self.two_people()
        second_tab = grace.context.new_page()
        second_tab.goto(self.session_url(session_id), wait_until="commit")
        wait_ready(second_tab)
        # The server has three connections, two of them from Grace's one browser...
        wait_until(ada, lambda: len([p for p in self.participants(session_id) if p["name"] == "Grace"]) == 2)
        browsers = {p["browser"] for p in self.participants(session_id) if p["name"] == "Grace"}
        self.assertEqual(len(browsers), 1)
        self.assertNotIn("", browsers)
        # ...and everyone (Grace's two tabs too) lists two people: Grace once, "2 tabs".
        for page in (ada, grace, second_tab):
            expect(person(page, "Grace")).to_have_attribute("data-tabs", "2")
            expect(people(page)).to_have_count(2)
            expect(person(page, "Grace").get_by_test_id("participant-tabs")).to_have_text("2 tabs")
            expect(person(page, "Ada").get_by_test_id("participant-tabs")).to_have_count(0)
        # One tab closed: one tab, no hint.
        second_tab.close()
        expect(person(ada, "Grace")).to_have_attribute("data-tabs", "1")
        expect(person(ada, "Grace").get_by_test_id("participant-tabs")).to_have_count(0)
        expect(people(ada)).to_have_count(2)
        # Another browser under the same name is another person.
        other = self.open_session(session_id, "Grace")
        for page in (ada, other):
            expect(person(page, "Grace")).to_have_count(2)
            expect(people(page)).to_have_count(3)

    # ---- 5. a dropped person: "reconnecting" within 5 s, removed after the grace period ---

    def relay(self) -> Relay:
        relay = Relay(self.server.port)
        self.relays.append(relay)
        self.addCleanup(relay.close)
        return relay

    def setUp(self):
        super().setUp()
        self.relays = []

    def assert_only_own_origin(self):
        # A relay is this server, through a cable the test can pull.
        own = f"127.0.0.1:{self.server.port}"
        for relay in self.relays:
            self.requests = [url.replace(f"127.0.0.1:{relay.port}", own) for url in self.requests]
        super().assert_only_own_origin()

    def take_network_away(self, page, relay):
        """The cable is pulled: nothing passes (the server learns it by its pings going
        unanswered), and the browser knows it is offline."""
        relay.take_network_away()
        page.context.set_offline(True)
        return time.monotonic()

    def give_network_back(self, page, relay):
        relay.give_network_back()
        page.context.set_offline(False)

    def grace_listed(self, session_id) -> list:
        return [p["status"] for p in self.participants(session_id) if p["name"] == "Grace"]

    def test_a_dropped_person_shows_as_reconnecting_within_5_s_and_is_removed_after_the_grace_period(self):
        grace_period = settings.PAD["PRESENCE_GRACE"]  # the server's, as the test server reads it
        session_id = self.create_session()
        ada = self.new_page("Ada")
        ada.goto(self.interviewer_url(session_id), wait_until="commit")
        relay = self.relay()
        grace = self.new_page("Grace")
        grace.goto(f"{relay.url}/session/{session_id}", wait_until="commit")
        for page in (ada, grace):
            wait_ready(page)
            expect(people(page)).to_have_count(2)
        grace_id = grace.evaluate("() => window.__pad.doc.clientID")
        expect(person(ada, "Grace")).to_have_attribute("data-status", "online")
        self.assertEqual(self.grace_listed(session_id), ["online"])

        # Grace's network goes: within 5 s the others see her as reconnecting (not gone, not present).
        self.take_network_away(grace, relay)
        expect(person(ada, "Grace")).to_have_attribute("data-status", "reconnecting", timeout=5_000)
        expect(person(ada, "Grace").get_by_test_id("participant-reconnecting")).to_be_visible()
        expect(grace.get_by_test_id("connection-status")).to_have_text("offline")
        # The server says the same (its REST list and the sockets' presence come from one place).
        [listed] = [p for p in self.participants(session_id) if p["name"] == "Grace"]
        self.assertEqual((listed["status"], listed["awareness"]), ("reconnecting", [grace_id]))
        # Back within the grace period: the same one entry, online again.
        self.give_network_back(grace, relay)
        expect(grace.get_by_test_id("connection-status")).to_have_text("connected")
        for page in (ada, grace):
            expect(person(page, "Grace")).to_have_attribute("data-status", "online")
            expect(people(page)).to_have_count(2)
        wait_until(ada, lambda: self.grace_listed(session_id) == ["online"])

        # Gone again, for good: reconnecting within 5 s, then removed after the grace period,
        # from the list, the server's list and everyone's awareness.
        self.take_network_away(grace, relay)
        expect(person(ada, "Grace")).to_have_attribute("data-status", "reconnecting", timeout=5_000)
        seen_reconnecting = time.monotonic()
        self.assertEqual(self.grace_listed(session_id), ["reconnecting"])
        expect(person(ada, "Grace")).to_have_count(0, timeout=(grace_period + 30) * 1000)
        self.assertGreater(time.monotonic() - seen_reconnecting, grace_period / 2, "removed before the grace period")
        self.assertEqual(self.grace_listed(session_id), [])
        self.assertFalse(ada.evaluate("(id) => window.__pad.provider.awareness.getStates().has(id)", grace_id))
        expect(people(ada)).to_have_count(1)

        # Back after it: a newcomer again, online, for everyone.
        self.give_network_back(grace, relay)
        for page in (ada, grace):
            expect(person(page, "Grace")).to_have_attribute("data-status", "online")
            expect(people(page)).to_have_count(2)
        wait_until(ada, lambda: self.grace_listed(session_id) == ["online"])

    # ---- 6. an error is said once ---------------------------------------------------------

    def assert_said_once(self, entry, *phrases):
        text = entry.inner_text()
        for phrase in phrases:
            self.assertEqual(text.count(phrase), 1, f"{phrase!r} is not shown exactly once in:\n{text}")

    def test_python_errors_and_the_input_message_are_printed_once(self):
        session_id, ada, grace = self.two_people(language="python")
        run(ada, "print('before')\ndef f(x):\n    return 1 / x\nf(0)", timeout=PYTHON_TIMEOUT_MS, others=[grace])
        for page in (ada, grace):
            entry = newest(page)
            expect(entry).to_have_attribute("data-status", "error")
            self.assertEqual(entry_text(entry, "stdout"), "before")
            self.assertIn('File "main.py", line 4, in <module>', entry_text(entry, "stderr"))
            self.assert_said_once(entry, "ZeroDivisionError", "division by zero")
            # Once, with its line: in the traceback, where Python put it.
            expect(entry.get_by_test_id("run-message")).to_have_text("ZeroDivisionError: division by zero (line 3)")
        # input() with no input given: the error and the hint about the Input box, once each.
        run(ada, "name = input()\nprint('hello', name)", others=[grace])
        for page in (ada, grace):
            entry = newest(page)
            expect(entry).to_have_attribute("data-status", "error")
            self.assert_said_once(entry, "EOFError", "EOF when reading a line", "read past the end of its input")
        # A syntax error, and JavaScript's uncaught error, likewise.
        run(ada, "print('unclosed'", others=[grace])
        for page in (ada, grace):
            expect(newest(page)).to_have_attribute("data-status", "error")
            self.assert_said_once(newest(page), "SyntaxError")
        ada.get_by_test_id("language-select").select_option("javascript")
        expect(grace.get_by_test_id("language-select")).to_have_value("javascript")
        run(ada, "console.log('before')\nthrow new Error('boom')", others=[grace])
        for page in (ada, grace):
            expect(newest(page)).to_have_attribute("data-status", "error")
            self.assert_said_once(newest(page), "Error: boom")

    # ---- 7. the phone layout --------------------------------------------------------------

    def test_phone_width_keeps_the_title_the_role_a_labelled_run_and_a_named_copy_link_button(self):
        session_id = self.create_session(title="Two Sum", language="javascript")
        ada = self.open_session(session_id, "Ada")
        grace = self.new_page("Grace")
        grace.set_viewport_size({"width": 390, "height": 844})
        self.open_session(session_id, page=grace)
        self.assertEqual(grace.evaluate("() => innerWidth"), 390)
        # Title and role, in view.
        title = grace.locator(".topbar .session-name")
        expect(title).to_have_text("Two Sum")
        expect(title).to_be_in_viewport()
        expect(grace.get_by_test_id("role")).to_have_text("candidate")
        expect(grace.get_by_test_id("role")).to_be_in_viewport()
        # Run says "Run" (in words, not an icon alone); the copy button is named for what it does.
        run_button = grace.get_by_test_id("run-button")
        expect(run_button).to_be_in_viewport()
        expect(run_button).to_have_accessible_name("Run")
        self.assertEqual(run_button.inner_text().strip(), "Run")
        copy = grace.get_by_test_id("copy-link")
        expect(copy).to_be_visible()
        expect(copy).to_have_accessible_name("Copy invite link")
        self.assertNotIn(session_id, copy.evaluate("(el) => el.getAttribute('aria-label') + ' ' + el.innerText"))
        expect(grace.get_by_role("button", name=re.compile(session_id))).to_have_count(0)
        expect(grace.get_by_test_id("download-code")).to_have_accessible_name(re.compile(r"^Download the code as "))
        # Usable: nothing sticks out sideways, the editor has room, and Run runs.
        self.assertLessEqual(grace.evaluate("() => document.documentElement.scrollWidth"), 390)
        box = grace.locator(".monaco-editor").first.bounding_box()
        self.assertGreaterEqual(box["height"], 150)
        self.assertLessEqual(box["x"] + box["width"], 390)
        entry = run(grace, "console.log(6 * 7)", others=[ada])
        self.assertEqual(entry_text(entry, "stdout"), "42")
        # Every control is named for screen readers at this width too.
        findings = self.axe_violations(grace)
        self.assertEqual(findings, [], "phone width:\n" + json.dumps(findings, indent=1))

    # ---- 8. live output for everyone while the run is going --------------------------------

    def test_others_see_the_output_live_while_the_run_is_still_going(self):
        frames = []  # what Ada's pad socket received

        def watch(page):
            def socket(ws):
                if "/ws/yjs/" in ws.url:
                    ws.on("framereceived", lambda payload: frames.append(payload))
            page.on("websocket", socket)
        session_id, ada, grace = self.two_people(interviewer=True, language="python", watch_ada=watch)
        set_code(grace, "\n".join([
            "import time",
            "print('first')",
            "end = time.time() + 1.5",
            "while time.time() < end:",
            "    pass",
            "print('second')",
            "while True:  # until Stop",
            "    pass",
        ]))
        click_run(grace)
        remote = ada.get_by_test_id("remote-run-live")
        expect(remote.get_by_test_id("remote-run-stdout")).to_have_text("first\n", timeout=PYTHON_TIMEOUT_MS)
        expect(remote).to_have_attribute("data-client-id", str(grace.evaluate("() => window.__pad.doc.clientID")))
        expect(remote).to_contain_text("Grace")
        expect(remote.get_by_test_id("remote-run-stdout")).to_have_text("first\nsecond\n")
        # Still going: Grace's run is live, and no finished entry exists anywhere yet.
        expect(grace.get_by_test_id("run-live")).to_have_attribute("data-phase", "running")
        for page in (ada, grace):
            self.assertEqual(page.locator("[data-testid=output-panel] [data-testid=run-entry]").count(), 0)
        grace.get_by_test_id("stop-button").click()
        for page in (ada, grace):
            wait_for_entries(page, 1)
            expect(newest(page)).to_have_attribute("data-status", "stopped")
            self.assertEqual(entry_text(newest(page), "stdout"), "first\nsecond")
        expect(remote).to_have_count(0)

        # A flood of prints (hundreds of lines a second, below the output limit for a while):
        # others get a bounded tail that keeps moving, a few times a second, not a frame per
        # print, and the session stays usable meanwhile.
        set_code(grace, "\n".join([
            "import time",
            "i = 0",
            "while True:",
            "    print('line', i)",
            "    i += 1",
            "    pause = time.time() + 0.003",
            "    while time.time() < pause:",
            "        pass",
        ]))
        click_run(grace)
        tail = remote.get_by_test_id("remote-run-stdout")
        expect(tail).to_contain_text("line")

        def last_number():
            numbers = re.findall(r"line (\d+)", tail.text_content() or "")
            return int(numbers[-1]) if numbers else -1
        first, frames_before = last_number(), len(frames)
        wait_until(ada, lambda: last_number() >= first + 300)
        printed, received = last_number() - first, len(frames) - frames_before
        self.assertLess(received, printed / 4, f"{received} frames for {printed} lines printed")
        expect(remote).to_contain_text("earlier output")
        self.assertLessEqual(len((tail.text_content() or "").encode()), 2048)
        insert_text(ada, 1, 1, "# typed during the flood\n")
        wait_for_text(grace, "(text) => text.startsWith('# typed during the flood')")
        expect(grace.get_by_test_id("run-live")).to_have_attribute("data-phase", "running")
        grace.get_by_test_id("stop-button").click()
        for page in (ada, grace):
            wait_for_entries(page, 2)
            expect(newest(page)).to_have_attribute("data-status", "stopped")
        expect(remote).to_have_count(0)

    # ---- 9. cross-origin isolated: Stop interrupts Python and keeps it loaded ---------------

    def test_pages_are_cross_origin_isolated_and_stop_keeps_python_loaded(self):
        session_id, ada, grace = self.two_people(interviewer=True, language="python")
        for page in (ada, grace):
            self.assertTrue(page.evaluate(
                "() => crossOriginIsolated === true && typeof SharedArrayBuffer === 'function'"))

        def pyodide_loads():
            return sum(url.endswith("/pyodide.asm.wasm") for url in self.requests)

        started = time.monotonic()
        entry = run(grace, "import sys\nsys._pad_probe = 'the same Python'\nprint('loaded')",
                    timeout=PYTHON_TIMEOUT_MS, others=[ada])
        cold = time.monotonic() - started
        self.assertEqual(entry_text(entry, "stdout"), "loaded")
        self.assertEqual(pyodide_loads(), 1)

        set_code(grace, "print('spinning')\nwhile True:\n    pass")
        click_run(grace)
        expect(grace.get_by_test_id("run-live")).to_contain_text("spinning")
        grace.get_by_test_id("stop-button").click()
        for page in (ada, grace):
            wait_for_entries(page, 2)
            expect(newest(page)).to_have_attribute("data-status", "stopped")
            self.assertEqual(entry_text(newest(page), "message"), "Stopped.")  # nothing "restarted"
        expect(grace.get_by_test_id("runtime-loading")).to_have_count(0)

        # The next run is the same Python (what the first run left in `sys` is still there),
        # nothing was fetched again, and it takes a fraction of the first (cold) run.
        started = time.monotonic()
        entry = run(grace, "import sys\nprint(getattr(sys, '_pad_probe', 'a fresh Python'))", others=[ada])
        warm = time.monotonic() - started
        # The console says why a runner was replaced, if one was.
        self.assertEqual(entry_text(entry, "stdout"), "the same Python", self.console)
        self.assertEqual(pyodide_loads(), 1)
        self.assertLess(warm, cold / 2, f"the run after Stop took {warm:.2f} s, the cold one {cold:.2f} s")

        # What else the app serves works under the same headers: the API docs page (which
        # drf-spectacular serves with its own opener policy, for OAuth pop-ups) still renders.
        docs = self.new_page()
        response = docs.goto(self.server.url + "/api/docs/")
        self.assertEqual(response.headers.get("cross-origin-embedder-policy"), "require-corp")
        expect(docs.locator(".swagger-ui .opblock").first).to_be_visible()

    # ---- follow mode ------------------------------------------------------------------------

    def first_line(self, page) -> int:
        return page.evaluate("() => window.__pad.editor.getVisibleRanges()[0].startLineNumber")

    def settled_first_line(self, page) -> int:
        """The first visible line once the editor has stopped scrolling (its scrolls are animated)."""
        seen = []

        def settled():
            seen.append(self.first_line(page))
            return len(seen) >= 4 and len(set(seen[-4:])) == 1
        wait_until(page, settled)
        return seen[-1]

    def jump(self, page, line):
        """Scroll the editor so `line` is at the top and put the caret there (no mouse, no keys)."""
        page.evaluate(
            "(line) => { const e = window.__pad.editor; e.setPosition({ lineNumber: line, column: 1 });"
            " e.setScrollTop(e.getTopForLineNumber(line)) }",
            line,
        )

    def wait_followed(self, follower, followed):
        """The follower's editor shows what the followed person's shows."""
        try:
            wait_until(follower, lambda: abs(self.first_line(follower) - self.first_line(followed)) <= 1)
        except AssertionError:
            raise AssertionError(f"the follower shows line {self.first_line(follower)} at the top,"
                                 f" the followed person line {self.first_line(followed)}") from None

    def wait_state_arrived(self, page, other, field):
        """`page` has `other`'s current awareness `field` (e.g. after they scrolled)."""
        other_id = other.evaluate("() => window.__pad.doc.clientID")
        page.wait_for_function(
            "([id, field, value]) => JSON.stringify(window.__pad.provider.awareness.getStates().get(id)?.[field])"
            " === value",
            arg=[other_id, field, other.evaluate(f"() => JSON.stringify(window.__pad.provider.awareness"
                                                 f".getLocalState().{field})")],
        )

    def wait_published(self, page, field, before):
        page.wait_for_function(
            "([field, before]) => JSON.stringify(window.__pad.provider.awareness.getLocalState()[field]) !== before",
            arg=[field, before],
        )

    def local_state(self, page, field) -> str:
        return page.evaluate(f"() => JSON.stringify(window.__pad.provider.awareness.getLocalState().{field})")

    def test_follow_mode_follows_a_persons_cursor_and_scrolling_until_own_scroll_or_edit(self):
        code = "".join(f"line_{n} = {n}\n" for n in range(1, 301))
        session_id, ada, grace = self.two_people(code=code)
        wait_for_exact_text(ada, code)
        follow = ada.get_by_role("button", name="Follow Grace")
        expect(follow).to_have_attribute("aria-pressed", "false")
        follow.click()
        expect(follow).to_have_attribute("aria-pressed", "true")
        expect(ada.get_by_test_id("follow-banner")).to_contain_text("Following Grace")

        # Grace scrolls down, then back up: Ada's editor goes with her, her caret in view.
        for line in (200, 40, 250):
            before = self.local_state(grace, "viewport")
            self.jump(grace, line)
            self.wait_published(grace, "viewport", before)
            self.wait_followed(ada, grace)
            visible = ada.evaluate("() => window.__pad.editor.getVisibleRanges()[0]")
            self.assertLessEqual(visible["startLineNumber"], line)
            self.assertGreaterEqual(visible["endLineNumber"], line)
        # Her caret alone moving, out of her own view (a jump to a line, say): Ada sees the caret.
        grace.evaluate("() => window.__pad.editor.setPosition({ lineNumber: 20, column: 1 })")
        wait_until(ada, lambda: ada.evaluate(
            "() => { const r = window.__pad.editor.getVisibleRanges()[0];"
            " return r.startLineNumber <= 20 && r.endLineNumber >= 20 }"))

        # Ada scrolls herself: following stops, and Grace's moves no longer move Ada.
        followed_top = self.first_line(ada)
        box = ada.locator(".monaco-editor").first.bounding_box()
        ada.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        ada.mouse.wheel(0, 400)
        expect(follow).to_have_attribute("aria-pressed", "false")
        expect(ada.get_by_test_id("follow-banner")).to_have_count(0)
        wait_until(ada, lambda: self.first_line(ada) > followed_top)
        ada_top = self.settled_first_line(ada)
        before = self.local_state(grace, "viewport")
        self.jump(grace, 150)
        self.wait_published(grace, "viewport", before)
        self.wait_state_arrived(ada, grace, "viewport")
        self.assertEqual(self.first_line(ada), ada_top)

        # Follow again; then Ada types (no mouse, no scrolling): that stops following too.
        follow.click()
        expect(follow).to_have_attribute("aria-pressed", "true")
        self.wait_followed(ada, grace)
        # Her caret in her view, so that typing does not scroll her editor itself (her caret went
        # to the end when the code first arrived, and Monaco would animate a scroll to it).
        ada.evaluate("() => { const e = window.__pad.editor; const line = e.getVisibleRanges()[0].startLineNumber + 1;"
                     " e.setPosition({ lineNumber: line, column: 1 }); e.focus() }")
        ada.keyboard.insert_text("# ")
        wait_for_text(grace, "(text) => text.includes('# ')")
        expect(follow).to_have_attribute("aria-pressed", "false")
        expect(ada.get_by_test_id("follow-banner")).to_have_count(0)
        ada_top = self.settled_first_line(ada)
        before = self.local_state(grace, "viewport")
        self.jump(grace, 280)
        self.wait_published(grace, "viewport", before)
        self.wait_state_arrived(ada, grace, "viewport")
        self.assertEqual(self.first_line(ada), ada_top)
        # The banner's button stops it as well.
        follow.click()
        expect(ada.get_by_test_id("follow-banner")).to_be_visible()
        ada.get_by_test_id("stop-following").click()
        expect(follow).to_have_attribute("aria-pressed", "false")

    # ---- the interview clock ------------------------------------------------------------------

    def test_the_top_bar_shows_the_interview_time_since_the_first_candidate_joined(self):
        session_id = self.create_session()
        ada = self.new_page("Ada")
        ada.goto(self.interviewer_url(session_id))
        wait_ready(ada)
        clock = ada.locator(".topbar").get_by_test_id("elapsed")
        expect(clock).to_have_attribute("data-started", "")
        expect(clock).to_have_text("not started")

        joined_after = datetime.now(UTC)
        grace = self.open_session(session_id, "Grace")
        joined_before = datetime.now(UTC)
        expect(clock).not_to_have_attribute("data-started", "")
        started = datetime.fromisoformat(clock.get_attribute("data-started").replace("Z", "+00:00"))
        self.assertLessEqual(joined_after - timedelta(seconds=1), started)
        self.assertLessEqual(started, joined_before + timedelta(seconds=1))
        # It counts (m:ss), for screen readers too, and the candidate sees it as well.
        expect(clock).to_have_text(re.compile(r"^\d+:\d{2}$"))
        shown = clock.inner_text()
        expect(clock).not_to_have_text(shown)
        expect(ada.get_by_role("timer")).to_have_attribute("aria-label", re.compile(r"^Interview time: "))
        expect(grace.locator(".topbar").get_by_test_id("elapsed")).to_have_text(re.compile(r"^\d+:\d{2}$"))

        # A reload (or another interviewer) counts from the same moment, not from now.
        ada.reload()
        wait_ready(ada)
        expect(clock).not_to_have_attribute("data-started", "")
        again = datetime.fromisoformat(clock.get_attribute("data-started").replace("Z", "+00:00"))
        self.assertLessEqual(abs((again - started).total_seconds()), 2)

    # ---- downloading the code -----------------------------------------------------------------

    def download(self, page):
        with page.expect_download() as info:
            page.get_by_test_id("download-code").click()
        download = info.value
        return download.suggested_filename, Path(download.path()).read_text()

    def test_the_code_downloads_as_a_file_with_the_languages_extension(self):
        code = "def two_sum(nums, target):\n    pass\n"
        session_id, ada, grace = self.two_people(title="Two Sum", language="python", code=code)
        wait_for_exact_text(grace, code)
        self.assertEqual(self.download(grace), ("two-sum.py", code))
        # What is in the editor now (others' edits included), in the language chosen now.
        set_code(ada, "function twoSum(nums, target) {}\n")
        ada.get_by_test_id("language-select").select_option("javascript")
        expect(grace.get_by_test_id("language-select")).to_have_value("javascript")
        wait_for_exact_text(grace, "function twoSum(nums, target) {}\n")
        self.assertEqual(self.download(grace), ("two-sum.js", "function twoSum(nums, target) {}\n"))
        # Every language the server offers gets its own extension.
        for language in LANGUAGES_BY_ID.values():
            ada.get_by_test_id("language-select").select_option(language.id)
            expect(ada.get_by_test_id("download-code")).to_have_attribute(
                "data-file-name", f"two-sum.{language.extension}")
        name, text = self.download(ada)
        self.assertEqual(name, f"two-sum.{language.extension}")

    # ---- per-person undo ------------------------------------------------------------------------

    def type_at(self, page, line, column, text):
        """Type `text` at a place, as one input (one undo step), like a person would."""
        page.evaluate(
            "([l, c]) => { const e = window.__pad.editor; e.focus(); e.setPosition({ lineNumber: l, column: c }) }",
            [line, column],
        )
        page.wait_for_function("() => window.__pad.editor.hasTextFocus()")
        page.keyboard.insert_text(text)

    def test_ctrl_z_undoes_only_your_own_edits(self):
        session_id, ada, grace = self.two_people(code="a = 1\nb = 2\n")
        wait_for_exact_text(ada, "a = 1\nb = 2\n")
        self.type_at(ada, 1, 6, " + 10")
        wait_for_exact_text(grace, "a = 1 + 10\nb = 2\n")
        self.type_at(grace, 2, 6, " + 20")
        for page in (ada, grace):
            wait_for_exact_text(page, "a = 1 + 10\nb = 2 + 20\n")
        # Ada's Ctrl+Z takes back her edit, not Grace's (the later one); Ctrl+Shift+Z redoes it.
        ada.keyboard.press("Control+z")
        for page in (ada, grace):
            wait_for_exact_text(page, "a = 1\nb = 2 + 20\n")
        ada.keyboard.press("Control+Shift+z")
        for page in (ada, grace):
            wait_for_exact_text(page, "a = 1 + 10\nb = 2 + 20\n")
        # Grace's Ctrl+Z takes back hers; once more, and there is nothing of hers left to undo:
        # Ada's edit stays (her next edit, typed after, arrives after anything the undo did).
        grace.keyboard.press("Control+z")
        for page in (ada, grace):
            wait_for_exact_text(page, "a = 1 + 10\nb = 2\n")
        grace.keyboard.press("Control+z")
        self.type_at(grace, 2, 6, "  # done")
        for page in (ada, grace):
            wait_for_exact_text(page, "a = 1 + 10\nb = 2  # done\n")
        # Edits on one line, interleaved: each undoes their own words.
        self.type_at(ada, 1, 11, " + 30")
        wait_for_exact_text(grace, "a = 1 + 10 + 30\nb = 2  # done\n")
        self.type_at(grace, 1, 6, " * 2")
        wait_for_exact_text(ada, "a = 1 * 2 + 10 + 30\nb = 2  # done\n")
        ada.keyboard.press("Control+z")
        for page in (ada, grace):
            wait_for_exact_text(page, "a = 1 * 2 + 10\nb = 2  # done\n")
        wait_until(ada, lambda: self.stored_code(session_id) == "a = 1 * 2 + 10\nb = 2  # done\n")
