"""The interview record (issue 11): authorship in the log, the timeline's events, activity
signals, the replay's data, the export, retention, and who may see any of it."""
import base64
import json
from datetime import UTC, datetime
from io import StringIO

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from pycrdt import Array, Doc, Map, Text
from rest_framework.test import APIClient

from interview_project.asgi import application
from sessions_app.models import InterviewSession, LogBatch, SessionEvent
from sessions_app.realtime import protocol, store
from tests.support.sockets import (
    YjsTestClient,
    bearer,
    connect_json,
    create_session_with_key,
    receive_json_until,
    receive_type,
    until_read,
    wait_stored,
)
from tests.test_hostile_sockets import run_entry

FAST = {**settings.PAD, "FLUSH_INTERVAL": 0.05}


def headers_for(key) -> list:
    return [(b"authorization", f"Bearer {key}".encode())]


@sync_to_async
def events_of(session_id) -> list[tuple]:
    return list(SessionEvent.objects.filter(session_id=session_id).values_list("kind", "name", "role", "data"))


@sync_to_async
def authors_of(session_id) -> list[tuple]:
    return [(entry.author.name, entry.author.role, entry.author.client) for _, entry in store.log_entries(session_id)]


async def named_yjs(session_id, name, client_id, headers=None) -> YjsTestClient:
    client = await YjsTestClient(session_id, headers=headers).connect()
    user = {"user": {"name": name, "color": "#e5484d"}}
    await client.send(protocol.awareness(protocol.encode_awareness([protocol.AwarenessEntry(client_id, 1, user)])))
    return client


@override_settings(PAD=FAST)
class AuthorshipAndEventsTests(TestCase):
    async def test_each_logged_update_knows_who_made_it(self):
        session_id, key = await create_session_with_key()
        ada = await named_yjs(session_id, "Ada", 11)
        grace, _ = await connect_json(session_id, name="Grace")
        await receive_type(grace, "presence")
        await ada.edit(lambda text: text.insert(0, "a = 1\n"))
        await wait_stored(session_id, "a = 1\n")
        # Grace writes over the text she was shown (stored is not yet shown: the JSON send is coalesced).
        shown = await receive_json_until(grace, lambda m: m.get("type") == "update" and m["code"] == "a = 1\n")
        await grace.send_json_to({"type": "update", "code": "a = 1\nb = 2\n", "base": shown["version"]})
        await wait_stored(session_id, "a = 1\nb = 2\n")
        response = await sync_to_async(APIClient(**bearer(key)).put)(
            f"/api/sessions/{session_id}/code", {"code": "a = 1\nb = 2\nc = 3\n"}, format="json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(await authors_of(session_id), [
            ("Ada", "candidate", "yjs"), ("Grace", "candidate", "json"), ("key", "interviewer", "api"),
        ])
        history = await sync_to_async(APIClient(**bearer(key)).get)(f"/api/sessions/{session_id}/history")
        steps = history.json()["results"]
        self.assertEqual([s["author"]["name"] for s in steps], ["Ada", "Grace", "key"])
        self.assertEqual(len({s["author"]["connection"] for s in steps[:2]}), 2)
        await ada.disconnect()
        await grace.disconnect()

    async def test_every_kind_of_event_is_on_the_timeline(self):
        session_id, key = await create_session_with_key()
        interviewer = WebsocketCommunicator(application, f"/ws/session/{session_id}/", headers=headers_for(key))
        await interviewer.connect()
        await receive_type(interviewer, "init")
        await interviewer.send_json_to({"type": "join", "name": "Ivy"})
        candidate = await named_yjs(session_id, "Ada", 21)
        await candidate.change(lambda doc: doc.get("runs", type=Array).append(run_entry("3\n", id="run-9")))
        await candidate.change(lambda doc: doc.get("meta", type=Map).__setitem__("language", "go"))
        for signal in ({"kind": "paste", "text": "def f():\n    pass\n"}, {"kind": "blur"},
                       {"kind": "focus", "away_ms": 12_000}, {"kind": "idle", "idle_ms": 300_000}):
            await candidate.send(protocol.activity(json.dumps(signal).encode()))
        # The interviewer sees them live, as they happen.
        live = []
        while len([e for e in live if e["kind"] in ("run", "language", "paste", "blur", "focus", "idle")]) < 6:
            live.append((await receive_type(interviewer, "event"))["event"])
        paste = next(e for e in live if e["kind"] == "paste")
        self.assertEqual((paste["name"], paste["role"], paste["data"]["chars"]), ("Ada", "candidate", 18))
        await interviewer.send_json_to({"type": "end"})
        await interviewer.send_json_to({"type": "reopen"})
        await receive_json_until(interviewer, lambda m: m.get("type") == "event" and m["event"]["kind"] == "reopen")
        await candidate.disconnect()
        await interviewer.disconnect()
        kinds = [kind for kind, *_ in await events_of(session_id)]
        for kind in ("join", "run", "language", "paste", "blur", "focus", "idle", "end", "reopen", "leave"):
            self.assertIn(kind, kinds)
        run = next(data for kind, _, _, data in await events_of(session_id) if kind == "run")
        self.assertEqual(run["id"], "run-9")

    async def test_candidates_get_no_events_and_bad_signals_are_refused(self):
        session_id, key = await create_session_with_key()
        watcher, _ = await connect_json(session_id, name="Watcher")
        candidate = await named_yjs(session_id, "Ada", 31)
        await candidate.send(protocol.activity(json.dumps({"kind": "paste", "text": "secret paste"}).encode()))
        await candidate.send(protocol.activity(b'{"kind": "teleport"}'))
        self.assertEqual((await candidate.next_error())["code"], "bad_frame")
        observer_frames = []
        while not await watcher.receive_nothing(timeout=0.5):
            observer_frames.append(await watcher.receive_from())
        self.assertFalse([f for f in observer_frames if "secret paste" in f or '"event"' in f])
        await candidate.disconnect()
        await watcher.disconnect()


@override_settings(PAD=FAST)
class RecordAndReplayTests(TestCase):
    async def make_interview(self):
        session_id, key = await create_session_with_key(title="Two sum")
        candidate = await named_yjs(session_id, "Ada", 41)
        typed = []
        for line in ("def two_sum(nums, t):\n", "    seen = {}\n", "    return seen\n"):
            await candidate.edit(lambda text, line=line: text.insert(len(text), line))
            typed.append(str(candidate.text))
        await candidate.change(lambda doc: doc.get("runs", type=Array).append(run_entry("ok\n")))
        await wait_stored(session_id, typed[-1])
        await candidate.disconnect()
        return session_id, key, typed

    async def test_the_replay_steps_rebuild_every_moment_of_the_document(self):
        session_id, key, typed = await self.make_interview()
        replay = (await sync_to_async(APIClient(**bearer(key)).get)(f"/api/sessions/{session_id}/replay")).json()
        self.assertEqual(replay["authors"][0]["name"], "Ada")
        doc, texts = Doc(), []
        for _seq, _at_ms, _author, update in replay["steps"]:
            doc.apply_update(base64.b64decode(update))
            texts.append(str(doc.get("code", type=Text)))
        self.assertEqual(texts[:3], typed)
        self.assertEqual(len(doc.get("runs", type=Array)), 1)
        self.assertTrue(all(a[1] <= b[1] for a, b in zip(replay["steps"], replay["steps"][1:], strict=False)))
        self.assertIn("run", [event["kind"] for event in replay["events"]])

    async def test_the_record_and_its_downloads(self):
        session_id, key, typed = await self.make_interview()
        api = APIClient(**bearer(key))
        await sync_to_async(api.put)(f"/api/sessions/{session_id}/scorecard", {"rating": 3}, format="json")
        await sync_to_async(api.put)(f"/api/sessions/{session_id}/notes", {"text": "solid"}, format="json")
        await sync_to_async(api.post)(f"/api/sessions/{session_id}/end")
        record = (await sync_to_async(api.get)(f"/api/sessions/{session_id}/record")).json()
        self.assertEqual(record["schema"], "interview-pad.record/1")
        self.assertEqual((record["code"], record["language"], record["notes"]), (typed[-1], "python", "solid"))
        self.assertEqual(record["scorecard"]["rating"], 3)
        self.assertEqual([r["stdout"] for r in record["runs"]], ["ok\n"])
        self.assertEqual([(p["name"], p["role"]) for p in record["participants"]], [("Ada", "candidate")])
        self.assertIsNotNone(record["participants"][0]["left_at"])
        self.assertIsNotNone(record["session"]["ended_at"])
        self.assertGreater(record["history"]["updates"], 3)
        download = await sync_to_async(api.get)(f"/api/sessions/{session_id}/record?download=1")
        self.assertIn("attachment", download["Content-Disposition"])
        code_file = await sync_to_async(api.get)(f"/api/sessions/{session_id}/file")
        self.assertIn('filename="solution.py"', code_file["Content-Disposition"])
        self.assertEqual(code_file.content.decode(), typed[-1])

    async def test_candidates_reach_none_of_it(self):
        session_id, key, _ = await self.make_interview()
        candidate = APIClient()
        for path in ("record", "record?download=1", "replay", "events", "history"):
            response = await sync_to_async(candidate.get)(f"/api/sessions/{session_id}/{path}")
            self.assertEqual(response.status_code, 403, path)
        # The code itself is theirs to download.
        self.assertEqual((await sync_to_async(candidate.get)(f"/api/sessions/{session_id}/file")).status_code, 200)


class LogTimeTests(TestCase):
    def test_each_update_is_stored_at_the_microsecond_it_was_received(self):
        """The log keeps times as nanoseconds (per keystroke); each vendor's column gets them exactly."""
        from sessions_app.realtime import store

        session = InterviewSession.objects.create()
        doc, updates = Doc(), []
        doc.observe(lambda event: updates.append(event.update))
        for char in "abc":
            doc.get("code", type=Text).insert(0, char)
        times = [
            datetime(2026, 11, 27, 17, 16, 6, 123456, tzinfo=UTC),
            datetime(2026, 11, 27, 17, 16, 7, 0, tzinfo=UTC),  # (no fraction written by str())
            datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        ]
        entries = [store.LogEntry.at_time(update, at) for update, at in zip(updates, times, strict=True)]
        self.assertEqual([entry.at for entry in entries], times)
        store.write([store.PendingWrite(session.pk, entries, "cba", None)], 1000)
        stored = [entry.at for _, entry in store.log_entries(session.pk)]
        self.assertEqual(stored, times)
        self.assertEqual(LogBatch.objects.get(session=session).created_at, times[0])
        before = timezone.now()
        now = store.LogEntry(b"")
        self.assertLessEqual(abs((now.at - before).total_seconds()), 5)


class CandidateNamesTests(TestCase):
    async def test_the_names_candidates_showed_under_are_kept_once_each(self):
        session_id, key = await create_session_with_key()
        interviewer = WebsocketCommunicator(application, f"/ws/session/{session_id}/", headers=headers_for(key))
        sockets = [interviewer]
        try:
            self.assertTrue((await interviewer.connect())[0])
            await interviewer.send_json_to({"type": "join", "name": "Ines"})  # an interviewer: not listed
            for name in ("Grace", "Ada", "Ada", "Bob"):  # no key: candidates
                sockets.append((await connect_json(session_id, name=name))[0])
            await until_read(lambda: candidate_names(session_id), lambda names: len(names) == 3,
                             "three candidates' names were never stored")
            self.assertEqual(sorted(await candidate_names(session_id)), ["Ada", "Bob", "Grace"])
        finally:
            for communicator in sockets:
                await communicator.disconnect()

    def test_the_list_keeps_its_first_names_up_to_its_cap(self):
        from sessions_app.realtime import store

        session = InterviewSession.objects.create(candidate_names=["Ada"])
        store.add_candidate_names({session.pk: [f"name {n:02d}" for n in range(30)] + ["Ada"]})
        session.refresh_from_db()
        first = [f"name {n:02d}" for n in range(store.MAX_CANDIDATE_NAMES - 1)]
        self.assertEqual(session.candidate_names, ["Ada", *first])
        store.add_candidate_names({"no-such-session": ["Bob"]})  # nothing to add to, and no error


@sync_to_async
def candidate_names(session_id) -> list:
    return InterviewSession.objects.get(pk=session_id).candidate_names


class RetentionTests(TestCase):
    def test_old_histories_are_pruned_and_the_rest_kept(self):
        old, recent, live = (InterviewSession.objects.create(title=t) for t in ("old", "recent", "live"))
        for session in (old, recent, live):
            doc = Doc()
            updates = []
            doc.observe(lambda event, updates=updates: updates.append(event.update))
            doc.get("code", type=Text).insert(0, f"code of {session.title}")
            with doc.transaction():
                doc.get("runs", type=Array).append(run_entry("out"))
            from sessions_app.realtime import store

            store.write([store.PendingWrite(session.pk, [store.LogEntry(u) for u in updates], "", None)], 1000)
            SessionEvent.objects.create(session=session, kind="run", data={"id": "r1"})
        now = timezone.now()
        InterviewSession.objects.filter(pk=old.pk).update(ended_at=now - timezone.timedelta(days=40))
        InterviewSession.objects.filter(pk=recent.pk).update(ended_at=now - timezone.timedelta(days=2))
        out = StringIO()
        call_command("prune_history", "--days", "30", stdout=out)
        self.assertIn("1 session", out.getvalue())
        self.assertEqual(store.log_length(old.pk), 0)
        self.assertEqual(store.log_length(recent.pk), 2)
        self.assertEqual(store.log_length(live.pk), 2)
        old.refresh_from_db()
        self.assertIsNotNone(old.history_pruned_at)
        from sessions_app import record

        kept = record.build(old)
        self.assertEqual(kept["code"], "code of old")
        self.assertEqual(len(kept["runs"]), 1)
        self.assertEqual(kept["history"]["updates"], 0)
        self.assertEqual(len(kept["events"]), 1)
        self.assertEqual(record.replay(old)["steps"], [])
