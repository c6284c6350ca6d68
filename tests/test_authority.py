"""The interviewer's authority (issue 10), enforced by the server on REST, the JSON socket and the Yjs socket.

A candidate (the plain link) and an observer (the read-only key) try everything
only interviewers may do; each attempt gets a clear refusal and the stored and
live documents stay byte-identical.
"""
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from pycrdt import Array, Map, Text
from rest_framework.test import APIClient

from interview_project.asgi import application
from sessions_app import access, record, rules
from sessions_app.models import InterviewSession, SessionNotes
from sessions_app.realtime import protocol, store
from sessions_app.realtime.connection import identify
from sessions_app.realtime.registry import get_registry
from tests.support.sockets import (
    YjsTestClient,
    bearer,
    connect_json,
    content,
    create_session_with_key,
    receive_json_until,
    receive_type,
)
from tests.test_hostile_sockets import eventually, run_entry


@sync_to_async
def stored_bytes(session_id) -> tuple:
    """Everything stored of a session's document: cached state and log."""
    session = InterviewSession.objects.get(pk=session_id)
    log = [entry.data for _, entry in store.log_entries(session_id)]
    return bytes(session.state), session.code, session.language, log


@sync_to_async
def observer_key(session_id) -> str:
    return access.observer_key(InterviewSession.objects.get(pk=session_id))


def headers_for(key) -> list:
    return [(b"authorization", f"Bearer {key}".encode())]


class RulesTableTests(TestCase):
    def test_every_action_has_every_state(self):
        for action, by_state in rules.RULES.items():
            self.assertEqual(set(by_state), {rules.LIVE, rules.NO_RUNS, rules.ENDED}, action)

    def test_ended_is_read_only_for_everyone(self):
        ended = rules.SessionState(ended=True)
        for action in ("edit_code", "set_language", "add_run", "clear_runs"):
            for role in rules.EVERYONE:
                self.assertFalse(rules.allowed(action, role, ended), (action, role))
        self.assertEqual(rules.refusal("edit_code", "interviewer", ended)[0], "ended")

    def test_observers_change_nothing(self):
        for action, by_state in rules.RULES.items():
            if action not in ("read_session", "read_history"):
                self.assertNotIn(access.OBSERVER, by_state[rules.LIVE], action)


class KeyTests(TestCase):
    def test_keys_are_long_random_and_stored_hashed(self):
        session = InterviewSession()
        key = access.issue_interviewer_key(session)
        session.save()
        self.assertGreaterEqual(len(key) * 6, 128)
        stored = InterviewSession.objects.filter(pk=session.pk).values().get()
        self.assertNotIn(key, " ".join(str(value) for value in stored.values()))
        self.assertEqual(access.role_of_key(session, key), access.INTERVIEWER)
        self.assertEqual(access.role_of_key(session, observer := access.observer_key(session)), access.OBSERVER)
        self.assertNotIn(observer, " ".join(str(value) for value in stored.values()))
        wrong = key[:-1] + ("y" if key.endswith("x") else "x")  # (a key ending in "x" made this the key itself)
        self.assertIsNone(access.role_of_key(session, wrong))
        self.assertIsNone(access.role_of_key(InterviewSession.objects.create(), key))

    def test_a_new_key_revokes_the_cookies_of_the_old_one(self):
        session = InterviewSession()
        access.issue_interviewer_key(session)
        session.save()
        cookie = access.role_cookie(session, access.INTERVIEWER)
        self.assertEqual(access.role_from_cookie(session, cookie), access.INTERVIEWER)
        other = InterviewSession.objects.create(interviewer_key_hash=session.interviewer_key_hash)
        self.assertIsNone(access.role_from_cookie(other, cookie))  # bound to its session
        access.issue_interviewer_key(session)
        self.assertIsNone(access.role_from_cookie(session, cookie))
        self.assertIsNone(access.role_from_cookie(session, cookie[:-2] + "xx"))

    def test_a_socket_is_identified_in_one_query_that_leaves_the_document_out(self):
        """Every join asks: the stored state, code and scorecard are not read for it."""
        session = InterviewSession(code="x" * 1000, state=b"y" * 1000)
        key = access.issue_interviewer_key(session)
        session.save()
        scopes = [({"headers": []}, access.CANDIDATE), ({"headers": [(b"authorization", f"Bearer {key}".encode())]},
                                                          access.INTERVIEWER)]
        for scope, role in scopes:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(identify(session.pk, scope).role, role)
            self.assertEqual(len(queries), 1)
            selected = queries[0]["sql"].split(" FROM ")[0]
            self.assertIn("interviewer_key_hash", selected)
            for column in ("state", "code", "scorecard_comment"):
                self.assertNotIn(f'."{column}"', selected)


@override_settings(PAD_OPEN_CREATION=True)
class RestRefusalTests(TestCase):
    """Every interviewer-only REST call, as a candidate and as an observer: 403, nothing changes."""

    def setUp(self):
        self.interviewer = APIClient()
        created = self.interviewer.post("/api/sessions/", {"title": "T", "code": "print(1)\n"}, format="json")
        self.assertEqual(created.status_code, 201)
        self.session_id = created.json()["id"]
        self.key = created.json()["interviewer_link"].split("#key=")[1]
        self.assertNotIn(self.key, created.json()["url"])
        self.observer = APIClient(**bearer(access.observer_key(InterviewSession.objects.get(pk=self.session_id))))

    def calls(self):
        base = f"/api/sessions/{self.session_id}"
        return [
            ("delete", f"{base}/", None),
            ("patch", f"{base}/", {"title": "renamed"}),
            ("patch", f"{base}/", {"candidate_may_run": False}),
            ("put", f"{base}/code", {"code": "pwned"}),
            ("put", f"{base}/language", {"language": "go"}),
            ("post", f"{base}/end", None),
            ("get", f"{base}/notes", None),
            ("put", f"{base}/notes", {"text": "pwned"}),
            ("get", f"{base}/scorecard", None),
            ("put", f"{base}/scorecard", {"rating": 4}),
            ("get", f"{base}/interviewers", None),
            ("post", f"{base}/interviewers", {"username": "mallory"}),
        ]

    def snapshot(self):
        session = InterviewSession.objects.get(pk=self.session_id)
        log = [(seq, entry.data) for seq, entry in store.log_entries(session.pk)]
        return (session.title, session.code, session.language, session.ended_at, session.candidate_may_run,
                bytes(session.state), log, session.rating)

    def test_candidates_and_observers_are_refused_everything_interviewers_do(self):
        before = self.snapshot()
        for who, client in (("candidate", APIClient()), ("observer", self.observer)):
            for method, url, body in self.calls():
                response = getattr(client, method)(url, body, format="json")
                self.assertEqual(response.status_code, 403, (who, method, url, response.content))
                self.assertIn("detail", response.json())
        self.assertEqual(self.snapshot(), before)
        # Reading the session stays open to the link holder, with their role.
        self.assertEqual(APIClient().get(f"/api/sessions/{self.session_id}/").json()["role"], "candidate")
        self.assertEqual(self.observer.get(f"/api/sessions/{self.session_id}/").json()["role"], "observer")
        history = f"/api/sessions/{self.session_id}/history"
        self.assertEqual(APIClient().get(history).status_code, 403)
        self.assertEqual(self.observer.get(history).status_code, 200)

    def test_interviewers_get_more_and_can_do_it_by_cookie_or_key(self):
        body = self.interviewer.get(f"/api/sessions/{self.session_id}/").json()
        self.assertEqual(body["role"], "interviewer")
        self.assertIn("#key=", body["observer_link"])
        candidate_view = APIClient().get(f"/api/sessions/{self.session_id}/").json()
        self.assertNotIn("observer_link", candidate_view)
        script = APIClient(**bearer(self.key))
        response = script.put(f"/api/sessions/{self.session_id}/code", {"code": "x = 2\n"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        response = self.interviewer.patch(f"/api/sessions/{self.session_id}/", {"title": "Mine"}, format="json")
        self.assertEqual(response.json()["title"], "Mine")
        # Open pages see the new title at once: it is in the document, which only the server writes.
        doc = record.document_of(InterviewSession.objects.get(pk=self.session_id))
        self.assertEqual(doc.get("meta", type=Map).get("title"), "Mine")

    def test_the_role_cookie_is_httponly_strict_and_needs_the_csrf_token(self):
        response = APIClient().post(f"/api/sessions/{self.session_id}/claim", {"key": self.key}, format="json")
        cookie = response.cookies[access.cookie_name(self.session_id)]
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Strict")
        self.assertNotIn(self.key, cookie.value)
        browser = APIClient(enforce_csrf_checks=True)
        browser.cookies[access.cookie_name(self.session_id)] = cookie.value
        self.assertEqual(browser.get(f"/api/sessions/{self.session_id}/").json()["role"], "interviewer")
        refused = browser.put(f"/api/sessions/{self.session_id}/code", {"code": "forged"}, format="json")
        self.assertEqual(refused.status_code, 403)
        self.assertIn("CSRF", refused.json()["detail"])
        browser.get("/api/auth/me")  # sets the CSRF cookie, as the page does
        token = browser.cookies["csrftoken"].value
        allowed = browser.put(f"/api/sessions/{self.session_id}/code", {"code": "real"}, format="json",
                              HTTP_X_CSRFTOKEN=token)
        self.assertEqual(allowed.status_code, 200, allowed.content)

    def test_a_wrong_key_claims_nothing(self):
        response = APIClient().post(f"/api/sessions/{self.session_id}/claim", {"key": "guess"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertNotIn(access.cookie_name(self.session_id), response.cookies)

    def test_end_and_reopen(self):
        base = f"/api/sessions/{self.session_id}"
        ended = self.interviewer.post(f"{base}/end")
        self.assertEqual(ended.status_code, 200)
        self.assertIsNotNone(ended.json()["ended_at"])
        refused = self.interviewer.put(f"{base}/code", {"code": "late"}, format="json")
        self.assertEqual(refused.status_code, 409)
        self.assertIn("ended", refused.json()["detail"])
        self.assertEqual(self.interviewer.post(f"{base}/end").status_code, 409)
        self.assertEqual(self.interviewer.post(f"{base}/reopen").status_code, 200)
        self.assertEqual(self.interviewer.put(f"{base}/code", {"code": "again"}, format="json").status_code, 200)

    def test_notes_and_scorecard(self):
        base = f"/api/sessions/{self.session_id}"
        self.assertEqual(self.interviewer.put(f"{base}/notes", {"text": "strong on tests"}, format="json").json(),
                         {"text": "strong on tests"})
        card = {"rating": 3, "recommendation": "hire", "comment": "clear"}
        self.assertEqual(self.interviewer.put(f"{base}/scorecard", card, format="json").json(), card)
        bad = self.interviewer.put(f"{base}/scorecard", {"rating": 5}, format="json")
        self.assertEqual(bad.status_code, 400)
        # Nothing of them reaches a candidate's reads.
        for path in ("/", "/code", "/participants"):
            self.assertNotIn("strong on tests", APIClient().get(base + path).content.decode())


class AccountTests(TestCase):
    def setUp(self):
        self.user = get_user_model().objects.create_user("ada", password="correct horse battery")

    def test_sign_in_create_and_list_own_interviews(self):
        client = APIClient()
        self.assertEqual(client.get("/api/auth/me").json()["authenticated"], False)
        self.assertEqual(client.post("/api/sessions/", {}, format="json").status_code, 403)  # closed creation
        self.assertEqual(client.get("/api/sessions/").status_code, 403)
        wrong = client.post("/api/auth/login", {"username": "ada", "password": "nope"}, format="json")
        self.assertEqual(wrong.status_code, 400)
        signed_in = client.post("/api/auth/login", {"username": "ada", "password": "correct horse battery"},
                                format="json")
        self.assertEqual(signed_in.json()["username"], "ada")
        created = client.post("/api/sessions/", {"title": "Two sum"}, format="json").json()
        self.assertEqual(created["owner"], "ada")
        other = InterviewSession.objects.create(title="someone else's")
        listed = client.get("/api/sessions/").json()
        self.assertEqual([s["title"] for s in listed], ["Two sum"])
        self.assertEqual(listed[0]["status"], "live")
        # An account is interviewer of its own sessions without any key, and of no others.
        self.assertEqual(client.get(f"/api/sessions/{other.pk}/").json()["role"], "candidate")
        client.post("/api/auth/logout")
        self.assertEqual(client.get(f"/api/sessions/{created['id']}/").json()["role"], "interviewer")  # the cookie
        self.assertEqual(APIClient().get(f"/api/sessions/{created['id']}/").json()["role"], "candidate")

    def test_co_interviewers(self):
        owner, colleague = APIClient(), APIClient()
        get_user_model().objects.create_user("grace", password="another horse battery")
        owner.force_login(self.user)
        colleague.force_login(get_user_model().objects.get(username="grace"))
        session_id = owner.post("/api/sessions/", {}, format="json").json()["id"]
        self.assertEqual(colleague.get(f"/api/sessions/{session_id}/").json()["role"], "candidate")
        added = owner.post(f"/api/sessions/{session_id}/interviewers", {"username": "grace"}, format="json")
        self.assertEqual([p["username"] for p in added.json()], ["ada", "grace"])
        self.assertEqual(colleague.get(f"/api/sessions/{session_id}/").json()["role"], "interviewer")
        self.assertEqual([s["id"] for s in colleague.get("/api/sessions/").json()], [session_id])
        unknown = owner.post(f"/api/sessions/{session_id}/interviewers", {"username": "nobody"}, format="json")
        self.assertEqual(unknown.status_code, 400)

    def test_self_sign_up_only_when_allowed(self):
        body = {"username": "newbie", "password": "a long enough password"}
        self.assertEqual(APIClient().post("/api/auth/signup", body, format="json").status_code, 403)
        with self.settings(PAD_SELF_SIGNUP=True):
            response = APIClient().post("/api/auth/signup", body, format="json")
            self.assertEqual(response.status_code, 201, response.content)
            self.assertTrue(response.json()["authenticated"])

    def test_createinterviewer_command(self):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("createinterviewer", "linus", "--no-input", stdout=out)
        password = out.getvalue().rsplit("password: ", 1)[1].strip()
        self.assertTrue(get_user_model().objects.get(username="linus").check_password(password))


class SocketAuthorityTests(TestCase):
    """The same rules on the JSON and Yjs sockets, and the notes document."""

    async def roles(self):
        session_id, key = await create_session_with_key()
        return session_id, key, await observer_key(session_id)

    async def test_json_roles_end_and_reopen(self):
        session_id, key, _ = await self.roles()
        interviewer = WebsocketCommunicator(application, f"/ws/session/{session_id}/", headers=headers_for(key))
        await interviewer.connect()
        self.assertEqual((await receive_type(interviewer, "init"))["role"], "interviewer")
        candidate, init = await connect_json(session_id)
        self.assertEqual(init["role"], "candidate")
        await candidate.send_json_to({"type": "join", "name": "Ada", "role": "interviewer"})
        await candidate.send_json_to({"type": "end"})
        self.assertEqual((await receive_type(candidate, "error"))["code"], "forbidden")
        await candidate.send_json_to({"type": "update", "code": "typed live"})
        await receive_json_until(interviewer, lambda m: m.get("code") == "typed live")
        before = await stored_bytes(session_id)
        await interviewer.send_json_to({"type": "end"})
        ended = await receive_json_until(candidate, lambda m: m.get("type") == "update" and m.get("ended_at"))
        self.assertEqual(ended["code"], "typed live")
        await candidate.send_json_to({"type": "update", "code": "after the end"})
        self.assertEqual((await receive_type(candidate, "error"))["code"], "ended")
        await candidate.send_json_to({"type": "update", "language": "go"})
        self.assertEqual((await receive_type(candidate, "error"))["code"], "ended")
        room = get_registry().rooms[session_id]
        self.assertEqual(room.document.code, "typed live")
        await interviewer.send_json_to({"type": "reopen"})
        await receive_json_until(candidate, lambda m: m.get("type") == "update" and m.get("ended_at") is None)
        await candidate.send_json_to({"type": "update", "code": "typed again"})
        await receive_json_until(interviewer, lambda m: m.get("code") == "typed again")
        for client in (interviewer, candidate):
            await client.disconnect()
        self.assertNotEqual(await stored_bytes(session_id), before)

    async def test_yjs_candidates_cannot_clear_runs_or_set_the_sessions_state(self):
        session_id, key, _ = await self.roles()
        interviewer = await YjsTestClient(session_id, headers=headers_for(key)).connect()
        candidate = await YjsTestClient(session_id).connect()
        await candidate.change(lambda doc: doc.get("runs", type=Array).append(run_entry("mine")))
        await interviewer.pump(until=lambda m: len(interviewer.doc.get("runs", type=Array)) == 1)
        room = get_registry().rooms[session_id]
        await eventually(lambda: room.document.state_vector() == candidate.doc.get_state(), "the run to arrive")
        before = content(room.document.diff())
        for attack in (
            lambda doc: doc.get("runs", type=Array).__delitem__(0),
            lambda doc: doc.get("meta", type=Map).__setitem__("ended_at", "2026-01-01T00:00:00"),
            lambda doc: doc.get("meta", type=Map).__setitem__("candidate_may_run", True),
        ):
            attacker = await YjsTestClient(session_id).connect()
            await attacker.change(attack)
            error = await attacker.next_error()
            self.assertEqual(error["code"], "forbidden", error)
            self.assertEqual(content(room.document.diff()), before)
            await attacker.disconnect()
        # The interviewer may clear them.
        await interviewer.change(lambda doc: doc.get("runs", type=Array).__delitem__(0))
        await candidate.pump(until=lambda m: len(candidate.doc.get("runs", type=Array)) == 0)
        for client in (interviewer, candidate):
            await client.disconnect()

    async def test_observers_see_everything_live_and_change_nothing(self):
        session_id, key, observer_key_ = await self.roles()
        candidate = await YjsTestClient(session_id).connect()
        observer = await YjsTestClient(session_id, headers=headers_for(observer_key_)).connect()
        await candidate.edit(lambda text: text.insert(0, "live code"))
        await observer.wait_for_text("live code")
        await candidate.change(lambda doc: doc.get("runs", type=Array).append(run_entry("42")))
        await observer.pump(until=lambda m: len(observer.doc.get("runs", type=Array)) == 1)
        room = get_registry().rooms[session_id]
        await eventually(lambda: room.document.state_vector() == candidate.doc.get_state(), "the run to arrive")
        before, stored_before = content(room.document.diff()), await stored_bytes(session_id)
        await observer.edit(lambda text: text.insert(0, "x"))
        self.assertEqual((await observer.next_error())["code"], "forbidden")
        entry = protocol.encode_awareness([protocol.AwarenessEntry(9, 1, {"user": {"name": "Shadow"}})])
        await observer.send(protocol.awareness(entry))  # dropped: observers are not shown
        await candidate.pump()
        self.assertNotIn(9, room.awareness._states)
        self.assertEqual(content(room.document.diff()), before)
        self.assertEqual(await stored_bytes(session_id), stored_before)
        # Observers are listed for interviewers only.
        people = [p.role for p in room.participants()]
        self.assertIn("observer", people)
        json_candidate, init = await connect_json(session_id)
        self.assertNotIn("observer", [p["role"] for p in init["participants"]])
        for client in (candidate, observer):
            await client.disconnect()
        await json_candidate.disconnect()

    async def test_candidates_may_run_only_when_allowed(self):
        session_id, key, _ = await self.roles()
        candidate = await YjsTestClient(session_id).connect()
        interviewer, _ = await connect_json(session_id)
        await sync_to_async(APIClient(**bearer(key)).patch)(
            f"/api/sessions/{session_id}/", {"candidate_may_run": False}, format="json"
        )
        await candidate.pump(until=lambda m: candidate.doc.get("meta", type=Map).get("candidate_may_run") is False)
        await candidate.change(lambda doc: doc.get("runs", type=Array).append(run_entry("1")))
        error = await candidate.next_error()
        self.assertEqual(error["code"], "forbidden")
        self.assertIn("running code", error["message"])
        await candidate.disconnect()
        await interviewer.disconnect()

    async def test_a_candidate_cannot_take_an_interviewers_name(self):
        session_id, key, _ = await self.roles()
        interviewer = WebsocketCommunicator(application, f"/ws/session/{session_id}/", headers=headers_for(key))
        await interviewer.connect()
        await receive_type(interviewer, "init")
        await interviewer.send_json_to({"type": "join", "name": "Grace Hopper"})
        await receive_json_until(interviewer, lambda m: m.get("type") == "presence" and m["participants"]
                                 and m["participants"][0]["name"] == "Grace Hopper")
        candidate, _ = await connect_json(session_id)
        await candidate.send_json_to({"type": "join", "name": "grace hopper"})
        self.assertEqual((await receive_type(candidate, "error"))["code"], "name_taken")
        yjs = await YjsTestClient(session_id).connect()
        entry = protocol.encode_awareness([protocol.AwarenessEntry(5, 1, {"user": {"name": "Grace Hopper"}})])
        await yjs.send(protocol.awareness(entry))
        self.assertEqual((await yjs.next_error())["code"], "name_taken")
        for client in (interviewer, candidate):
            await client.disconnect()
        await yjs.disconnect()

    async def test_notes_are_for_interviewers_only(self):
        session_id, key, observer_key_ = await self.roles()
        for headers in ([], headers_for(observer_key_)):
            outsider = WebsocketCommunicator(application, f"/ws/yjs/{session_id}/notes", headers=headers)
            connected, _ = await outsider.connect()
            self.assertTrue(connected)
            frames = []
            while True:
                output = await outsider.receive_output(timeout=2)
                frames.append(output)
                if output["type"] == "websocket.close":
                    break
            self.assertEqual(frames[-1]["code"], 4403)
            self.assertFalse([f for f in frames if f.get("bytes")], "no notes frame may reach them")
        writer = await YjsTestClient(session_id, path=f"/ws/yjs/{session_id}/notes", headers=headers_for(key),
                                     text="notes").connect()
        reader = await YjsTestClient(session_id, path=f"/ws/yjs/{session_id}/notes", headers=headers_for(key),
                                     text="notes").connect()
        await writer.edit(lambda text: text.insert(0, "strong on recursion"))
        await reader.wait_for_text("strong on recursion")
        # Nothing of the notes reaches the pad's document, its log, or what candidates read.
        candidate = await YjsTestClient(session_id).connect()
        self.assertNotIn(b"recursion", candidate.doc.get_update())
        for client in (writer, reader, candidate):
            await client.disconnect()
        notes = await sync_to_async(SessionNotes.objects.get)(session_id=session_id)
        self.assertEqual(notes.text, "strong on recursion")
        stored = await stored_bytes(session_id)
        self.assertNotIn(b"recursion", stored[0] + b"".join(stored[3]))
        for path in ("/", "/code", "/participants"):
            response = await sync_to_async(APIClient().get)(f"/api/sessions/{session_id}{path}")
            self.assertNotIn("recursion", response.content.decode())
        self.assertIsInstance(candidate.doc.get("code", type=Text), Text)
