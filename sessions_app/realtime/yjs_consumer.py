"""The y-websocket endpoint: the stock WebsocketProvider works unchanged."""
import asyncio
import logging

from .. import strict_json
from . import protocol
from .changes import Refused
from .connection import CLOSE_FLOODING, PadConsumer
from .kinds import NOTES, PAD
from .presence import presence_message, visible_to
from .protocol import MessageType, ProtocolError, SyncType

logger = logging.getLogger(__name__)

SYNC, AWARENESS = MessageType.SYNC.value, MessageType.AWARENESS.value
UPDATES = (SyncType.STEP2.value, SyncType.UPDATE.value)
_last_update: list = [None, b""]  # the update last framed, and its frame


class YjsConsumer(PadConsumer):
    """Sync step 1 / step 2 / update and awareness, in the y-websocket binary protocol."""

    client_kind = "yjs"
    rate = (500.0, 1000.0)

    async def joined(self):
        """Send our sync step 1 (so the client sends what we lack) and everyone's awareness.

        A client that asks for it (`?presence=1`, the pad's own page) also gets the people
        list as text frames, with who is reconnecting: a stock provider would choke on them.
        """
        self.wants_presence = b"presence=1" in self.scope.get("query_string", b"").split(b"&")
        self.send_bytes(protocol.sync_step1(self.room.document.state_vector()))
        self.send_awareness_states()
        if self.outbox.probe.handle_frames_with is not None:
            self.outbox.probe.handle_frames_with(self.receive_now)

    async def stopped(self):
        await super().stopped()
        if self.outbox.probe.handle_frames_with is not None:
            self.outbox.probe.handle_frames_with(None)

    def receive_now(self, data: bytes) -> bool:
        """Apply an update or awareness in the server's read callback: no task or dispatch per keystroke.

        Only while this connection is idle (nothing of it running, no frame waiting),
        within its rate without a wait, and only what applies cleanly: False sends the
        frame the usual way, which also says why one is refused.
        """
        if not (self.idle and self.ready) or self.room is None or len(data) > self.pad["MAX_FRAME_BYTES"]:
            return False
        kind = data[0] if data else None
        if kind == SYNC and len(data) > 1 and data[1] in UPDATES:
            payload, apply = protocol.payload_at(data, 2), self.room.apply_update
        elif kind == AWARENESS:
            payload, apply = protocol.payload_at(data, 1), self.room.apply_awareness
        else:
            return False
        if payload is None:
            return False
        if not self.guard.allow():
            return False
        try:
            apply(payload, self.origin)
        except (Refused, ValueError):
            self.guard.give_back()
            return False
        except Exception:
            logger.exception("handling a frame of session %s failed; handing it over", self.session_id)
            self.guard.give_back()
            return False
        return True

    def send_bytes(self, frame: bytes):
        self.outbox.put_binary(frame)

    def send_awareness_states(self):
        states = self.room.awareness.encode()
        if states:
            self.send_bytes(protocol.awareness(states))

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
                self.receive_sync(message)
            elif message.type is MessageType.AWARENESS:
                self.room.apply_awareness(message.payload, self.origin)
            elif message.type is MessageType.QUERY_AWARENESS:
                self.send_awareness_states()
            elif message.type is MessageType.ACTIVITY and self.kind is PAD:
                self.report_activity(strict_json.loads(message.payload))
            elif message.type is MessageType.RUN and self.kind is PAD:
                await self.server_run(strict_json.loads(message.payload))
        except (ProtocolError, ValueError) as exc:
            await self.error("bad_frame", str(exc))

    def receive_sync(self, message):
        """Answer a step 1 with the difference; apply a step 2 or an update."""
        if message.sync_type is SyncType.STEP1:
            self.send_bytes(protocol.sync_step2(self.room.document.diff(message.payload)))
        else:
            self.room.apply_update(message.payload, self.origin)

    def deliver_update(self, update: bytes):
        """Send an update as a sync message, framed once for all the room's recipients of it."""
        if _last_update[0] is not update:
            _last_update[:] = update, protocol.sync_update(update)
        self.outbox.put_binary(_last_update[1])

    def deliver_awareness(self, update: bytes):
        self.send_bytes(protocol.awareness(update))

    def presence_changed(self, people):
        if self.ready and getattr(self, "wants_presence", False):
            people = visible_to(people, self.identity.role, self.room.session_state())
            self.outbox.put({"type": "websocket.send", "text": strict_json.dumps(presence_message(people))})


class NotesConsumer(YjsConsumer):
    """The interviewers' private notes, a document of their own: interviewers only (4403 for others)."""

    kind = NOTES
