"""Links between the rooms of one session in different server processes, over the channel layer.

Each room is one member of its session's group, so a message crosses the layer
once per process; updates and awareness that pile up while one message is on its
way go together in the next. Layers drop messages when a channel is full, so
every heartbeat carries the room's state vector and a digest of its content: a
peer that sees it has something the sender lacks sends it, and replicas heal.

A room that knows no peer (the usual case behind a proxy that pins sessions to a
process) publishes nothing but its heartbeat: a newcomer's hello is answered with
everything it lacks, so nothing sent in the meantime could have been missed. For
its first DISCOVERY_SECONDS (or heartbeat, if shorter) a new room publishes anyway,
until existing peers have had time to answer its own hello.
"""
import asyncio
import hashlib
import logging
import random

from pycrdt import merge_updates

from .changes import PEER
from .detached import detach
from .presence import Participant, PeerPresence
from .protocol import Reader

logger = logging.getLogger(__name__)

DISCOVERY_SECONDS = 1.0


def group_name(session_id: str) -> str:
    return f"pad.{session_id}"


def content_digest(document) -> str:
    """Equal for converged replicas; catches a missed deletion that state vectors cannot."""
    text = f"{document.language}\0{len(document.runs)}\0{document.code}"
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def clocks(state_vector: bytes) -> dict[int, int]:
    reader = Reader(state_vector)
    return {reader.var_uint(): reader.var_uint() for _ in range(reader.var_uint())}


class NoPeers:
    """The single-process default: nothing to share with."""

    def __init__(self, room=None):
        pass

    async def start(self):
        pass

    async def stop(self):
        pass

    def publish_update(self, update):
        pass

    def publish_awareness(self, update):
        pass

    def publish_presence(self):
        pass

    def publish_event(self, event):
        pass

    def participants(self):
        return []

    def unconfirmed_peers(self) -> bool:
        return False


class PeerLink:
    """One room's membership in its session's group: updates, awareness, presence and healing."""

    def __init__(self, room, layer, heartbeat_interval: float):
        self.room = room
        self.layer = layer
        self.group = group_name(room.key)
        self.heartbeat_interval = heartbeat_interval
        self.presence = PeerPresence(heartbeat_interval)
        self.channel = None
        self._tasks: list[asyncio.Task] = []
        # Outgoing updates and awareness wait here for the sender task, so a
        # room never waits for the layer (a Redis round trip) before its local
        # fan-out, and whatever piles up during one send goes in the next.
        self._updates: list[bytes] = []
        self._awareness: list[bytes] = []
        self._presence = False
        self._events: list[dict] = []
        self._wake = asyncio.Event()
        self._discovering_until = 0.0

    async def start(self):
        """Join the group, then ask the other processes for what this room lacks."""
        self.channel = await self.layer.new_channel("pad.room.")
        self._discovering_until = asyncio.get_running_loop().time() + min(DISCOVERY_SECONDS, self.heartbeat_interval)
        await self.layer.group_add(self.group, self.channel)
        self._tasks = [
            detach(self._receive_loop(), f"receiving for {self.group}"),
            detach(self._heartbeat_loop(), f"heartbeats of {self.group}"),
            detach(self._send_loop(), f"publishing for {self.group}"),
        ]
        await self._group_send("pad.hello", **self._status())

    async def stop(self):
        for task in self._tasks:
            task.cancel()
        if self.channel:
            await self._send_pending()
            await self._group_send("pad.bye")
            await self.layer.group_discard(self.group, self.channel)

    def unconfirmed_peers(self) -> bool:
        """True when a known process missed its last heartbeat: it may have died, unflushed."""
        return bool(self.presence.silent_peers(self.heartbeat_interval * 1.5))

    # Outgoing ----------------------------------------------------------------

    def listened(self) -> bool:
        """Whether another process may want what this room publishes (see the module's docstring)."""
        return bool(self.presence) or asyncio.get_running_loop().time() < self._discovering_until

    def publish_update(self, update: bytes):
        if self.listened():
            self._updates.append(update)
            self._wake.set()

    def publish_awareness(self, update: bytes):
        if self.listened():
            self._awareness.append(update)
            self._wake.set()

    def publish_presence(self):
        if self.listened():
            self._presence = True
            self._wake.set()

    def publish_event(self, event: dict):
        """An event of the timeline, for the interviewers connected to other processes (logged here)."""
        if self.listened():
            self._events.append(event)
            self._wake.set()

    async def _send_loop(self):
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._send_pending()
            except Exception:
                # Lost on the way: the heartbeat's state vector heals it.
                logger.exception("publishing to %s failed", self.group)

    async def _send_pending(self):
        """One message for all updates waiting (merged into one), one for all awareness, then presence."""
        updates, self._updates = self._updates, []
        awareness, self._awareness = self._awareness, []
        presence, self._presence = self._presence, False
        events, self._events = self._events, []
        if updates:
            await self._group_send("pad.update", update=updates[0] if len(updates) == 1 else merge_updates(*updates))
        if awareness:
            await self._group_send("pad.awareness", updates=awareness)
        if presence:
            await self._group_send("pad.presence", people=self._local_people())
        if events:
            await self._group_send("pad.events", events=events)

    def participants(self):
        return self.presence.participants()

    def _local_people(self):
        return [p.as_dict() for p in self.room.local_participants()]

    def _status(self):
        document = self.room.document
        return {
            "state_vector": document.state_vector(),
            "digest": content_digest(document),
            "people": self._local_people(),
        }

    async def _group_send(self, kind: str, **fields):
        await self.layer.group_send(self.group, {"type": kind, "sender": self.channel, **fields})

    async def _send_to(self, channel: str, kind: str, **fields):
        await self.layer.send(channel, {"type": kind, "sender": self.channel, **fields})

    # Incoming ----------------------------------------------------------------

    async def _receive_loop(self):
        while True:
            message = await self.layer.receive(self.channel)
            if message.get("sender") == self.channel:
                continue
            try:
                await self._handle(message)
            except Exception:
                logger.exception("peer message %s for %s failed", message.get("type"), self.group)

    async def _handle(self, message):
        kind, sender = message["type"], message["sender"]
        if kind == "pad.update":
            self.room.apply_update(message["update"], PEER)
        elif kind == "pad.awareness":
            for update in message.get("updates") or [message["update"]]:
                self.room.apply_awareness(update, ("peer", sender))
        elif kind == "pad.presence":
            if self.presence.report(sender, message["people"]):
                self.room.presence_changed()
        elif kind == "pad.events":
            for event in message["events"]:
                self.room.timeline.show(event)
        elif kind == "pad.hello":
            await self._heal(sender, message)
            # A newcomer also needs our people and their cursors.
            await self._send_to(sender, "pad.presence", people=self._local_people())
            local_states = self.room.awareness.encode(lambda owner: not isinstance(owner, tuple))
            if local_states:
                await self._send_to(sender, "pad.awareness", update=local_states)
        elif kind == "pad.heartbeat":
            await self._heal(sender, message)
        elif kind == "pad.bye":
            await self._forget(sender)
        elif kind == "pad.census":
            # Someone (a REST read in a process without this room) asks who is here.
            await self._send_to(sender, "pad.presence", people=self._local_people())

    async def _heal(self, sender, status):
        """Record the sender's people and send it whatever it lacks of our document."""
        if self.presence.report(sender, status["people"]):
            self.room.presence_changed()
        document = self.room.document
        ours, theirs = clocks(document.state_vector()), clocks(status["state_vector"])
        ahead = any(clock > theirs.get(client, 0) for client, clock in ours.items())
        behind = any(clock > ours.get(client, 0) for client, clock in theirs.items())
        if ahead or (not behind and status["digest"] != content_digest(document)):
            await self._send_to(sender, "pad.update", update=document.diff(status["state_vector"]))

    async def _forget(self, peer):
        if self.presence.forget(peer):
            self.room.presence_changed()
        self.room.forget_awareness(("peer", peer))

    async def _heartbeat_loop(self):
        # Rooms loaded together (a server restart) would otherwise beat in step.
        await asyncio.sleep(random.uniform(0, self.heartbeat_interval))
        while True:
            await asyncio.sleep(self.heartbeat_interval)
            try:
                # Renew the membership (a layer may expire groups; a member that
                # dies is then dropped instead of being sent to for a day).
                await self.layer.group_add(self.group, self.channel)
                dead = self.presence.expire()
                for peer in dead:
                    await self._forget(peer)
                if dead:
                    # A peer died without a goodbye: what it applied but had not
                    # flushed lives on here (it passed every update on), so log it.
                    logger.info("peer of %s died; logging its unflushed updates", self.group)
                    self.room.adopt_unlogged()
                await self._group_send("pad.heartbeat", **self._status())
            except Exception:
                logger.exception("heartbeat for %s failed", self.group)


async def census(layer, session_id: str, wait: float = 0.25) -> list:
    """Ask every process with a live room of the session who is connected there.

    For a REST read in a process that has no room of its own: replies arriving
    within `wait` seconds count.
    """
    channel = await layer.new_channel("pad.census.")
    await layer.group_send(group_name(session_id), {"type": "pad.census", "sender": channel})
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    replies: dict[str, list] = {}
    while (remaining := deadline - loop.time()) > 0:
        try:
            message = await asyncio.wait_for(layer.receive(channel), remaining)
        except TimeoutError:
            break
        if message.get("type") == "pad.presence":
            replies[message["sender"]] = [Participant(**p) for p in message["people"]]
    return [person for people in replies.values() for person in people]
