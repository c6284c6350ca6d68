"""The pad's uvicorn WebSocket protocol (realtime/uvicorn_protocol.py), on a real uvicorn.

- Frames it writes itself are what websockets would write, for every length encoding.
- Reading stops once 16 small frames, or one large frame, wait for the app.
- A frame handler (the Yjs consumer's, see yjs_consumer.py) is offered binary frames
  only while none wait for the app, so frames are handled in the order they came.
- On a real uvicorn, updates the Yjs consumer handles that way all reach the document,
  a burst past the rate is slowed down and loses nothing, and a refused one still
  gets its error.
- A client heard from within the ping interval is not pinged; one silent for an
  interval is, and one that then never answers is dropped.
"""
import asyncio
import base64
import json
import logging
import os
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path
from unittest import IsolatedAsyncioTestCase, TestCase

from pycrdt import Doc, Map, Text
from uvicorn.config import Config
from uvicorn.server import ServerState
from websockets.frames import Frame, Opcode

from sessions_app.realtime import protocol
from sessions_app.realtime.guard import FrameGuard
from sessions_app.realtime.uvicorn_protocol import HIGH_WATER, LARGE_FRAME, PadWebSocketProtocol, binary_frame_header
from tests.support.server import ServerProcess, api, create_session

PING_INTERVAL = 0.5


class RawClient:
    """A WebSocket client on a plain socket: sends masked frames, reads frames one by one (pings too)."""

    def __init__(self, server: ServerProcess, path: str):
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        assert b" 101 " in head.split(b"\r\n")[0], head

    def close(self):
        self.sock.close()

    def send_binary(self, data: bytes):
        # Masked with a zero key (allowed, and the payload reads as it is).
        self.sock.sendall(bytes((0x82, 0x80 | len(data))) + b"\0\0\0\0" + data)

    def _read(self, size: int) -> bytes:
        while len(self.buffer) < size:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed by the server")
            self.buffer += chunk
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def frame(self, timeout: float) -> tuple[int, bytes] | None:
        """The next frame (opcode, payload), or None when none came within `timeout`."""
        self.sock.settimeout(timeout)
        try:
            first, second = self._read(2)
        except TimeoutError:
            return None
        finally:
            self.sock.settimeout(10)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._read(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._read(8))
        return first & 0x0F, self._read(length)

    def frames_for(self, seconds: float) -> list[int]:
        """The opcodes of every frame that came within `seconds` (until the server closed the socket)."""
        deadline, opcodes = time.monotonic() + seconds, []
        while (left := deadline - time.monotonic()) > 0:
            try:
                frame = self.frame(left)
            except ConnectionError:
                break
            if frame is not None:
                opcodes.append(frame[0])
        return opcodes


class CollectorTests(TestCase):
    def test_loading_the_app_freezes_it_and_collects_young_objects_less_often(self):
        # A fresh interpreter: this test process loaded the app long ago.
        script = ("import gc, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'interview_project.settings'); "
                  "default = gc.get_threshold(); import interview_project.asgi; "
                  "print(json.dumps([default, gc.get_threshold(), gc.get_freeze_count()]))")
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                                cwd=Path(__file__).resolve().parents[1])
        self.assertEqual(result.returncode, 0, result.stderr)
        default, threshold, frozen = json.loads(result.stdout.strip().splitlines()[-1])
        self.assertEqual(threshold[0], 10_000)
        self.assertGreater(threshold[0], default[0])
        self.assertEqual(threshold[1:], default[1:])  # older generations as Python sets them
        self.assertGreater(frozen, 10_000)  # Django, Channels and the app, out of the collector's way


class FrameHeaderTests(TestCase):
    def test_headers_are_the_ones_websockets_writes(self):
        for length in (0, 1, 125, 126, 65535, 65536, 400_000):
            data = b"x" * length
            ours = binary_frame_header(length) + data
            self.assertEqual(ours, Frame(Opcode.BINARY, data).serialize(mask=False), f"length {length}")


class PausingTransport(asyncio.Transport):
    """Takes what the protocol writes and notes when it stops reading."""

    def __init__(self):
        super().__init__()
        self.paused = False
        self.written = b""

    def get_extra_info(self, name, default=None):
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def write(self, data):
        self.written += data

    def pause_reading(self):
        self.paused = True

    def resume_reading(self):
        self.paused = False

    def is_closing(self):
        return False

    def close(self):
        pass


class ReadPauseTests(IsolatedAsyncioTestCase):
    """The protocol with an app that accepts and then never reads: frames pile up in its queue."""

    async def asyncSetUp(self):
        accepted, self.done = asyncio.Event(), asyncio.Event()

        async def app(scope, receive, send):
            await receive()
            await send({"type": "websocket.accept"})
            accepted.set()
            await self.done.wait()  # reads nothing more until the test ends

        config = Config(app=app, ws=PadWebSocketProtocol, ws_per_message_deflate=False, lifespan="off")
        config.load()
        uvicorn_log = logging.getLogger("uvicorn.error")  # (set up by Config: INFO, as `manage.py serve` runs it)
        self.addCleanup(uvicorn_log.setLevel, uvicorn_log.level)
        uvicorn_log.setLevel(logging.INFO)
        self.handshake_logged = []  # what the handshake below wrote to uvicorn's log
        capture = logging.Handler()
        capture.emit = self.handshake_logged.append
        uvicorn_log.addHandler(capture)
        self.addCleanup(uvicorn_log.removeHandler, capture)
        self.protocol = PadWebSocketProtocol(config, ServerState(), {}, asyncio.get_running_loop())
        self.transport = PausingTransport()
        self.protocol.connection_made(self.transport)
        key = base64.b64encode(os.urandom(16)).decode()
        self.protocol.data_received(
            f"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        await asyncio.wait_for(accepted.wait(), 5)
        uvicorn_log.removeHandler(capture)
        self.addAsyncCleanup(self.close)

    async def close(self):
        self.protocol.stop_keepalive()
        self.done.set()
        await asyncio.gather(*self.protocol.tasks)

    def frame(self, size: int) -> bytes:
        return Frame(Opcode.BINARY, b"x" * size).serialize(mask=True)

    async def test_a_socket_accepted_is_not_logged_but_errors_are(self):
        """The lines per WebSocket (uvicorn's access line, websockets' "connection open") are
        left out, as `--no-access-log` does for HTTP; errors still reach uvicorn's log."""
        uvicorn_log = logging.getLogger("uvicorn.error")
        self.assertEqual([record.getMessage() for record in self.handshake_logged], [])
        self.assertIs(self.protocol.logger.parent, uvicorn_log)
        self.assertIs(self.protocol.conn.logger, self.protocol.logger)
        self.assertFalse(self.protocol.logger.isEnabledFor(logging.INFO))
        with self.assertLogs("uvicorn.error", logging.ERROR) as logged:
            self.protocol.logger.error("Exception in ASGI application")
        self.assertEqual(len(logged.records), 1)

    async def test_small_frames_are_read_until_sixteen_wait(self):
        for _ in range(HIGH_WATER - 1):
            self.protocol.data_received(self.frame(30))
        self.assertFalse(self.transport.paused)
        self.protocol.data_received(self.frame(30))
        self.assertTrue(self.transport.paused)

    async def test_a_large_frame_stops_reading_at_once(self):
        self.protocol.data_received(self.frame(LARGE_FRAME))
        self.assertTrue(self.transport.paused)
        self.assertEqual(self.protocol.queue.qsize(), 1)

    async def test_a_frame_handler_takes_frames_only_while_none_wait(self):
        offered = []

        def handler(data):
            offered.append(data)
            return data != b"refused"

        self.protocol.handle_frames_with(handler)
        self.protocol.data_received(Frame(Opcode.BINARY, b"taken").serialize(mask=True))
        self.assertEqual((offered, self.protocol.queue.qsize()), ([b"taken"], 0))
        # Declined: it waits for the app, and the frames after it wait behind it, unoffered.
        self.protocol.data_received(Frame(Opcode.BINARY, b"refused").serialize(mask=True))
        self.protocol.data_received(Frame(Opcode.BINARY, b"next").serialize(mask=True))
        self.assertEqual(offered, [b"taken", b"refused"])
        queued = [self.protocol.queue.get_nowait()["bytes"] for _ in range(self.protocol.queue.qsize())]
        self.assertEqual(queued, [b"refused", b"next"])
        # Two frames in one read are offered one after the other.
        self.protocol.data_received(b"".join(Frame(Opcode.BINARY, data).serialize(mask=True) for data in (b"a", b"b")))
        self.assertEqual((offered[2:], self.protocol.queue.qsize()), ([b"a", b"b"], 0))
        # A frame split over two reads, and one past 125 bytes (an extended length), go through
        # websockets' parser, and are offered whole, the same way.
        split = Frame(Opcode.BINARY, b"split").serialize(mask=True)
        self.protocol.data_received(split[:4])
        self.protocol.data_received(split[4:] + Frame(Opcode.BINARY, b"y" * 126).serialize(mask=True))
        self.assertEqual((offered[4:], self.protocol.queue.qsize()), ([b"split", b"y" * 126], 0))
        # Declined in the middle of a read: the rest of the read waits behind it, unoffered.
        self.protocol.data_received(b"".join(Frame(Opcode.BINARY, data).serialize(mask=True)
                                             for data in (b"refused", b"after", b"end")))
        self.assertEqual(offered[6:], [b"refused"])
        queued = [self.protocol.queue.get_nowait()["bytes"] for _ in range(self.protocol.queue.qsize())]
        self.assertEqual(queued, [b"refused", b"after", b"end"])
        del offered[2:]
        # Text frames and frames after `handle_frames_with(None)` go to the app.
        self.protocol.data_received(Frame(Opcode.TEXT, b"{}").serialize(mask=True))
        self.protocol.handle_frames_with(None)
        self.protocol.data_received(Frame(Opcode.BINARY, b"later").serialize(mask=True))
        self.assertEqual(offered, [b"taken", b"refused"])
        self.assertEqual(self.protocol.queue.qsize(), 2)


class KeepaliveTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = {"PAD_PING_INTERVAL": str(PING_INTERVAL), "PAD_PING_TIMEOUT": "1"}
        cls.server = ServerProcess(server="uvicorn", env=env).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        super().tearDownClass()

    def connect(self) -> tuple[str, RawClient]:
        session_id, _ = create_session(self.server)
        client = RawClient(self.server, f"/ws/yjs/{session_id}")
        self.addCleanup(client.close)
        return session_id, client

    def test_a_client_heard_from_within_the_interval_is_not_pinged(self):
        _, client = self.connect()
        query = protocol.query_awareness()
        pings = 0
        for _ in range(int(6 * PING_INTERVAL / 0.1)):  # three intervals, a frame every 0.1 s
            client.send_binary(query)
            pings += client.frames_for(0.1).count(Opcode.PING.value)
        self.assertEqual(pings, 0)
        # Silent now: pinged within an interval (and a little).
        self.assertIn(Opcode.PING.value, client.frames_for(2 * PING_INTERVAL))

    def test_a_silent_client_that_never_answers_is_dropped(self):
        session_id, client = self.connect()
        self.assertIn(Opcode.PING.value, client.frames_for(3 * PING_INTERVAL))
        deadline = time.monotonic() + 10
        while api(self.server, "GET", f"/api/sessions/{session_id}/participants")["connected_users"]:
            self.assertLess(time.monotonic(), deadline, "the silent client is still counted")
            time.sleep(0.1)


def typed_updates(count: int) -> list[bytes]:
    """The Yjs updates of typing `count` characters into the code, one update each."""
    doc, updates = Doc(), []
    code = doc.get("code", type=Text)
    subscription = doc.observe(lambda event: updates.append(event.update))
    for _ in range(count):
        code += "x"
    doc.unobserve(subscription)
    return updates


class DirectFrameTests(TestCase):
    """The Yjs consumer's updates handled in uvicorn's read callback (YjsConsumer.receive_now)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ServerProcess(server="uvicorn").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        super().tearDownClass()

    def join(self, session_id) -> RawClient:
        """A raw client in the session, once the server has sent its sync step 1 (it is in the room)."""
        client = RawClient(self.server, f"/ws/yjs/{session_id}")
        self.addCleanup(client.close)
        self.assertIsNotNone(client.frame(10))
        return client

    def joined(self) -> tuple[str, RawClient]:
        session_id, _ = create_session(self.server)
        return session_id, self.join(session_id)

    def code(self, session_id) -> str:
        return api(self.server, "GET", f"/api/sessions/{session_id}/code")["code"]

    def wait_for_code(self, session_id, length: int):
        deadline = time.monotonic() + 20
        while len(self.code(session_id)) < length and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.code(session_id), "x" * length)

    def test_a_burst_past_the_rate_is_slowed_down_and_loses_nothing(self):
        session_id, typist = self.joined()
        reader = self.join(session_id)
        updates = typed_updates(1200)  # past the Yjs socket's burst of 1000 frames
        for update in updates:
            typist.send_binary(protocol.sync_update(update))
        self.wait_for_code(session_id, len(updates))
        # The other client got every one of them, as sync updates.
        received = 0
        while received < len(updates):
            frame = reader.frame(10)
            self.assertIsNotNone(frame, f"the other client got {received} of {len(updates)} updates")
            received += frame[0] == Opcode.BINARY.value and frame[1][:2] == b"\x00\x02"

    def test_the_direct_path_takes_a_token_only_when_one_is_there(self):
        guard = FrameGuard(rate=0.001, burst=2)
        self.assertEqual([guard.allow() for _ in range(3)], [True, True, False])
        guard.give_back()  # (a frame it took one for went the usual way)
        self.assertTrue(guard.allow())
        self.assertAlmostEqual(guard.delay(), 1 / 0.001, delta=1)  # the usual way: a wait for a token

    def test_a_refused_update_still_gets_its_error(self):
        session_id, client = self.joined()
        doc, updates = Doc(), []
        doc.observe(lambda event: updates.append(event.update))
        doc.get("elsewhere", type=Map)["key"] = "value"
        client.send_binary(protocol.sync_update(updates[0]))
        frames = []
        while (frame := client.frame(5)) is not None and frame[0] != Opcode.TEXT.value:
            frames.append(frame)
        self.assertIsNotNone(frame, "no error came")
        self.assertIn('"unknown shared type', frame[1].decode())
        # The document is unchanged and the next update goes through.
        client.send_binary(protocol.sync_update(typed_updates(1)[0]))
        self.wait_for_code(session_id, 1)
