"""Helpers for socket tests with channels.testing.WebsocketCommunicator."""
import asyncio
import json

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from pycrdt import Doc, Text

from interview_project.asgi import application
from sessions_app import access
from sessions_app.models import InterviewSession
from sessions_app.realtime import protocol, store
from sessions_app.realtime.document import PadDocument


@database_sync_to_async
def create_session(**fields) -> str:
    return InterviewSession.objects.create(**fields).pk


@database_sync_to_async
def create_session_with_key(**fields) -> tuple[str, str]:
    """A session and its interviewer key (send it as `Authorization: Bearer <key>`)."""
    session = InterviewSession(**fields)
    key = access.issue_interviewer_key(session)
    access.observer_key(session)
    session.save()
    return session.pk, key


def bearer(key: str) -> dict:
    """Django test client keyword arguments that present `key`."""
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@database_sync_to_async
def stored(session_id):
    session = InterviewSession.objects.get(pk=session_id)
    return session.code, session.language, store.log_length(session_id)


async def connect_json(session_id, name=None):
    communicator = WebsocketCommunicator(application, f"/ws/session/{session_id}/")
    connected, _ = await communicator.connect()
    assert connected
    init = await receive_type(communicator, "init")
    if name:
        await communicator.send_json_to({"type": "join", "name": name})
    return communicator, init


async def receive_type(communicator, kind, timeout=3.0):
    """The next JSON message of `kind`, skipping others (presence and counts arrive at any time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise AssertionError(f"no {kind!r} message within {timeout}s")
        message = json.loads(await communicator.receive_from(timeout=remaining))
        if message.get("type") == kind:
            return message


async def receive_json_until(communicator, predicate, timeout=3.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise AssertionError("the expected message did not arrive")
        message = json.loads(await communicator.receive_from(timeout=remaining))
        if predicate(message):
            return message


class YjsTestClient:
    """A pycrdt document speaking y-websocket over a WebsocketCommunicator."""

    def __init__(self, session_id, path=None, headers=None, text="code"):
        self.session_id = session_id
        self.doc = Doc()
        self.text = self.doc.get(text, type=Text)
        self.communicator = WebsocketCommunicator(application, path or f"/ws/yjs/{session_id}", headers=headers or [])
        self.errors = []

    async def connect(self):
        connected, _ = await self.communicator.connect()
        assert connected
        await self.send(protocol.sync_step1(self.doc.get_state()))
        # Until our step 2 arrives we do not have the document.
        await self.pump(until=lambda m: m.type is protocol.MessageType.SYNC and m.sync_type is protocol.SyncType.STEP2)
        return self

    async def send(self, frame: bytes):
        await self.communicator.send_to(bytes_data=frame)

    async def edit(self, change):
        """Make a local change to the code and send it like a provider would."""
        await self.change(lambda doc: change(self.text))

    async def change(self, change):
        """Make a local change to the document (`change(doc)`, one transaction) and send it."""
        updates = []
        subscription = self.doc.observe(lambda event: updates.append(event.update))
        with self.doc.transaction():
            change(self.doc)
        self.doc.unobserve(subscription)
        for update in updates:
            await self.send(protocol.sync_update(update))

    async def next_error(self, timeout=3.0) -> dict:
        """The next `error` text frame (binary frames meanwhile are applied)."""
        frame = await self.pump(until=lambda m: isinstance(m, dict) and m.get("text"), timeout=timeout)
        return json.loads(frame["text"])

    async def pump(self, until=None, timeout=3.0):
        """Handle incoming frames (applying updates) until one matches `until`, or until quiet."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                if until is None:
                    return None
                raise AssertionError("the expected frame did not arrive")
            if until is None and await self.communicator.receive_nothing(timeout=min(remaining, 0.3)):
                return None
            frame = await self.communicator.receive_output(timeout=remaining)
            if frame["type"] == "websocket.close":
                raise ConnectionError(f"closed with {frame.get('code')}")
            if frame.get("text") is not None:
                self.errors.append(json.loads(frame["text"]))
                message = None
            else:
                message = protocol.decode(frame["bytes"])
                if message.type is protocol.MessageType.SYNC and message.sync_type is not protocol.SyncType.STEP1:
                    self.doc.apply_update(message.payload)
            if until is not None and until(message if message else frame):
                return message or frame

    async def wait_for_text(self, expected, timeout=3.0):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while str(self.text) != expected:
            if loop.time() > deadline:
                raise AssertionError(f"text is {str(self.text)!r}, expected {expected!r}")
            await self.pump(until=lambda m: True, timeout=deadline - loop.time())

    async def disconnect(self):
        await self.communicator.disconnect()


async def assert_no_message_of_type(communicator, kind, timeout=0.3):
    """Fail if a `kind` message arrives within `timeout`; other messages are skipped.

    Uses receive_nothing: a timed-out receive_output would cancel the application.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        remaining = deadline - loop.time()
        if remaining <= 0 or await communicator.receive_nothing(timeout=remaining):
            return
        message = json.loads(await communicator.receive_from())
        if message.get("type") == kind:
            raise AssertionError(f"unexpected {kind!r} message: {message}")


async def until_read(read, predicate, what, timeout=5.0):
    """Wait until `predicate(await read())` holds (read: e.g. a database query through sync_to_async)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate(value := await read()):
        if loop.time() > deadline:
            raise AssertionError(f"{what} (last read: {value!r})")
        await asyncio.sleep(0.05)


async def wait_stored(session_id, code, timeout=5.0):
    """Wait until the session row's cached code (written at each flush) equals `code`."""
    await until_read(lambda: stored(session_id), lambda row: row[0] == code, f"stored code never became {code!r}",
                     timeout)


def content(state: bytes) -> tuple:
    """What a document's whole state holds (its state vector, code, settings and runs): equal for equal
    documents, though JSON objects may encode their keys in another order once a document is rebuilt."""
    document = PadDocument()
    document.apply_update(state)
    return document.state_vector(), document.code, document.meta.to_py(), document.runs.to_py()
