"""The interview record in real browsers (issue 11): the candidate's activity signals reach the
interviewers live and the record (a real paste from the clipboard, a real loss and return of
the page's focus), the replay shows the code at every logged step exactly as a stock Yjs client
replaying the raw log computes it, with each author's text coloured and attributed, and a
candidate reaches none of it. Each test ends (BrowserTestCase.tearDown) by checking that no
request left this server and no page threw."""
import json
import re
import time

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.support.interviews import write_interview
from tests.support.node import run_script
from tests.support.server import api

from .run_support import click_run, wait_for_entries
from .support import (
    TIMEOUT_MS,
    BrowserTestCase,
    doc_text,
    focus_editor_at_end,
    insert_text,
    set_text,
    wait_for_exact_text,
    wait_for_text,
    wait_ready,
)

CLIPBOARD = ["clipboard-read", "clipboard-write"]
REPLAY_READY = "() => !!(window.__replay && window.__replay.ready)"
MONACO_SHOWN = "() => window.__replay.view() === 'monaco'"
WORD = re.compile(r"\w")


def legend_names(page):
    """The people in the replay's legend, in colour order (`.replay-by-<i>` is the i-th's text)."""
    return page.get_by_test_id("legend-item").evaluate_all("(items) => items.map((item) => item.dataset.person)")


def activity(page, kind):
    return page.locator(f"[data-testid=activity-item][data-kind={kind}]")


class ReplayTests(BrowserTestCase):
    def open_as_interviewer(self, session_id, name="Ivy"):
        page = self.new_page(name)
        page.goto(self.interviewer_url(session_id))
        wait_ready(page)
        expect(page.get_by_test_id("role")).to_have_text("interviewer")
        return page

    def open_replay(self, session_id, page=None, query="", editor=True):
        """The replay page through the interviewer's secret link (a fresh context unless `page`),
        once its code shows (`editor`: once Monaco, loaded after the plain text, shows it)."""
        page = page or self.new_page("Ivy")
        page.goto(f"{self.server.url}/session/{session_id}/replay{query}#key={self.keys[session_id]}")
        page.wait_for_function(REPLAY_READY, timeout=TIMEOUT_MS)
        if editor:
            page.wait_for_function(MONACO_SHOWN, timeout=TIMEOUT_MS)
        return page

    def replay_texts(self, session_id) -> dict:
        """The code after every logged step, replayed from /history by a stock Yjs client in Node."""
        return run_script("replay_texts.mjs", {
            "base": self.server.url, "session": session_id, "key": self.keys[session_id],
        })

    def wait_logged(self, session_id, text) -> dict:
        """The independent replay once the server's log (flushed about once a second) ends in `text`."""
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while True:
            expected = self.replay_texts(session_id)
            if expected["texts"] and expected["texts"][-1] == text:
                return expected
            if time.monotonic() > deadline:
                raise AssertionError(f"the log never reached {text!r}: it ends in {expected['texts'][-1:]!r}")

    def assert_replay_matches(self, page, expected):
        """The replay page shows, at every step, the text (and language) the independent replay computed."""
        self.assertEqual(page.evaluate("() => window.__replay.steps"), expected["steps"])
        mismatches = page.evaluate(
            """([texts, languages]) => {
                const bad = []
                window.__replay.seek(0)
                if (window.__replay.code() !== '') bad.push([0, window.__replay.code()])
                for (let i = 0; i < texts.length; i++) {
                    window.__replay.seek(i + 1)
                    if (window.__replay.step() !== i + 1) bad.push([i + 1, 'step ' + window.__replay.step()])
                    else if (window.__replay.code() !== texts[i]) bad.push([i + 1, window.__replay.code(), texts[i]])
                    else if (languages[i] && window.__replay.language() !== languages[i]) {
                        bad.push([i + 1, window.__replay.language(), languages[i]])
                    }
                    if (bad.length > 5) break
                }
                return bad
            }""",
            [expected["texts"], expected["languages"]],
        )
        self.assertEqual(mismatches, [], "the replay differs from the stock Yjs replay at these steps")

    def assert_hover_names_authors(self, page, editor):
        """Both people's text is coloured, the legend names them, and hovering someone's text
        names them and says when they typed it."""
        names = legend_names(page)
        for name in ("Ada Lovelace", "Grace Hopper"):
            self.assertIn(name, names)
            span = editor.locator(f".replay-by-{names.index(name)}").filter(has_text=WORD).first
            expect(span).to_be_visible()
            hover = page.get_by_test_id("replay-hover")
            hover_until_shown(page, span, hover)
            expect(hover).to_contain_text(name)
            expect(hover).to_contain_text(re.compile(r"typed at .* \(\d+:\d\d into the interview\)"))
            page.mouse.move(0, 0)
            expect(hover).to_have_count(0)

    # a. activity signals

    def test_a_real_paste_and_focus_change_reach_the_interviewer_live_and_the_record(self):
        session_id = self.create_session(title="Activity", language="python")
        key = self.keys[session_id]
        ivy = self.open_as_interviewer(session_id)

        # The candidate, in a browser of their own, allowed to use the clipboard; every frame
        # their page receives is kept.
        context = self.new_context("Ada", permissions=CLIPBOARD)
        ada = context.new_page()
        frames = []
        ada.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(frame)))
        ada.goto(self.session_url(session_id))
        wait_ready(ada)
        expect(ada.get_by_test_id("role")).to_have_text("candidate")
        expect(activity(ivy, "join").filter(has_text="Ada joined")).to_have_count(1)

        # A real paste: text on the system clipboard, Ctrl+V in the editor.
        pasted = "def two_sum(nums, target):\n    return [0, 1]\n"
        focus_editor_at_end(ada)
        ada.evaluate("(text) => navigator.clipboard.writeText(text)", pasted)
        ada.keyboard.press("Control+V")
        wait_for_text(ada, "(text, pasted) => text.includes(pasted)", pasted)
        wait_for_text(ivy, "(text, pasted) => text.includes(pasted)", pasted)
        paste = activity(ivy, "paste")
        expect(paste).to_have_count(1)
        expect(paste).to_contain_text(f"Ada pasted {len(pasted)} characters")
        paste.locator("summary").click()
        expect(paste.locator("pre")).to_have_text(pasted)

        # A real loss of focus: another window of the candidate's browser comes to the front
        # (with Chromium's focus emulation off, as a real window manager would), then theirs.
        cdp = context.new_cdp_session(ada)
        cdp.send("Emulation.setFocusEmulationEnabled", {"enabled": False})
        ada.bring_to_front()
        ada.wait_for_function("() => document.hasFocus()")
        other = context.new_page()
        other.bring_to_front()
        ada.wait_for_function("() => !document.hasFocus()")
        expect(activity(ivy, "blur")).to_contain_text("Ada’s window lost focus")
        ada.wait_for_timeout(1200)
        ada.bring_to_front()
        ada.wait_for_function("() => document.hasFocus()")
        back = activity(ivy, "focus")
        expect(back).to_have_count(1)
        expect(back).to_contain_text(re.compile(r"Ada is back after \d+ s"))
        other.close()

        # A rename reaches the candidate's open page (the title lives in the document too).
        api(self.server, "PATCH", f"/api/sessions/{session_id}/", {"title": "Two sum, live"}, key=key)
        expect(ada.locator(".topbar .session-name")).to_have_text("Two sum, live")

        # The record holds the same facts.
        record = api(self.server, "GET", f"/api/sessions/{session_id}/record", key=key)
        kinds = [event["kind"] for event in record["activity"]]
        self.assertEqual(kinds, ["paste", "blur", "focus"], record["activity"])
        self.assertEqual(record["activity"][0]["data"], {"chars": len(pasted), "text": pasted, "truncated": False})
        self.assertEqual(record["activity"][0]["name"], "Ada")
        self.assertGreaterEqual(record["activity"][2]["data"]["away_ms"], 1000)
        self.assertIn("Ada", [person["name"] for person in record["participants"]])

        # The replay of the (still live) interview marks the paste, with its text, and the focus loss.
        self.wait_logged(session_id, doc_text(ivy))
        replay = self.open_replay(session_id)
        expect(replay.get_by_test_id("replay-live")).to_be_visible()
        replay.locator("[data-testid=replay-mark][data-kind=paste]").click()
        expect(replay.get_by_test_id("pasted-text")).to_have_text(pasted)
        self.assertIn(pasted, replay.evaluate("() => window.__replay.code()"))
        expect(replay.locator("[data-testid=replay-mark][data-kind=blur]")).to_have_attribute(
            "aria-label", re.compile(r"Ada’s window lost focus \(back after \d+ s\)")
        )

        # The candidate's page shows none of it and never received a single event.
        expect(ada.get_by_test_id("activity-panel")).to_have_count(0)
        self.assertTrue(frames, "the candidate's frames were recorded")
        for frame in frames:
            if isinstance(frame, str):
                self.assertNotEqual(json.loads(frame).get("type"), "event", frame)
            else:
                self.assertNotIn(b'"type":"event"', frame)
                self.assertNotIn(b"pasted", frame)

    # b. replay correctness

    def test_the_replay_shows_the_code_of_every_logged_step_of_a_long_interview(self):
        session_id = self.create_session(title="Long interview", language="python")
        written = write_interview(self.server, session_id, updates=600, minutes=5)
        self.assertEqual(written["updates"], 600)
        expected = self.replay_texts(session_id)
        self.assertGreaterEqual(expected["steps"], 600)

        page = self.open_replay(session_id)
        self.assert_replay_matches(page, expected)

        # At the end: both people's text is coloured, the legend names them, and hovering
        # someone's text names them and says when they typed it.
        page.evaluate("(n) => window.__replay.seek(n)", expected["steps"])
        self.assert_hover_names_authors(page, page.locator("[data-testid=replay-editor]"))

        # Marks on the timeline: the language change and the two focus losses (with the time away).
        marks = page.get_by_test_id("replay-mark")
        expect(marks.and_(page.locator("[data-kind=blur]"))).to_have_count(2)
        expect(marks.and_(page.locator("[data-kind=blur]")).first).to_have_attribute(
            "aria-label", re.compile(r"Ada Lovelace’s window lost focus \(back after 20 s\)")
        )
        # (The first language mark is the session's creation, in Python.)
        marks.and_(page.locator("[data-kind=language]")).last.click()
        expect(page.get_by_test_id("mark-details")).to_contain_text("switched the language to JavaScript")
        # (Whether the document's language became JavaScript then depends on the Yjs client ids
        # of this written interview and of the session's creation, which set it concurrently.)
        step = page.evaluate("() => window.__replay.step()")
        self.assertEqual(page.evaluate("() => window.__replay.language()"), expected["languages"][step - 1])
        self.assertEqual(page.evaluate("() => window.__replay.code()"), expected["texts"][step - 1])
        expect(page).to_have_url(re.compile(r"\?t=150$"))  # the language changed half-way: 2:30

        # A deep link to a moment: the code there, the interview time shown.
        deep = self.open_replay(session_id, query="?t=75")
        count = deep.evaluate("() => window.__replay.step()")
        self.assertEqual(deep.evaluate("() => window.__replay.code()"), expected["texts"][count - 1] if count else "")
        self.assertTrue(abs(count - len(expected["texts"]) / 4) < 5, count)
        expect(deep.get_by_test_id("replay-elapsed")).to_contain_text("1:15 / 5:00")

        # Keyboard: step by one edit, scrub with the arrow keys, play at 32x and pause.
        deep.get_by_test_id("replay-next").click()
        self.assertEqual(deep.evaluate("() => window.__replay.step()"), count + 1)
        deep.get_by_test_id("replay-prev").press("Enter")
        self.assertEqual(deep.evaluate("() => window.__replay.step()"), count)
        scrubber = deep.get_by_test_id("replay-scrubber")
        scrubber.focus()
        seconds = int(scrubber.input_value()) // 1000  # the slider moves by whole seconds
        for _ in range(5):
            deep.keyboard.press("ArrowRight")
        expect(deep).to_have_url(re.compile(rf"\?t={seconds + 5}$"))
        deep.get_by_test_id("replay-speed").select_option("32")
        deep.get_by_test_id("replay-play").click()
        deep.wait_for_function("(n) => window.__replay.step() > n + 20", arg=count)
        deep.get_by_test_id("replay-play").click()
        expect(deep.get_by_test_id("replay-play")).to_have_text("Play")
        now = deep.evaluate("() => window.__replay.step()")
        self.assertEqual(deep.evaluate("() => window.__replay.code()"), expected["texts"][now - 1])

        # The ended interview's record is under the replay, with its downloads.
        record = deep.get_by_test_id("record")
        expect(record).to_be_visible()
        labels = {"python": "Python", "javascript": "JavaScript"}
        expect(deep.get_by_test_id("record-language")).to_have_text(labels[expected["languages"][-1]])
        self.assertEqual(deep.get_by_test_id("record-code").text_content(), expected["texts"][-1])
        expect(record.get_by_test_id("record-activity-item")).to_have_count(4)
        with deep.expect_download() as download:
            deep.get_by_test_id("download-record").click()
        self.assertEqual(download.value.suggested_filename, f"interview-{session_id}.json")
        self.assertEqual(json.loads(open(download.value.path()).read())["code"], expected["texts"][-1])
        with deep.expect_download() as download:
            deep.get_by_test_id("download-code").click()
        # Named by the session's language column (the written interview leaves it at Python).
        self.assertRegex(download.value.suggested_filename, r"^solution\.(js|py)$")

    def test_the_replay_is_read_and_scrubbed_as_text_before_monaco_has_loaded(self):
        """Monaco (megabytes to parse and run) loads after the replay shows: until then the code is
        plain text coloured by author, exact at every step, and Monaco takes over where it was."""
        session_id = self.create_session(title="Before the editor")
        write_interview(self.server, session_id, updates=600, minutes=5)
        expected = self.replay_texts(session_id)
        page = self.new_page("Ivy")
        held = []  # Monaco's module, kept waiting until the text view has been tried

        def hold(route):
            held.append(route)
        page.route("**/assets/editor.api-*.js", hold)
        page = self.open_replay(session_id, page=page, query="?t=90", editor=False)
        self.assertEqual(page.evaluate("() => window.__replay.view()"), "text")
        expect(page.locator("[data-testid=replay-editor] .monaco-editor")).to_have_count(0)
        self.assertTrue(held, "Monaco was not requested")
        # The deep link's moment, then every step, each as the stock Yjs replay computes it.
        count = page.evaluate("() => window.__replay.step()")
        self.assertTrue(0 < count < expected["steps"], count)
        expect(page.get_by_test_id("replay-elapsed")).to_contain_text("1:30 / 5:00")
        self.assert_replay_matches(page, expected)
        shown = page.locator("[data-testid=replay-editor] .replay-text-code")
        self.assertEqual(shown.text_content(), expected["texts"][-1])
        lines = expected["texts"][-1].count("\n") + 1
        gutter = page.locator("[data-testid=replay-editor] .replay-text-gutter").text_content()
        self.assertEqual(gutter.split("\n")[-1], str(lines))
        self.assert_hover_names_authors(page, shown)
        # Scrubbing works in the text: the slider (by the keyboard, a second a step) moves the code.
        scrubber = page.get_by_test_id("replay-scrubber")
        scrubber.focus()
        page.keyboard.press("Home")
        for _ in range(60):
            page.keyboard.press("ArrowRight")
        expect(page).to_have_url(re.compile(r"\?t=60$"))
        count = page.evaluate("() => window.__replay.step()")
        self.assertEqual(shown.text_content(), expected["texts"][count - 1] if count else "")

        # Monaco arrives: same step, same code, now in the editor, the text gone.
        for route in held:
            route.continue_()
        page.unroute("**/assets/editor.api-*.js", hold)
        page.wait_for_function(MONACO_SHOWN, timeout=TIMEOUT_MS)
        expect(page.locator("[data-testid=replay-editor] .replay-text")).to_have_count(0)
        expect(page.locator("[data-testid=replay-editor] .monaco-editor")).to_have_count(1)
        self.assertEqual(page.evaluate("() => window.__replay.step()"), count)
        self.assertEqual(page.evaluate("() => window.__replay.code()"), expected["texts"][count - 1] if count else "")
        expect(page).to_have_url(re.compile(r"\?t=60$"))

    def test_two_people_typing_and_running_replay_exactly_with_their_run(self):
        session_id = self.create_session(title="Live", language="javascript")
        ivy = self.open_as_interviewer(session_id)
        ada = self.open_session(session_id, "Ada")
        # Both type at once, each on a line of their own, then the candidate runs the program.
        set_text(ivy, "\n")
        wait_for_exact_text(ada, "\n")
        focus_editor_at_end(ivy)
        focus_editor_at_end(ada)
        ada.keyboard.press("Control+Home")
        ada.keyboard.type("const xs = [3, 1, 2]")
        ivy.keyboard.type("// sort them")
        ada.keyboard.type(" // input")
        try:
            wait_for_text(ivy, "(text) => text.includes('// input') && text.includes('// sort them')")
            wait_for_text(ada, "(text) => text.includes('// input') && text.includes('// sort them')")
        except Exception as error:
            raise AssertionError(f"the two did not converge: Ada {doc_text(ada)!r}, Ivy {doc_text(ivy)!r}") from error
        lines = doc_text(ada).split("\n")
        insert_text(ada, len(lines), len(lines[-1]) + 1, "\nconsole.log('sorted', [3, 1, 2].sort().join(','))\n")
        wait_for_text(ivy, "(text) => text.includes('console.log')")
        code = doc_text(ada)
        click_run(ada)
        wait_for_entries(ada, 1)
        wait_for_entries(ivy, 1)
        focus_editor_at_end(ada)
        ada.keyboard.type("x")  # one more edit after the run
        wait_for_text(ivy, "(text) => text.endsWith('x')")
        expected = self.wait_logged(session_id, doc_text(ivy))
        page = self.open_replay(session_id)
        self.assert_replay_matches(page, expected)
        self.assertEqual(expected["texts"][-1], doc_text(ivy))

        # The run is on the timeline; its mark shows the output as it was, and the code that ran.
        run_mark = page.locator("[data-testid=replay-mark][data-kind=run]")
        expect(run_mark).to_have_count(1)
        run_mark.click()
        details = page.get_by_test_id("mark-details")
        expect(details).to_contain_text("Ada ran JavaScript: ok")
        expect(details.get_by_test_id("run-stdout")).to_have_text("sorted 1,2,3")
        self.assertEqual(page.evaluate("() => window.__replay.code()"), code)
        # Both people's text is coloured; hovering the interviewer's comment names her.
        names = legend_names(page)
        self.assertEqual(sorted(names)[:2], ["Ada", "Ivy"], names)
        ivy_text = page.locator(f"[data-testid=replay-editor] .replay-by-{names.index('Ivy')}")
        comment = ivy_text.filter(has_text="sort").first
        comment.hover()
        expect(page.get_by_test_id("replay-hover")).to_contain_text("Ivy (interviewer), typed at")

    # c. access

    def test_a_candidate_reaches_no_replay_record_or_history_and_an_observer_replays(self):
        session_id = self.create_session(title="Private")
        key = self.keys[session_id]
        ada = self.open_session(session_id, "Ada")
        ada.goto(f"{self.server.url}/session/{session_id}/replay")
        expect(ada.get_by_test_id("replay-forbidden")).to_contain_text("Only the interviewers can see this")
        self.assertIsNone(ada.evaluate("() => window.__replay ?? null"))
        statuses = ada.evaluate(
            """async (id) => {
                const out = {}
                for (const path of ['replay', 'record', 'record?download=1', 'events', 'history']) {
                    out[path] = (await fetch(`/api/sessions/${id}/${path}`)).status
                }
                return out
            }""",
            session_id,
        )
        self.assertEqual(set(statuses.values()), {403}, statuses)

        # The observer link opens the replay (read-only), without the record.
        observer_link = api(self.server, "GET", f"/api/sessions/{session_id}/", key=key)["observer_link"]
        observer_key = observer_link.split("#key=", 1)[1]
        olga = self.new_page()
        olga.goto(f"{self.server.url}/session/{session_id}/replay#key={observer_key}")
        olga.wait_for_function(REPLAY_READY)
        expect(olga.get_by_test_id("role")).to_have_text("observer")
        expect(olga.get_by_test_id("record")).to_have_count(0)
        self.assertNotIn("#key=", olga.url)


def hover_until_shown(page, target, hover, attempts=5):
    """Hover `target` until `hover` shows. A pointer that lands while Monaco lays the editor out
    again (a seek, in an animation frame) shows nothing until it moves: move away, and try again."""
    for _ in range(attempts - 1):
        target.hover()
        try:
            hover.wait_for(state="visible", timeout=3000)
            return
        except PlaywrightTimeout:
            page.mouse.move(0, 0)
    target.hover()
