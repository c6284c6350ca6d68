"""One session's failure to save never stops the others (issue 9, item 4); runs on SQLite and PostgreSQL.

The language attack that poisoned every session's saving on PostgreSQL is
refused where it enters (test_hostile_sockets); here a database trigger makes
one session's row refuse every write, standing in for any failure of one session.
"""
from unittest import mock

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django.test import TestCase, override_settings
from pycrdt import Doc, Text
from rest_framework.test import APIClient

from sessions_app.models import InterviewSession
from sessions_app.realtime import store
from sessions_app.realtime.registry import get_registry
from tests.support.sockets import YjsTestClient, create_session, wait_stored
from tests.test_hostile_sockets import eventually

TABLE = "sessions_app_interviewsession"


def poison(session_id: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION pad_poison() RETURNS trigger AS $$ BEGIN"
                f" IF OLD.id = '{session_id}' THEN RAISE EXCEPTION 'poisoned'; END IF;"
                " RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER pad_poison BEFORE UPDATE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION pad_poison()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER pad_poison BEFORE UPDATE ON {TABLE} WHEN OLD.id = '{session_id}'"
                " BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
            )


def cure() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER pad_poison ON {TABLE}")
            cursor.execute("DROP FUNCTION pad_poison()")
        else:
            cursor.execute("DROP TRIGGER pad_poison")


@override_settings(PAD={**settings.PAD, "FLUSH_INTERVAL": 0.05}, PAD_OPEN_CREATION=True)
class SavingIsolationTests(TestCase):
    async def test_one_failing_session_does_not_stop_the_others(self):
        poisoned, healthy = await create_session(), await create_session()
        await sync_to_async(poison)(poisoned)
        a, b = await YjsTestClient(poisoned).connect(), await YjsTestClient(healthy).connect()
        await a.edit(lambda text: text.insert(0, "kept until it saves"))
        await b.edit(lambda text: text.insert(0, "saved"))
        await wait_stored(healthy, "saved")
        await b.edit(lambda text: text.insert(5, " again"))
        await wait_stored(healthy, "saved again")

        client = APIClient()
        health = await sync_to_async(client.get)("/health")
        self.assertEqual(health.status_code, 503)
        self.assertIn("1 session(s) cannot be saved", health.json()["saving"])
        created = await sync_to_async(client.post)("/api/sessions/", {"code": "new"}, format="json")
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["code"], "new")

        await sync_to_async(cure)()
        await wait_stored(poisoned, "kept until it saves", timeout=10)
        health = await sync_to_async(client.get)("/health")
        self.assertEqual(health.json()["saving"], "ok")
        for client_ in (a, b):
            await client_.disconnect()


def code_of(state: bytes) -> str:
    doc = Doc()
    doc.apply_update(state)
    return str(doc.get("code", type=Text))


@override_settings(PAD={**settings.PAD, "FLUSH_INTERVAL": 0.05}, PAD_OPEN_CREATION=True)
class ClosingCompactionTests(TestCase):
    """A closing room caches its own document as the session's state only when it holds every logged update."""

    async def close_after(self, session_id, text, meanwhile=None):
        client = await YjsTestClient(session_id).connect()
        await client.edit(lambda code: code.insert(0, text))
        await wait_stored(session_id, text)
        if meanwhile is not None:
            await sync_to_async(meanwhile)()
        await client.edit(lambda code: code.insert(len(text), "!"))
        await client.disconnect()
        await eventually(lambda: get_registry().rooms.get(session_id) is None, "the room to unload")
        return await sync_to_async(InterviewSession.objects.get)(pk=session_id)

    async def test_a_room_alone_caches_its_document_without_reading_the_log(self):
        session_id = await create_session()
        with mock.patch.object(store, "compact", wraps=store.compact) as compact:
            session = await self.close_after(session_id, "alone")
        compact.assert_not_called()
        self.assertEqual((session.state_seq, session.last_seq), (2, 2))
        self.assertEqual(code_of(bytes(session.state)), "alone!")

    async def test_an_update_logged_elsewhere_is_read_back_into_the_state(self):
        """Another process logged an update this room never saw: the state is merged from the log."""
        session_id = await create_session()
        elsewhere = Doc()
        elsewhere.get("code", type=Text).insert(0, "elsewhere ")

        def log_elsewhere():
            store.write([store.PendingWrite(session_id, [store.LogEntry(elsewhere.get_update())], "", None)], 1000)

        with mock.patch.object(store, "compact", wraps=store.compact) as compact:
            session = await self.close_after(session_id, "here", log_elsewhere)
        compact.assert_called_once_with(session_id)
        self.assertEqual((session.state_seq, session.last_seq), (3, 3))
        code = code_of(bytes(session.state))  # the state alone: no log row is newer
        self.assertIn("elsewhere ", code)
        self.assertIn("here!", code)

    async def test_rooms_closing_together_are_written_by_one_flush(self):
        sessions = [await create_session() for _ in range(5)]
        clients = [await YjsTestClient(session_id).connect() for session_id in sessions]
        for n, client in enumerate(clients):
            await client.edit(lambda code, n=n: code.insert(0, f"room {n}"))
        update_log = get_registry().update_log
        with mock.patch.object(store, "write", wraps=store.write) as write:
            async with update_log._lock:  # a flush in progress: the rooms close meanwhile
                for client in clients:
                    await client.disconnect()
                await eventually(lambda: len(update_log._compacting) == 5, "the rooms to ask for their flush")
            await eventually(lambda: not any(key in get_registry().rooms for key in sessions), "the rooms to unload")
        self.assertEqual(write.call_count, 1)
        self.assertEqual(len(write.call_args.args[0]), 5)
        for n, session_id in enumerate(sessions):
            session = await sync_to_async(InterviewSession.objects.get)(pk=session_id)
            self.assertEqual(session.state_seq, session.last_seq)
            self.assertEqual(code_of(bytes(session.state)), f"room {n}")
