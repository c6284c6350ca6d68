"""The life of one WebSocket to a session: admission, the room, the outbox, errors, the end.

Whatever happens (a clean close, a client that vanished, a send that failed, a
handler that raised, a reader too slow to keep), the connection leaves its room
and its admission slot in one `finally`: no participant outlives its socket.
"""
import asyncio
import logging
import secrets
from importlib import import_module
from types import SimpleNamespace

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib import auth
from django.http.cookie import parse_cookie

from .. import access, client_address, rules, strict_json
from ..runner import dispatch
from . import database_calls
from .admission import CLOSE_TOO_MANY
from .changes import ChangeOrigin, Identity, Refused
from .grace import CLEAN_CLOSES
from .guard import FrameGuard
from .kinds import PAD
from .outbox import Outbox
from .registry import get_registry
from .store import SessionNotFound, session_only

logger = logging.getLogger(__name__)

CLOSE_NOT_FOUND = 4404
CLOSE_FORBIDDEN = 4403
CLOSE_TOO_MANY_ERRORS = 4400
CLOSE_FLOODING = 4429


class PadConsumer(AsyncWebsocketConsumer):
    """Joins the session's room on connect and leaves it at the end, whatever ends it."""

    client_kind = "?"
    kind = PAD  # the session's document this endpoint serves
    rate = (100.0, 200.0)  # frames per second, burst
    # A connection talks to its room in this process; only rooms use the channel
    # layer (one group member per room, see peers.py). Without this every socket
    # would also hold a channel of its own: a Redis receive loop per browser.
    channel_layer_alias = None

    async def __call__(self, scope, receive, send):
        """Channels' consumer loop, with an outbox in front of `send` and a `finally` that cleans up.

        No channel of their own (see above), and no task and `asyncio.wait` per
        frame (Channels' `await_many_dispatch`, there to listen to the socket and
        the layer at once): frames are read and handled one after the other.
        """
        self.scope = scope
        self.channel_layer = None
        self.pad = settings.PAD
        self.room = None
        self.ready = False
        self.closing = False
        self.connection_id = secrets.token_hex(4)  # names this connection in the log and the timeline
        self._admitted = None
        self._abort = None  # (close code or None) once the outbox gave up on this connection
        self._close_code = None  # as the client (or the server, on a lost connection) closed
        self._ending = False
        self.outbox = Outbox(
            send, self.pad["MAX_SEND_BUFFER_BYTES"], settings.TRANSPORT_MAX_MESSAGE_BYTES, self._broken,
            self.pad["MAX_SEND_STALL"],
        )
        self.base_send = self.outbox.send
        self._task = asyncio.current_task()
        self.idle = False  # True while waiting for a frame, with nothing of this connection's running
        try:
            while True:
                self.idle = True
                message = await receive()
                self.idle = False
                await self.dispatch(message)
        except StopConsumer:
            pass
        except asyncio.CancelledError:
            if self._abort is None:
                raise
        finally:
            self._ending = True
            end = asyncio.ensure_future(self._end())
            try:
                await asyncio.shield(end)
            except asyncio.CancelledError:
                # The outbox gave up (another task) just as this one was ending: its cancel
                # arrives here. Finish the clean-up and end quietly; any other cancel goes on.
                if self._abort is None:
                    raise
                await end

    async def dispatch(self, message):
        """Channels' dispatch minus `aclose_old_connections()` on every frame.

        That clean-up is a hop to the database thread per WebSocket frame; these
        handlers never touch the database themselves (joins and rooms go through
        `database_calls`, which uses `database_sync_to_async`: it cleans up around each hop).
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        """Accept; then join the room, or close: 4429 past a connection cap, 4404 for an unknown
        session, 4403 for a role that may not open this document."""
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        self.guard = FrameGuard(*self.rate, max_bad=self.pad["MAX_BAD_FRAMES"])
        self.identity = await database_calls.run(identify, self.session_id, self.scope)
        self.origin = ChangeOrigin("connection", self.identity, self)
        registry = get_registry()
        address = client_address.of_scope(self.scope)
        refusal = registry.admission.admit(address, self.session_id)
        await self.accept()
        if refusal:
            await self.error("too_many_connections", refusal, strike=False)
            await self.close(code=CLOSE_TOO_MANY)
            return
        self._admitted = (address, self.session_id)
        if not rules.allowed(self.kind.connect_action, self.identity.role, rules.SessionState()):
            refusal = f"{rules.a_role(self.identity.role)} may not open this document"
            await self.error("forbidden", refusal, strike=False)
            await self.close(code=CLOSE_FORBIDDEN)
            return
        try:
            self.room = await registry.join(self.session_id, self, self.kind)
        except SessionNotFound:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.joined()
        self.ready = True

    def may(self, action: str) -> bool:
        """Whether this connection's role may take `action` in the session's current state."""
        return rules.allowed(action, self.identity.role, self.room.session_state())

    async def joined(self):
        """Send what a new client needs first."""

    async def stopped(self):
        """Stop this connection's own timers; called once at the end."""

    async def websocket_disconnect(self, message):
        """The socket closed: note how (see `_release`), then stop."""
        self._close_code = message.get("code", 1005)
        raise StopConsumer()

    async def disconnect(self, code):
        """Nothing here: the end of `__call__` cleans up, however the connection ended."""

    async def close(self, code=None, reason=None):
        """Leave the room at once (a client that never answers the close is no ghost), then close."""
        if self.closing:
            return
        self.closing = True
        await self._release()
        await super().close(code=code, reason=reason)

    def _broken(self, code, reason):
        """The outbox gave up (too slow, frame too large, send failed): end this connection now."""
        logger.info("closing a connection of %s: %s", getattr(self, "session_id", "?"), reason)
        self._abort = (code,)
        self.ready = False
        # Already ending (a send failing while it leaves): cancelling would only cut the clean-up short.
        if self._task is not None and not self._task.done() and not self._ending:
            self._task.cancel()

    async def _end(self):
        self.ready = False
        try:
            await self.stopped()
            await self._release()
        finally:
            if self._abort is not None and self._abort[0] is not None:
                await self.outbox.close_now(self._abort[0])

    async def _release(self):
        """Give back the admission slot and leave the room (once; a connection may close before it ends)."""
        if self._admitted is not None:
            get_registry().admission.release(*self._admitted)
            self._admitted = None
        room, self.room = self.room, None
        if room is not None:
            lost = not self.closing and (self._abort is not None or self._close_code not in CLEAN_CLOSES)
            await get_registry().leave(room, self, lost)

    async def receive(self, text_data=None, bytes_data=None):
        """Check the frame's size and rate, then hand it to the protocol's handler."""
        if self.room is None or not self.ready:
            return
        size = len(bytes_data) if bytes_data is not None else len(text_data.encode())
        if size > self.pad["MAX_FRAME_BYTES"]:
            await self.error("too_large", f"frame of {size} bytes exceeds {self.pad['MAX_FRAME_BYTES']}")
        elif await self.within_rate():
            try:
                await self.receive_frame(text_data, bytes_data)
            except Refused as exc:
                await self.error(exc.code, exc.message, strike=exc.strike)
            except Exception:
                # One bad message never closes the socket, even one that finds a bug.
                logger.exception("handling a frame of session %s failed", self.session_id)
                await self.error("server_error", "the server failed to handle this message")

    async def within_rate(self) -> bool:
        """Drop what is over the rate with an error; the client's next whole text carries on."""
        if self.guard.allow():
            return True
        await self.error("rate_limited", "too many messages; this one was dropped", strike=False)
        return False

    async def receive_frame(self, text_data, bytes_data):
        raise NotImplementedError

    async def error(self, code: str, message: str, strike=True, **about):
        """Tell the client what was wrong (and `about` what, e.g. which run); close only after repeated abuse."""
        error = {"type": "error", "code": code, "message": message, **about}
        self.outbox.put({"type": "websocket.send", "text": strict_json.dumps(error)})
        if strike and self.guard.strike():
            await self.close(code=CLOSE_TOO_MANY_ERRORS)

    # Called by the room (never waits: sends go to the outbox).

    def deliver_update(self, update: bytes):
        pass

    def deliver_awareness(self, update: bytes):
        pass

    def presence_changed(self, people):
        pass

    def deliver_event(self, event: dict):
        """An event of the interview's timeline (sent to interviewers only)."""
        self.outbox.put({"type": "websocket.send", "text": strict_json.dumps({"type": "event", "event": event})})

    def report_activity(self, signal) -> None:
        """Record an activity signal of this connection's client (Refused, ValueError when malformed)."""
        if not self.may("report_activity"):
            raise Refused("forbidden", f"{rules.a_role(self.identity.role)} does not report activity here")
        self.room.timeline.activity(self.room.author_of_connection(self), signal)

    async def server_run(self, request) -> None:
        """Start or cancel a run on the server's runners (runner/dispatch.py); a refusal names the run."""
        if not isinstance(request, dict) or request.get("action") not in ("start", "cancel"):
            raise ValueError("a run request is {\"action\": \"start\" or \"cancel\", \"id\", \"stdin\"}")
        run_id = request.get("id")
        users = self.room.awareness.users_of(self)
        color = users[0].get("color", dispatch.NO_COLOR) if users else dispatch.NO_COLOR
        author = self.room.author_of_connection(self)
        requester = dispatch.Requester(self.identity, author, color, self.session_id)
        try:
            if request["action"] == "start":
                await dispatch.start(self.session_id, run_id, request.get("stdin", ""), requester)
            else:
                await dispatch.cancel(self.session_id, run_id, requester)
        except Refused as exc:
            await self.error(exc.code, exc.message, strike=exc.strike, run=str(run_id)[:64])


def identify(session_id: str, scope) -> Identity:
    """The identity of a WebSocket's client in a session: its account, role cookie or bearer key.

    Read from the handshake's headers here rather than by Channels' auth middleware,
    which wraps `send` (and hides the server's own, see transport.py) for nothing a
    socket needs.
    """
    # Only what deciding a role reads: not the document's state, code and the rest, on every join.
    session = session_only(session_id, *access.IDENTIFYING_FIELDS)
    if session is None:
        return Identity()  # the room will not load: closed with 4404
    headers = dict(scope.get("headers", ()))
    cookies = parse_cookie(headers.get(b"cookie", b"").decode("latin-1"))
    return access.identify(
        session,
        user=signed_in_user(cookies.get(settings.SESSION_COOKIE_NAME)),
        cookie=cookies.get(access.cookie_name(session_id)),
        bearer=access.bearer_key(headers.get(b"authorization", b"").decode("latin-1")),
    )


def signed_in_user(session_key: str | None):
    """The account signed in with Django's session cookie `session_key`, or None."""
    if not session_key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = auth.get_user(SimpleNamespace(session=store))
    return user if user.is_authenticated else None
