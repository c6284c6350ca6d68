"""Rooms of one session in two "processes": two registries sharing one channel layer.

The same PeerLink code runs over Redis between real processes (see the
scale-out tests); here both sides share an in-memory layer in one event loop.
"""
import asyncio

from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer
from django.conf import settings
from django.test import TestCase, override_settings

from sessions_app.realtime import store
from sessions_app.realtime.changes import Identity, Refused, api_origin
from sessions_app.realtime.document import PadDocument
from sessions_app.realtime.limits import PadLimits
from sessions_app.realtime.registry import RoomRegistry
from tests.support.sockets import create_session, stored

FAST = {**settings.PAD, "HEARTBEAT_INTERVAL": 0.1, "FLUSH_INTERVAL": 0.05}
# A heartbeat no busy machine misses within a test: a room closing while its peer
# is late (0.15 s at FAST) logs the whole document again, by design.
STEADY = {**FAST, "HEARTBEAT_INTERVAL": 30}


class Recorder:
    """A stand-in connection that records what the room sends it."""

    client_kind = "yjs"
    identity = Identity()
    connection_id = "recorder"

    def __init__(self):
        self.updates = []
        self.awareness = []
        self.people = []

    def deliver_update(self, update):
        self.updates.append(update)

    def deliver_awareness(self, update):
        self.awareness.append(update)

    def presence_changed(self, people):
        self.people = people

    def deliver_event(self, event):
        pass


async def eventually(condition, timeout=5.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@override_settings(PAD=FAST)
class PeerTests(TestCase):
    async def start(self):
        """Two registries ("processes") sharing one layer, and a session (Django's TestCase has no asyncSetUp)."""
        layer = InMemoryChannelLayer(capacity=1000)
        self.a = RoomRegistry(layer=layer, peers=True)
        self.b = RoomRegistry(layer=layer, peers=True)
        self.session_id = await create_session()

    async def stop(self):
        """Unload every room, as the last connection leaving would."""
        for registry in (self.a, self.b):
            for room in list(registry.rooms.values()):
                for connection in list(room.connections):
                    await registry.leave(room, connection)

    async def replace(self, room, code):
        room.edit(lambda document: document.replace_code(code), api_origin(Identity(role="interviewer")))

    @override_settings(PAD=STEADY)
    async def test_edits_and_presence_cross_processes(self):
        await self.start()
        ca, cb = Recorder(), Recorder()
        room_a = await self.a.join(self.session_id, ca)
        room_b = await self.b.join(self.session_id, cb)
        await self.replace(room_a, "from A")
        await eventually(lambda: room_b.document.code == "from A")
        self.assertTrue(cb.updates)
        await eventually(lambda: len(room_a.participants()) == 2 and len(room_b.participants()) == 2)
        await self.b.leave(room_b, cb)
        await eventually(lambda: len(room_a.participants()) == 1)
        await self.a.leave(room_a, ca)
        # Only the process where the edit happened logs it.
        self.assertEqual((await stored(self.session_id))[2], 1)

    async def test_a_room_that_loads_catches_up_on_unflushed_edits(self):
        await self.start()
        ca = Recorder()
        room_a = await self.a.join(self.session_id, ca)
        self.a.update_log.flush_interval = 60  # keep A's edit out of the database
        await self.replace(room_a, "not flushed yet")
        self.assertEqual((await stored(self.session_id))[0], "")
        room_b = await self.b.join(self.session_id, Recorder())
        await eventually(lambda: room_b.document.code == "not flushed yet")
        await self.stop()
        self.assertEqual((await stored(self.session_id))[0], "not flushed yet")

    async def test_a_dropped_update_heals(self):
        await self.start()
        room_a = await self.a.join(self.session_id, Recorder())
        room_b = await self.b.join(self.session_id, Recorder())
        await self.replace(room_a, "abc")
        await eventually(lambda: room_b.document.code == "abc")
        # Lose the next messages, as a full channel would: an insert, then a deletion.
        publish = room_a.peers.publish_update
        room_a.peers.publish_update = lambda update: None
        await self.replace(room_a, "abcd")
        await self.replace(room_a, "bcd")
        room_a.peers.publish_update = publish
        self.assertEqual(room_b.document.code, "abc")
        await eventually(lambda: room_b.document.code == "bcd")
        await self.stop()

    async def test_replicas_converge_past_a_limit_they_each_kept(self):
        """Issue 9, item 12: limits apply where a change enters, never where replicas converge."""
        await self.start()
        room_a = await self.a.join(self.session_id, Recorder())
        room_b = await self.b.join(self.session_id, Recorder())
        with override_settings(PAD={**FAST, "MAX_CODE_BYTES": 100}):
            room_a.gate.checks[0] = room_b.gate.checks[0] = PadLimits.from_settings().check
        for room in (room_a, room_b):  # cut the links, as a full channel would
            room.peers.publish_update = lambda update: None
        await self.replace(room_a, "a" * 60)
        await self.replace(room_b, "b" * 60)
        for room in (room_a, room_b):
            del room.peers.publish_update
        # Each side stayed within 100 bytes; the merge of both is 120, and both get there.
        await eventually(lambda: len(room_a.document.code) == 120 and room_a.document.code == room_b.document.code)
        # New growth is still refused where it enters.
        with self.assertRaises(Refused):
            await self.replace(room_a, room_a.document.code + "c")
        await self.stop()

    async def test_a_dead_process_stops_being_counted(self):
        await self.start()
        room_a = await self.a.join(self.session_id, Recorder())
        room_b = await self.b.join(self.session_id, Recorder())
        await eventually(lambda: len(room_b.participants()) == 2)
        # A dies: no goodbye, no more heartbeats.
        for task in room_a.peers._tasks:
            task.cancel()
        await eventually(lambda: len(room_b.participants()) == 1)
        await self.stop()

    async def test_a_survivor_logs_what_a_dead_process_never_flushed(self):
        await self.start()
        room_a = await self.a.join(self.session_id, Recorder())
        room_b = await self.b.join(self.session_id, Recorder())
        self.a.update_log.flush_interval = 60  # A never gets to write its edit
        await self.replace(room_a, "typed in A")
        await eventually(lambda: room_b.document.code == "typed in A")
        for task in room_a.peers._tasks:  # A dies
            task.cancel()

        async def logged_code():
            document = PadDocument()
            state = await database_sync_to_async(store.load_state)(self.session_id)
            if state:
                document.doc.apply_update(state)
            return document.code

        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while await logged_code() != "typed in A":
            self.assertLess(loop.time(), deadline, "B never logged A's unflushed edit")
            await asyncio.sleep(0.05)
        room_a.update_log._dirty.clear()  # A is dead: its pending writes are gone
        room_a._pending.clear()
        await self.stop()

    async def test_a_process_without_the_room_asks_the_others_who_is_here(self):
        await self.start()
        room_a = await self.a.join(self.session_id, Recorder())
        await self.a.join(self.session_id, Recorder())
        self.assertNotIn(self.session_id, self.b.rooms)
        people = await self.b.everyone(self.session_id)
        self.assertEqual(len(people), 2)
        self.assertEqual(await self.b.everyone("no-such-session"), [])
        self.assertEqual(len(await self.a.everyone(self.session_id)), len(room_a.connections))
        await self.stop()
