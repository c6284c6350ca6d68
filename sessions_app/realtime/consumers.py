"""WebSocket consumers: the y-websocket binary endpoint and the plain-JSON endpoint.

Both join the same Room, so every kind of client edits one CRDT document.
"""
import asyncio
import json
import random

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from ..languages import LANGUAGE_IDS
from . import protocol
from .document import DocumentTooLarge
from .guard import FrameGuard
from .presence import Participant
from .protocol import AwarenessEntry, MessageType, ProtocolError, SyncType
from .registry import get_registry
from .shadow import TextShadow
from .store import SessionNotFound

CLOSE_NOT_FOUND = 4404
CLOSE_TOO_MANY_ERRORS = 4400
CLOSE_FLOODING = 4429
ROLES = ("interviewer", "candidate", "observer")


class PadConsumer(AsyncWebsocketConsumer):
    """Joins the session's room on connect and leaves it on disconnect; answers bad input with errors."""

    client_kind = "?"
    rate = (100.0, 200.0)  # frames per second, burst
    # A connection talks to its room in this process; only rooms use the channel
    # layer (one group member per room, see peers.py). Without this every socket
    # would also hold a channel of its own: a Redis receive loop per browser.
    channel_layer_alias = None

    async def __call__(self, scope, receive, send):
        """Channels' consumer loop without what these sockets do not use.

        No channel of their own (see above), and no task and `asyncio.wait` per
        frame (Channels' `await_many_dispatch`, there to listen to the socket and
        the layer at once): frames are read and handled one after the other.
        """
        self.scope = scope
        self.channel_layer = None
        self.base_send = send
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass

    async def dispatch(self, message):
        """Channels' dispatch minus `aclose_old_connections()` on every frame.

        That clean-up is a hop to the database thread per WebSocket frame; these
        handlers never touch the database themselves (rooms go through
        `database_sync_to_async`, which cleans up around each call).
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        """Accept, then join the room, or close with 4404 when the session does not exist."""
        self.pad = settings.PAD
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        self.guard = FrameGuard(*self.rate, max_bad=self.pad["MAX_BAD_FRAMES"])
        self.room = None
        self.ready = False
        await self.accept()
        try:
            self.room = await get_registry().join(self.session_id, self)
        except SessionNotFound:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.joined()
        self.ready = True

    async def joined(self):
        """Send what a new client needs first."""

    async def disconnect(self, code):
        """Leave the room; the last one out unloads it."""
        if self.room is not None:
            room, self.room = self.room, None
            await get_registry().leave(room, self)

    async def receive(self, text_data=None, bytes_data=None):
        """Check the frame's size and rate, then hand it to the protocol's handler."""
        if self.room is None:
            return
        size = len(bytes_data) if bytes_data is not None else len(text_data.encode())
        if size > self.pad["MAX_FRAME_BYTES"]:
            await self.error("too_large", f"frame of {size} bytes exceeds {self.pad['MAX_FRAME_BYTES']}")
        elif await self.within_rate():
            await self.receive_frame(text_data, bytes_data)

    async def within_rate(self) -> bool:
        """Drop what is over the rate with an error; the client's next whole text carries on."""
        if self.guard.allow():
            return True
        await self.error("rate_limited", "too many messages; this one was dropped", strike=False)
        return False

    async def receive_frame(self, text_data, bytes_data):
        raise NotImplementedError

    async def error(self, code: str, message: str, strike=True):
        """Tell the client what was wrong; close only after repeated abuse."""
        await self.send(text_data=json.dumps({"type": "error", "code": code, "message": message}))
        if strike and self.guard.strike():
            await self.close(code=CLOSE_TOO_MANY_ERRORS)

    # Called by the room.

    async def send_update(self, update: bytes):
        pass

    async def send_awareness(self, update: bytes):
        pass

    async def presence_changed(self, people: list[Participant]):
        pass


class YjsConsumer(PadConsumer):
    """The y-websocket protocol, so the stock WebsocketProvider works unchanged."""

    client_kind = "yjs"
    rate = (500.0, 1000.0)

    async def joined(self):
        """Send our sync step 1 (so the client sends what we lack) and everyone's awareness."""
        await self.send(bytes_data=protocol.sync_step1(self.room.document.state_vector()))
        states = self.room.awareness.encode()
        if states:
            await self.send(bytes_data=protocol.awareness(states))

    async def within_rate(self) -> bool:
        """Slow a fast sender down rather than drop an update; close a sustained flood.

        Closing loses nothing: the provider reconnects and the sync handshake
        re-sends whatever the server did not apply.
        """
        delay = self.guard.delay()
        if delay is None:
            await self.close(code=CLOSE_FLOODING)
            return False
        if delay:
            await asyncio.sleep(delay)
        return True

    async def receive_frame(self, text_data, bytes_data):
        if bytes_data is None:
            await self.error("bad_frame", "this endpoint speaks the binary y-websocket protocol")
            return
        try:
            message = protocol.decode(bytes_data)
            if message.type is MessageType.SYNC:
                await self.receive_sync(message)
            elif message.type is MessageType.AWARENESS:
                await self.room.apply_awareness(message.payload, origin=self)
            elif message.type is MessageType.QUERY_AWARENESS:
                states = self.room.awareness.encode()
                if states:
                    await self.send(bytes_data=protocol.awareness(states))
        except DocumentTooLarge as exc:
            await self.error("too_large", str(exc))
        except (ProtocolError, ValueError) as exc:
            await self.error("bad_frame", str(exc))

    async def receive_sync(self, message):
        """Answer a step 1 with the difference; apply a step 2 or an update."""
        if message.sync_type is SyncType.STEP1:
            await self.send(bytes_data=protocol.sync_step2(self.room.document.diff(message.payload)))
        else:
            await self.room.apply_update(message.payload, origin=self)

    async def send_update(self, update: bytes):
        # The hot path of fan-out: straight to the server, as `send()` would.
        await self.base_send({"type": "websocket.send", "bytes": protocol.sync_update(update)})

    async def send_awareness(self, update: bytes):
        await self.base_send({"type": "websocket.send", "bytes": protocol.awareness(update)})


class JsonPadConsumer(PadConsumer):
    """Plain JSON: whole texts in and out, turned into CRDT edits through a shadow copy."""

    client_kind = "json"

    async def joined(self):
        """Send `init` with the text, language and who is here."""
        self.shadow = TextShadow(self.pad["MAX_CODE_BYTES"])
        self.awareness_id = random.getrandbits(31)
        self.awareness_clock = 0
        self.send_timer = None
        self.renew_task = None
        self.last_count = None
        self.user = {"name": "Anonymous", "color": random_colour(), "role": "candidate"}
        people = self.room.participants()
        self.last_count = len(people)
        await self.send_json({
            "type": "init",
            "session_id": self.session_id,
            **self.catch_up(),
            "connected_users": len(people),
            "participants": [p.as_dict() for p in people],
        })

    async def disconnect(self, code):
        if getattr(self, "send_timer", None):
            self.send_timer.cancel()
        if getattr(self, "renew_task", None):
            self.renew_task.cancel()
        await super().disconnect(code)

    async def send_json(self, content):
        await self.send(text_data=json.dumps(content))

    async def receive_frame(self, text_data, bytes_data):
        if text_data is None:
            await self.error("bad_frame", "this endpoint speaks JSON text frames")
            return
        try:
            content = json.loads(text_data)
        except json.JSONDecodeError as exc:
            await self.error("bad_json", f"malformed JSON: {exc.msg}")
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.error("bad_message", "a message is a JSON object with a string 'type'")
            return
        handler = getattr(self, "on_" + content["type"], None)
        if handler is None:
            await self.error("unknown_type", f"unknown message type '{content['type'][:40]}'")
            return
        await handler(content)

    async def on_update(self, content):
        """Apply a new code and/or language from the client."""
        code, language = content.get("code"), content.get("language")
        if code is None and language is None:
            return await self.error("invalid", "an update needs 'code' or 'language'")
        if code is not None and not isinstance(code, str):
            return await self.error("invalid", "'code' must be a string")
        if language is not None and language not in LANGUAGE_IDS:
            return await self.error("invalid", f"'language' must be one of: {', '.join(sorted(LANGUAGE_IDS))}")
        base = content.get("base")
        if base is not None and (not isinstance(base, int) or isinstance(base, bool)):
            return await self.error("invalid", "'base' must be the integer 'version' that 'code' is based on")
        if code is not None:
            try:
                update = self.shadow.edit(code, base)
                if update:
                    await self.room.apply_update(update, origin=self)
            except DocumentTooLarge as exc:
                self.shadow.reset()
                self.last_sent = None  # the client's text was refused: send it ours
                await self.error("too_large", f"'code': {exc}")
            else:
                self.last_sent = (code, self.last_sent[1] if self.last_sent else None)
        if language is not None:
            await self.room.edit(lambda document: document.set_language(language), origin=self)
            if self.last_sent:
                self.last_sent = (self.last_sent[0], language)
        self.schedule_send()

    async def on_join(self, content):
        """Take a display name (and optional colour and role), shown to everyone as presence."""
        name = content.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > self.pad["MAX_NAME_CHARS"]:
            return await self.error("invalid", f"'name' must be a non-empty string of at most {self.pad['MAX_NAME_CHARS']} characters")
        color, role = content.get("color", self.user["color"]), content.get("role", "candidate")
        if not isinstance(color, str) or len(color) > 32:
            return await self.error("invalid", "'color' must be a CSS colour string")
        if role not in ROLES:
            return await self.error("invalid", f"'role' must be one of: {', '.join(ROLES)}")
        self.user = {"name": name.strip(), "color": color, "role": role}
        await self.publish_awareness()
        if self.renew_task is None:
            self.renew_task = asyncio.ensure_future(self.renew_awareness())

    async def publish_awareness(self):
        """This client's awareness state, as a Yjs client would send it, under a new clock."""
        self.awareness_clock += 1
        entry = AwarenessEntry(self.awareness_id, self.awareness_clock, {"user": self.user})
        await self.room.apply_awareness(protocol.encode_awareness([entry]), origin=self)

    async def renew_awareness(self):
        """Renew the state like y-protocols clients do (every 15 s): Yjs clients drop
        a state not renewed for 30 s, and a reconnecting one takes only newer clocks."""
        while True:
            await asyncio.sleep(self.pad["AWARENESS_RENEW_INTERVAL"])
            if self.room is None:
                return
            await self.publish_awareness()

    async def on_ping(self, content):
        await self.send_json({"type": "pong"})

    # Called by the room.

    async def send_update(self, update: bytes):
        if self.ready:
            self.schedule_send()

    async def presence_changed(self, people):
        if not self.ready:
            return
        if len(people) != self.last_count:
            self.last_count = len(people)
            await self.send_json({"type": "user_count", "connected_users": len(people)})
        await self.send_json({
            "type": "presence",
            "connected_users": len(people),
            "participants": [p.as_dict() for p in people],
        })

    # Coalesced updates: many keystrokes in one interval become one message.

    def schedule_send(self):
        if self.send_timer is None:
            loop = asyncio.get_running_loop()
            self.send_timer = loop.call_later(
                self.pad["JSON_COALESCE_INTERVAL"], lambda: asyncio.ensure_future(self.send_state())
            )

    async def send_state(self):
        self.send_timer = None
        if self.room is None:
            return
        document = self.room.document
        if (document.code, document.language) != self.last_sent:
            await self.send_json({"type": "update", **self.catch_up()})

    def catch_up(self) -> dict:
        """Level the shadow with the document and remember that the client now has this text."""
        document = self.room.document
        version = self.shadow.catch_up(document)
        self.last_sent = (document.code, document.language)
        return {"code": document.code, "language": document.language, "version": version}


def random_colour() -> str:
    return "#{:06x}".format(random.randrange(0x1000000))
