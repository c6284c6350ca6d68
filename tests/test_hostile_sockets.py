"""Hostile and unlucky socket clients (issue 9): no ghost, no poison, no unbounded structure.

Each test reproduces an attack on a server in this process (Channels'
WebsocketCommunicator) and checks the fixed behaviour: a clear error, the
document unchanged, the participant count back to the truth, and nothing left
behind in the room registry.
"""
import asyncio
import gc
import json
import weakref

from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import TestCase, override_settings
from pycrdt import Array, Doc, Map, Text

from interview_project.asgi import application
from sessions_app.realtime import protocol
from sessions_app.realtime.protocol import AwarenessEntry
from sessions_app.realtime.registry import get_registry
from tests.support.sockets import YjsTestClient, connect_json, content, create_session, receive_type, stored

DEEP = "[" * 100_000 + "]" * 100_000


async def eventually(condition, what, timeout=5.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def live_people(session_id) -> int | None:
    room = get_registry().rooms.get(session_id)
    return None if room is None else len(room.connections)


def run_entry(stdout="", **fields) -> dict:
    return {"id": "r1", "by": {"name": "Ada", "color": "#e5484d"}, "language": "python", "stdout": stdout,
            "stderr": "", "status": "ok", "duration_ms": 12, "at": "2026-11-26T12:00:00Z", **fields}



def live_documents() -> int:
    """pycrdt documents alive now (type(), not isinstance: a dead weak proxy raises on the latter)."""
    return sum(issubclass(type(o), Doc) for o in gc.get_objects())

class GhostTests(TestCase):
    """Item 1: however a connection ends, it leaves its room; the last one out unloads it."""

    async def assertNoGhosts(self, session_id):
        await eventually(lambda: live_people(session_id) is None, "the room to unload")
        registry = get_registry()
        self.assertEqual(registry.admission._sessions[session_id], 0)
        self.assertNotIn(session_id, registry.admission._sessions)

    async def test_ping_then_close_at_once(self):
        session_id = await create_session()
        for _ in range(20):
            client, _ = await connect_json(session_id)
            await client.send_json_to({"type": "ping"})
            await client.disconnect()
        await self.assertNoGhosts(session_id)

    async def test_bad_frames_without_reading(self):
        session_id = await create_session()
        watcher, _ = await connect_json(session_id)
        client, _ = await connect_json(session_id)
        for _ in range(25):
            await client.send_to(text_data="{not json")
        # The abuser is closed with 4400 and leaves the room at once, read or not.
        await eventually(lambda: live_people(session_id) == 1, "the abuser to leave the room")
        await watcher.disconnect()
        await self.assertNoGhosts(session_id)

    async def test_a_list_where_a_language_goes(self):
        session_id = await create_session()
        client, _ = await connect_json(session_id)
        await client.send_json_to({"type": "update", "code": "keep"})
        await client.send_json_to({"type": "update", "language": [1]})
        self.assertEqual((await receive_type(client, "error"))["code"], "invalid")
        await client.send_json_to({"type": "ping"})
        await receive_type(client, "pong")  # still open
        await client.disconnect()
        await self.assertNoGhosts(session_id)
        self.assertEqual((await stored(session_id))[:2], ("keep", "python"))

    async def test_deeply_nested_json_message(self):
        session_id = await create_session()
        client, _ = await connect_json(session_id)
        await client.send_to(text_data=DEEP)
        error = await receive_type(client, "error")
        self.assertEqual(error["code"], "bad_json")
        self.assertIn("nested deeper", error["message"])
        await client.disconnect()
        await self.assertNoGhosts(session_id)

    async def test_deeply_nested_awareness_state(self):
        session_id = await create_session()
        client = await YjsTestClient(session_id).connect()
        deep = ("[" * 2000 + "]" * 2000).encode()  # small, but nested far deeper than a state may be
        entry = protocol.var_uint(1) + protocol.var_uint(5) + protocol.var_uint(1) + protocol.var_bytes(deep)
        await client.send(protocol.awareness(entry))
        self.assertEqual((await client.next_error())["code"], "bad_frame")
        await client.disconnect()
        await self.assertNoGhosts(session_id)

    async def test_a_handler_that_fails_is_an_error_not_a_ghost(self):
        session_id = await create_session()
        client = await YjsTestClient(session_id).connect()
        room = get_registry().rooms[session_id]

        class BrokenPeers:  # (the room's own methods are compiled: its collaborators are what can break)
            def __init__(self, peers):
                self.peers = peers

            def publish_update(self, update):
                raise RuntimeError("a bug")

            def __getattr__(self, name):
                return getattr(self.peers, name)

        room.peers = BrokenPeers(room.peers)
        await client.edit(lambda text: text.insert(0, "x"))
        self.assertEqual((await client.next_error())["code"], "server_error")
        await client.disconnect()
        await self.assertNoGhosts(session_id)

    async def test_a_failed_send_ends_the_connection(self):
        session_id = await create_session()
        watcher, _ = await connect_json(session_id)
        client, _ = await connect_json(session_id)

        async def closed_socket(message):
            raise ConnectionResetError("the peer is gone")

        room = get_registry().rooms[session_id]
        victim = next(c for c in room.connections if c._task is client.future)
        victim.outbox._send = closed_socket
        await watcher.send_json_to({"type": "update", "code": "to everyone"})
        await eventually(lambda: live_people(session_id) == 1, "the broken connection to leave")
        await watcher.disconnect()
        await self.assertNoGhosts(session_id)

    async def test_a_send_failing_as_the_socket_closes_ends_the_connection_quietly(self):
        """The outbox gives up (from another task) just as the socket's close is handled: the
        clean-up finishes and the connection ends without an error (the soak logged these)."""
        session_id = await create_session()
        watcher, _ = await connect_json(session_id)
        client, _ = await connect_json(session_id)
        room = get_registry().rooms[session_id]
        victim = next(c for c in room.connections if c._task is client.future)
        disconnected = victim.websocket_disconnect

        async def disconnect_as_the_outbox_gives_up(message):
            victim._broken(1011, "the outbox gave up")  # (its sender task, in life): the cancel lands at the clean-up
            await disconnected(message)

        victim.websocket_disconnect = disconnect_as_the_outbox_gives_up
        await client.disconnect()
        self.assertTrue(client.future.done())
        self.assertFalse(client.future.cancelled())
        self.assertIsNone(client.future.exception())
        await eventually(lambda: live_people(session_id) == 1, "the closed connection to leave")
        await watcher.disconnect()
        await self.assertNoGhosts(session_id)

    async def test_an_unloaded_room_frees_its_documents(self):
        """pycrdt observers hold their document from Rust: a room must drop them when it unloads."""
        session_id = await create_session()
        client = await YjsTestClient(session_id).connect()
        await client.edit(lambda text: text.insert(0, "x" * 1000))
        room = get_registry().rooms[session_id]
        document = weakref.ref(room.document.doc)  # the one the gate observes
        del room
        await client.disconnect()
        await eventually(lambda: live_people(session_id) is None, "the room to unload")
        gc.collect()
        self.assertIsNone(document())

    async def test_unknown_ids_leave_nothing_behind(self):
        """Item 11: connections to unknown ids are closed with 4404 and leave no lock, room, count or document."""
        registry = get_registry()
        gc.collect()
        documents_before = live_documents()
        for n in range(300):
            communicator = WebsocketCommunicator(application, f"/ws/yjs/unknown-{n}")
            connected, _ = await communicator.connect()
            self.assertTrue(connected)
            output = await communicator.receive_output(timeout=2)
            self.assertEqual(output.get("code"), 4404)
        self.assertEqual(registry.rooms, {})
        self.assertEqual(len(registry.admission._addresses) + len(registry.admission._sessions), 0)
        self.assertFalse(hasattr(registry, "_locks"))
        gc.collect()  # a room that failed to load kept its observed document alive (21 KB each)
        self.assertLess(live_documents() - documents_before, 10)


class DocumentBudgetTests(TestCase):
    """Items 2 and 3: one budget for code, runs and meta, on every path; values validated."""

    async def connect_pair(self, code=""):
        session_id = await create_session()
        a = await YjsTestClient(session_id).connect()
        b = await YjsTestClient(session_id).connect()
        if code:
            await a.edit(lambda text: text.insert(0, code))
            await b.wait_for_text(code)
        return session_id, a, b

    async def assertRefused(self, client, change, code):
        """`change(doc)` sent by `client` gets `code` and leaves the live document as it was."""
        room = get_registry().rooms[client.session_id]
        await eventually(lambda: room.document.state_vector() == client.doc.get_state(), "the server to catch up")
        before = room.document.diff()
        await client.change(change)
        error = await client.next_error()
        self.assertEqual(error["code"], code, error)
        self.assertEqual(content(room.document.diff()), content(before))
        # The client's copy now holds what was refused: start it afresh for the next case.
        client.doc = Doc()
        client.doc.apply_update(before)
        client.text = client.doc.get("code", type=Text)
        return error

    async def test_runs_and_meta_are_bounded_and_validated(self):
        session_id, a, b = await self.connect_pair("intact")
        big = "x" * 900_000
        await self.assertRefused(a, lambda doc: doc.get("runs", type=Array).append(run_entry(big)), "invalid")
        await self.assertRefused(a, lambda doc: doc.get("meta", type=Map).__setitem__("notes", big), "invalid")
        await self.assertRefused(a, lambda doc: doc.get("meta", type=Map).__setitem__("language", "x" * 21), "invalid")
        await self.assertRefused(a, lambda doc: doc.get("meta", type=Map).__setitem__("language", 7), "invalid")
        await self.assertRefused(a, lambda doc: doc.get("runs", type=Array).append({"id": "r"}), "invalid")
        await self.assertRefused(a, lambda doc: doc.get("runs", type=Array).append(run_entry(evil=1)), "invalid")
        await self.assertRefused(a, lambda doc: doc.get("other", type=Text).insert(0, big), "invalid")
        await self.assertRefused(a, lambda doc: doc.get("code", type=Text).insert(0, "a\x00b"), "invalid")
        # Runs within the limits are fine, and count against the runs' cap.
        await a.change(lambda doc: doc.get("runs", type=Array).append(run_entry("4\n")))
        await a.change(lambda doc: doc.get("meta", type=Map).__setitem__("language", "go"))
        await b.pump(until=lambda m: b.doc.get("meta", type=Map).get("language") == "go")
        self.assertEqual(b.doc.get("runs", type=Array).to_py()[0]["stdout"], "4\n")
        for client in (a, b):
            await client.disconnect()
        self.assertEqual((await stored(session_id))[:2], ("intact", "go"))

    @override_settings(PAD={**settings.PAD, "MAX_RUNS": 3})
    async def test_the_server_keeps_the_newest_runs(self):
        session_id, a, b = await self.connect_pair()
        runs = a.doc.get("runs", type=Array)
        for n in range(5):
            await a.change(lambda doc, n=n: runs.append(run_entry(str(n), id=f"r{n}")))
        ids = lambda client: [r["id"] for r in client.doc.get("runs", type=Array).to_py()]  # noqa: E731
        await b.pump(until=lambda m: ids(b) == ["r2", "r3", "r4"])
        await a.pump(until=lambda m: ids(a) == ["r2", "r3", "r4"])
        # Clients only append: removing runs (a candidate's "Clear") is the interviewer's.
        error = await self.assertRefused(a, lambda doc: doc.get("runs", type=Array).__delitem__(0), "forbidden")
        self.assertIn("clear runs", error["message"])
        for client in (a, b):
            await client.disconnect()

    @override_settings(PAD={**settings.PAD, "MAX_DOCUMENT_BYTES": 640_000})
    async def test_the_whole_document_has_one_budget(self):
        session_id, a, b = await self.connect_pair("x" * 400_000)
        runs = a.doc.get("runs", type=Array)
        for n in range(3):
            await a.change(lambda doc, n=n: runs.append(run_entry("o" * 65_536, id=f"r{n}")))
        # A fourth run of 64 KiB fits the runs' own cap, but not the document's.
        fourth = run_entry("o" * 65_536, id="r3")
        error = await self.assertRefused(a, lambda doc: doc.get("runs", type=Array).append(fourth), "too_large")
        self.assertIn("document", error["message"])
        # A new client still receives the whole document in one sync.
        fresh = await YjsTestClient(session_id).connect()
        self.assertEqual(len(fresh.doc.get("runs", type=Array)), 3)
        for client in (a, b, fresh):
            await client.disconnect()

    async def test_json_and_rest_writes_meet_the_same_limits(self):
        session_id = await create_session()
        client, _ = await connect_json(session_id)
        await client.send_json_to({"type": "update", "code": "z" * (settings.PAD["MAX_CODE_BYTES"] + 1)})
        self.assertEqual((await receive_type(client, "error"))["code"], "too_large")
        await client.send_json_to({"type": "update", "code": "nul\x00"})
        self.assertEqual((await receive_type(client, "error"))["code"], "invalid")
        await client.disconnect()
        self.assertEqual((await stored(session_id))[0], "")

    async def test_updates_that_depend_on_nothing_known_do_not_accumulate(self):
        """Deletions of unknown items would stay pending in a document forever: it is rebuilt without them."""
        session_id, a, b = await self.connect_pair("intact")
        room = get_registry().rooms[session_id]
        document = room.document
        ranges = b"".join(protocol.var_uint(n * 3) + protocol.var_uint(1) for n in range(50_000))
        for client_id in range(30):
            garbage = protocol.var_uint(0) + protocol.var_uint(1) + protocol.var_uint(10_000 + client_id)
            await a.send(protocol.sync_update(garbage + protocol.var_uint(50_000) + ranges))
        await a.edit(lambda text: text.insert(6, "!"))
        await b.wait_for_text("intact!")
        # Never logged or sent on, they were counted, and the document was rebuilt without them along the way.
        self.assertIsNot(room.document, document)
        self.assertLess(room.gate._unintegrated, 1024 * 1024)
        self.assertEqual(room.document.code, "intact!")
        for client in (a, b):
            await client.disconnect()


class AwarenessOwnershipTests(TestCase):
    """Item 5: an awareness entry belongs to the connection that set it; states are small strict JSON."""

    def entry(self, client_id, clock, state):
        return protocol.awareness(protocol.encode_awareness([AwarenessEntry(client_id, clock, state)]))

    async def states_seen_by(self, client):
        client.communicator_states = getattr(client, "communicator_states", {})
        while not await client.communicator.receive_nothing(timeout=0.3):
            frame = await client.communicator.receive_output()
            if frame.get("bytes") is not None:
                message = protocol.decode(frame["bytes"])
                if message.type is protocol.MessageType.AWARENESS:
                    for entry in protocol.decode_awareness(message.payload):
                        client.communicator_states[entry.client_id] = entry.state
        return client.communicator_states

    async def test_entries_cannot_be_taken_over_or_removed_by_others(self):
        session_id = await create_session()
        owner, attacker, watcher = [await YjsTestClient(session_id).connect() for _ in range(3)]
        ada = {"user": {"name": "Ada", "color": "#e5484d"}}
        await owner.send(self.entry(77, 1, ada))
        self.assertEqual((await self.states_seen_by(watcher))[77]["user"]["name"], "Ada")
        await attacker.send(self.entry(77, 2, {"user": {"name": "Mallory", "color": "#000000"}}))
        await attacker.send(self.entry(77, 1, None))
        await attacker.send(self.entry(77, 3, None))
        seen = await self.states_seen_by(watcher)
        self.assertEqual(seen[77]["user"]["name"], "Ada")
        room = get_registry().rooms[session_id]
        self.assertEqual([p.name for p in room.local_participants() if p.name != "Anonymous"], ["Ada"])
        # The owner itself may update and remove it.
        await owner.send(self.entry(77, 2, None))
        self.assertIsNone((await self.states_seen_by(watcher))[77])
        for client in (owner, attacker, watcher):
            await client.disconnect()

    async def test_one_connection_holds_a_few_small_states(self):
        session_id = await create_session()
        client = await YjsTestClient(session_id).connect()
        many = protocol.encode_awareness([AwarenessEntry(n, 1, {"n": n}) for n in range(100_000)])
        await client.send(protocol.awareness(many))
        self.assertEqual((await client.next_error())["code"], "bad_frame")
        for n in range(4):
            await client.send(self.entry(1000 + n, 1, {"n": n}))
        await client.send(self.entry(2000, 1, {"n": 5}))
        self.assertEqual((await client.next_error())["code"], "too_many")
        await client.send(self.entry(3000, 1, {"big": "x" * 5000}))
        self.assertEqual((await client.next_error())["code"], "bad_frame")
        room = get_registry().rooms[session_id]
        self.assertEqual(len(room.awareness._states), 4)
        await client.disconnect()

    async def test_not_a_number_is_refused_and_never_relayed(self):
        session_id = await create_session()
        client, watcher = await YjsTestClient(session_id).connect(), await YjsTestClient(session_id).connect()
        nan = b'{"user":{"name":"N","color":"#111111"},"cursor":NaN}'
        raw = protocol.var_uint(1) + protocol.var_uint(9) + protocol.var_uint(1) + protocol.var_bytes(nan)
        await client.send(protocol.awareness(raw))
        self.assertEqual((await client.next_error())["code"], "bad_frame")
        self.assertNotIn(9, await self.states_seen_by(watcher))
        for c in (client, watcher):
            await c.disconnect()

    async def test_names_and_colours_are_validated_and_the_role_is_the_servers(self):
        session_id = await create_session()
        client, watcher = await YjsTestClient(session_id).connect(), await YjsTestClient(session_id).connect()
        await client.send(self.entry(5, 1, {"user": {"name": "Ada\u202eevil", "color": "#e5484d"}}))
        self.assertEqual((await client.next_error())["code"], "invalid")
        await client.send(self.entry(5, 1, {"user": {"name": "Ada", "color": "red;background:url(x)"}}))
        self.assertEqual((await client.next_error())["code"], "invalid")
        claimed = {"name": "  Ada   L. ", "color": "#E5484D", "role": "interviewer"}
        await client.send(self.entry(5, 1, {"user": claimed}))
        shown = (await self.states_seen_by(watcher))[5]["user"]
        self.assertEqual(shown, {"name": "Ada L.", "color": "#e5484d", "role": "candidate"})
        for c in (client, watcher):
            await c.disconnect()

    async def test_the_json_join_is_validated_too(self):
        session_id = await create_session()
        client, _ = await connect_json(session_id)
        bad_joins = (
            {"name": "x" * 61}, {"name": "\u0000"}, {"name": "Ada", "color": "javascript:1"}, {"name": ["Ada"]},
        )
        for join in bad_joins:
            await client.send_json_to({"type": "join", **join})
            self.assertEqual((await receive_type(client, "error"))["code"], "invalid", join)
        await client.send_json_to({"type": "join", "name": "Ada", "role": "interviewer"})
        presence = await receive_type(client, "presence")
        self.assertEqual([(p["name"], p["role"]) for p in presence["participants"]], [("Ada", "candidate")])
        await client.disconnect()


class PresenceStormTests(TestCase):
    """Item 6: a crowd is capped, and its coming and going costs a bounded number of messages."""

    @override_settings(PAD={**settings.PAD, "MAX_CONNECTIONS_PER_SESSION": 40, "PRESENCE_INTERVAL": 0.1})
    async def test_a_crowd_is_capped_and_presence_is_coalesced(self):
        session_id = await create_session()
        first, _ = await connect_json(session_id)
        loop = asyncio.get_running_loop()
        started = loop.time()
        crowd, refused = [], 0
        for _ in range(60):
            communicator = WebsocketCommunicator(application, f"/ws/session/{session_id}/")
            await communicator.connect()
            message = json.loads(await communicator.receive_from())
            if message["type"] == "init":
                crowd.append(communicator)
            else:
                self.assertEqual(message["code"], "too_many_connections")
                self.assertEqual((await communicator.receive_output())["code"], 4429)
                refused += 1
        self.assertEqual((len(crowd), refused), (39, 21))
        await receive_type(first, "presence")  # the last of the crowd's joins
        await asyncio.sleep(0.3)
        presence_messages = 0
        while not await first.receive_nothing(timeout=0.05):
            if json.loads(await first.receive_from())["type"] == "presence":
                presence_messages += 1
        for communicator in crowd:
            await communicator.disconnect()
        while not await first.receive_nothing(timeout=0.3):
            if json.loads(await first.receive_from())["type"] == "presence":
                presence_messages += 1
        elapsed = loop.time() - started
        # At most one list per interval while 39 came and went (uncoalesced: 78).
        self.assertLessEqual(presence_messages + 1, elapsed / 0.1 + 2)
        self.assertLess(presence_messages + 1, 78)
        await first.disconnect()
        await eventually(lambda: live_people(session_id) is None, "the room to unload")

    @override_settings(PAD={**settings.PAD, "MAX_CONNECTIONS_PER_ADDRESS": 5})
    async def test_connections_per_address_are_capped(self):
        session_ids = [await create_session() for _ in range(3)]
        open_ = []
        for n in range(7):
            communicator = WebsocketCommunicator(application, f"/ws/yjs/{session_ids[n % 3]}")
            await communicator.connect()
            open_.append(communicator)
        closes = []
        for communicator in open_:
            while True:
                output = await communicator.receive_output(timeout=2)
                if output["type"] == "websocket.close" or output.get("bytes"):
                    closes.append(output.get("code") if output["type"] == "websocket.close" else None)
                    break
        self.assertEqual(closes.count(4429), 2)
        for communicator in open_:
            await communicator.disconnect()
