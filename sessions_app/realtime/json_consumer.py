"""The plain-JSON endpoint: whole texts in and out, for simple clients and scripts."""
import asyncio
import random

from .. import strict_json
from ..languages import LANGUAGE_IDS, is_language
from . import protocol, session_actions
from .changes import Refused
from .connection import PadConsumer
from .display import clean_color, clean_name
from .presence import presence_message, visible_to
from .protocol import AwarenessEntry
from .shadow import TextShadow


class JsonPadConsumer(PadConsumer):
    """Whole texts, turned into CRDT edits through a shadow copy of what this client has."""

    client_kind = "json"

    async def joined(self):
        """Send `init` with the text, language and who is here."""
        self.shadow = TextShadow()
        self.awareness_id = random.getrandbits(31)
        self.awareness_clock = 0
        self.send_timer = None
        self.renew_task = None
        self.last_count = None
        self.user = {"name": "Anonymous", "color": random_colour()}
        people = self.visible(self.room.participants())
        self.last_count = len(people)
        self.send_json_now({
            "type": "init",
            "session_id": self.session_id,
            **self.catch_up(),
            "role": self.identity.role,
            "connected_users": len(people),
            "participants": [p.as_dict() for p in people],
        })

    def visible(self, people):
        return visible_to(people, self.identity.role, self.room.session_state())

    async def stopped(self):
        if getattr(self, "send_timer", None):
            self.send_timer.cancel()
        if getattr(self, "renew_task", None):
            self.renew_task.cancel()

    def send_json_now(self, content):
        self.outbox.put({"type": "websocket.send", "text": strict_json.dumps(content)})

    async def receive_frame(self, text_data, bytes_data):
        if text_data is None:
            await self.error("bad_frame", "this endpoint speaks JSON text frames")
            return
        try:
            content = strict_json.loads(text_data)
        except strict_json.StrictJSONError as exc:
            await self.error("bad_json", str(exc))
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
        if language is not None and not is_language(language):
            return await self.error("invalid", f"'language' must be one of: {', '.join(sorted(LANGUAGE_IDS))}")
        base = content.get("base")
        if base is not None and (not isinstance(base, int) or isinstance(base, bool)):
            return await self.error("invalid", "'base' must be the integer 'version' that 'code' is based on")
        if code is not None:
            try:
                update = self.shadow.edit(code, base)
                if update:
                    self.room.apply_update(update, self.origin)
            except Refused as exc:
                self.shadow.reset()
                self.last_sent = None  # the client's text was refused: send it ours
                self.schedule_send()
                return await self.error(exc.code, f"'code': {exc.message}")
            if self.last_sent:
                self.last_sent = (code, *self.last_sent[1:])
        if language is not None:
            self.room.edit(lambda document: document.set_language(language), self.origin)
            if self.last_sent:
                self.last_sent = (self.last_sent[0], language, self.last_sent[2])
        self.schedule_send()

    async def on_join(self, content):
        """Take a display name (and optional colour), shown to everyone with the server's role."""
        name = clean_name(content.get("name"))
        color = clean_color(content.get("color", self.user["color"]))
        self.user = {"name": name, "color": color}
        self.publish_awareness()
        if self.renew_task is None:
            self.renew_task = asyncio.ensure_future(self.renew_awareness())

    def publish_awareness(self):
        """This client's awareness state, as a Yjs client would send it, under a new clock."""
        self.awareness_clock += 1
        entry = AwarenessEntry(self.awareness_id, self.awareness_clock, {"user": self.user})
        self.room.apply_awareness(protocol.encode_awareness([entry]), self.origin)

    async def renew_awareness(self):
        """Renew the state like y-protocols clients do (every 15 s): Yjs clients drop
        a state not renewed for 30 s, and a reconnecting one takes only newer clocks."""
        while True:
            await asyncio.sleep(self.pad["AWARENESS_RENEW_INTERVAL"])
            if self.room is None:
                return
            self.publish_awareness()

    async def on_ping(self, content):
        self.send_json_now({"type": "pong"})

    async def on_activity(self, content):
        """An activity signal of this client: {"kind": "paste", "text"} or blur, focus, idle."""
        try:
            self.report_activity(content.get("signal"))
        except ValueError as exc:
            await self.error("invalid", str(exc))

    async def on_run(self, content):
        """Start or cancel a run on the server's runners: {"action": "start" or "cancel", "id", "stdin"}."""
        try:
            await self.server_run(content)
        except ValueError as exc:
            await self.error("invalid", str(exc))

    async def on_end(self, content):
        """End the interview (interviewers): read-only for everyone until reopened."""
        await session_actions.end(self.session_id, self.origin)

    async def on_reopen(self, content):
        await session_actions.reopen(self.session_id, self.origin)

    # Called by the room.

    def deliver_update(self, update: bytes):
        if self.ready:
            self.schedule_send()

    def presence_changed(self, people):
        if not self.ready:
            return
        people = self.visible(people)
        if len(people) != self.last_count:
            self.last_count = len(people)
            self.send_json_now({"type": "user_count", "connected_users": len(people)})
        self.send_json_now(presence_message(people))

    # Coalesced updates: many keystrokes in one interval become one message.

    def schedule_send(self):
        if self.send_timer is None:
            loop = asyncio.get_running_loop()
            self.send_timer = loop.call_later(self.pad["JSON_COALESCE_INTERVAL"], self.send_state)

    def send_state(self):
        self.send_timer = None
        if self.room is None:
            return
        document = self.room.document
        if (document.code, document.language, document.meta.get("ended_at")) != self.last_sent:
            self.send_json_now({"type": "update", **self.catch_up()})

    def catch_up(self) -> dict:
        """Level the shadow with the document and remember that the client now has this text."""
        document = self.room.document
        version = self.shadow.catch_up(document)
        ended_at = document.meta.get("ended_at")
        self.last_sent = (document.code, document.language, ended_at)
        return {"code": document.code, "language": document.language, "version": version, "ended_at": ended_at}


def random_colour() -> str:
    return f"#{random.randrange(0x1000000):06x}"
