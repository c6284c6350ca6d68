"""The rooms live in this process: loaded on first use, unloaded after the last one leaves."""
import asyncio
import weakref
from contextlib import asynccontextmanager
from functools import partial

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings

from .admission import Admission
from .changes import Identity
from .detached import await_fully
from .kinds import PAD, DocumentKind
from .peers import NoPeers, PeerLink, census
from .room import Room
from .update_log import UpdateLog


class ApiClient:
    """Holds a room open while a REST write uses it; it is nobody on screen."""

    client_kind = "api"
    identity = Identity(role="interviewer", principal="api")
    connection_id = ""

    def deliver_update(self, update):
        pass

    def deliver_awareness(self, update):
        pass

    def presence_changed(self, people):
        pass

    def deliver_event(self, event):
        pass


class RoomRegistry:
    """One per event loop: a pycrdt document belongs to the thread that made it.

    A room is in `rooms` from the moment it starts loading until it has finished
    closing; joiners wait for either, so a room is never loaded twice, and a
    session id that turns out not to exist leaves nothing behind.
    """

    def __init__(self, layer=None, peers: bool | None = None):
        pad = settings.PAD
        self.config = pad
        self.update_log = UpdateLog(pad["FLUSH_INTERVAL"], pad["COMPACT_EVERY"])
        self.admission = Admission(pad["MAX_CONNECTIONS_PER_ADDRESS"], pad["MAX_CONNECTIONS_PER_SESSION"])
        self.layer = layer if layer is not None else get_channel_layer()
        if peers is None:
            # An in-memory layer cannot reach another process: skip the traffic.
            peers = self.layer is not None and not isinstance(self.layer, InMemoryChannelLayer)
        self.has_peers = bool(peers)
        if peers:
            self.peers_factory = partial(PeerLink, layer=self.layer, heartbeat_interval=pad["HEARTBEAT_INTERVAL"])
        else:
            self.peers_factory = NoPeers
        self.rooms: dict[str, Room] = {}

    async def join(self, session_id: str, connection, kind: DocumentKind = PAD) -> Room:
        """Add a connection to the room of the session's `kind` of document, loading it if needed.

        Raises SessionNotFound for an unknown session.
        """
        key = kind.room_key(session_id)
        while True:
            room = self.rooms.get(key)
            if room is None:
                room = self.rooms[key] = Room(session_id, self.update_log, self.peers_factory, self.config, kind)
                room.opening = asyncio.ensure_future(self._open(room))
            await await_fully(room.opening)
            if room.closing is None:
                break
            await await_fully(room.closing)  # it is unloading: wait, then load it afresh
        room.add(connection)
        return room

    async def _open(self, room: Room) -> None:
        try:
            await room.load()
        except BaseException:
            self._forget(room)
            room.discard()  # an unknown id must leave nothing behind, observers included
            raise

    async def leave(self, room: Room, connection, lost: bool = False) -> None:
        """Remove a connection (`lost`: it did not close on purpose); the last one out unloads the room."""
        room.remove(connection, lost)
        if room.connections or room.closing is not None:
            return
        room.closing = asyncio.ensure_future(self._close(room))
        await await_fully(room.closing)

    async def _close(self, room: Room) -> None:
        try:
            await room.close()
        finally:
            self._forget(room)

    def _forget(self, room: Room) -> None:
        if self.rooms.get(room.key) is room:
            del self.rooms[room.key]

    @asynccontextmanager
    async def borrow(self, session_id: str, kind: DocumentKind = PAD):
        """The session's room of `kind` for the length of a block, written down before it ends."""
        client = ApiClient()
        room = await self.join(session_id, client, kind)
        try:
            yield room
            # Awaited fully: a client hanging up must not cut a flush that writes every session.
            await await_fully(asyncio.ensure_future(self.update_log.flush(require=room.key)))
        finally:
            await self.leave(room, client)

    def participants(self, session_id: str) -> list | None:
        """Who is connected, as this process knows it; None when no room is live here."""
        room = self.rooms.get(session_id)
        if room is None or not room.is_open:
            return None
        return room.participants()

    async def everyone(self, session_id: str) -> list:
        """Who is connected, in every process: from the live room here, or by asking the others."""
        people = self.participants(session_id)
        if people is not None:
            return people
        if self.has_peers:
            return await census(self.layer, session_id)
        return []


_registries: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RoomRegistry]" = weakref.WeakKeyDictionary()


def get_registry() -> RoomRegistry:
    """The registry of the running event loop."""
    loop = asyncio.get_running_loop()
    registry = _registries.get(loop)
    if registry is None:
        registry = _registries[loop] = RoomRegistry()
    return registry
