"""Limits that only a real server shows (issue 9, items 2 and 7), on daphne and on uvicorn.

- A document past daphne's old 1 MiB message limit, made by stock Yjs clients
  within the frontend's own caps, still syncs to a fresh client.
- Readers that never read are closed once their backlog passes the send buffer
  limit; the server's memory stays bounded and honest clients are unaffected.
- A reader that stops reading after its buffers filled, with nothing more sent
  to it, is gone within seconds too: no ghost in the participant list.
- Updates whose parts depend on nothing the server has do not pile up in memory.
- A JSON edit whose escaped frame passes 1 MiB (daphne's old frame limit) is applied.
"""
import base64
import json
import os
import socket
import threading
import time
from unittest import TestCase

from pycrdt import Doc, Text
from websockets.sync.client import connect

from sessions_app.realtime import protocol
from tests.support.node import run_script
from tests.support.server import ServerProcess, api, create_session

MIB = 1024 * 1024


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def eventually(condition, what, timeout=30.0, state=lambda: ""):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what} {state()}")
        time.sleep(0.1)


def slow_reader(server: ServerProcess, path: str) -> socket.socket:
    """A WebSocket client that completes the handshake and then never reads again."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    assert b" 101 " in response.split(b"\r\n")[0], response
    return sock


class HonestYjsReader(threading.Thread):
    """Reads every frame of a Yjs socket and applies the updates to its own document."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.doc = Doc()
        self.text = self.doc.get("code", type=Text)
        self.socket = connect(url, max_size=None)
        self.closed = None
        self.latest = ""  # the text after the last update applied (read by the test's thread)
        self.start()

    def run(self):
        try:
            for frame in self.socket:
                if isinstance(frame, bytes):
                    message = protocol.decode(frame)
                    if message.type is protocol.MessageType.SYNC and message.sync_type is not protocol.SyncType.STEP1:
                        self.doc.apply_update(message.payload)
                        self.latest = str(self.text)
        except Exception as exc:
            self.closed = exc


class ServerLimitsMixin:
    server_kind = "daphne"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # No keepalive pings here: the outbox alone must notice a reader that stopped. (6 s: the
        # honest reader, a Python thread applying 400 KB updates, must keep up on a loaded machine.)
        env = {"PAD_MAX_SEND_STALL": "6", "PAD_PING_INTERVAL": "600", "PAD_PING_TIMEOUT": "600"}
        cls.server = ServerProcess(server=cls.server_kind, env=env).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        super().tearDownClass()

    def people(self, session_id) -> int:
        return api(self.server, "GET", f"/api/sessions/{session_id}/participants")["connected_users"]

    def test_a_document_past_one_mebibyte_still_syncs(self):
        session_id = api(self.server, "POST", "/api/sessions/", {"code": "x" * 480_000})["id"]
        result = run_script("big_document.mjs", {
            "url": self.server.ws_url + "/ws/yjs", "session": session_id, "runs": 5, "stream_bytes": 65536,
        })
        self.assertEqual((result["code_length"], result["runs"]), (480_000, 5))
        self.assertGreater(result["document_bytes"], MIB)
        eventually(lambda: self.people(session_id) == 0, "the stock clients to leave")

    def put_codes(self, session_id, honest, count=100) -> tuple[int, str]:
        """Replace the code `count` times, each time once the honest reader has the last one: it
        keeps up however loaded the machine (a reader falling 8 MiB behind is closed as too slow)."""
        sent = 0
        for n in range(count):
            code = ("ab"[n % 2] + f"{n:03}") * 100_000
            api(self.server, "PUT", f"/api/sessions/{session_id}/code", {"code": code}, key=self.keys[session_id])
            sent += len(code)
            deadline = time.monotonic() + 30
            while honest.latest != code and honest.closed is None and time.monotonic() < deadline:
                time.sleep(0.005)
            self.assertIsNone(honest.closed, "the honest reader was closed")
            self.assertTrue(honest.latest == code, "the honest reader did not get the code within 30 s")
        return sent, code

    def test_readers_that_never_read_are_closed_and_memory_stays_bounded(self):
        session_id, key = create_session(self.server)
        self.keys = {session_id: key}
        honest = HonestYjsReader(f"{self.server.ws_url}/ws/yjs/{session_id}")
        self.put_codes(session_id, honest)  # the same work without slow readers first: the server's memory settles
        readers = [slow_reader(self.server, f"/ws/yjs/{session_id}") for _ in range(3)]
        eventually(lambda: self.people(session_id) == 4, "all four to be counted",
                   state=lambda: f"(counted {self.people(session_id)}; the honest reader ended: {honest.closed!r})")
        before = rss_bytes(self.server.process.pid)
        sent, code = self.put_codes(session_id, honest)
        # Unbounded, each slow reader would hold everything sent: 3 x 100 x 400 KB, over 110 MiB;
        # bounded, they hold at most PAD_MAX_SEND_BUFFER_BYTES each until closed.
        # (60 s, and twice what one reader was sent: a loaded 2-core machine is slow to close them
        # and to give memory back; unbounded, the growth would be three times that, for good.)
        eventually(lambda: self.people(session_id) == 1, "the slow readers to be closed", timeout=60,
                   state=lambda: f"(counted {self.people(session_id)}; honest reader closed: {honest.closed!r};"
                                 f" the server's log ends:\n"
                                 f"{self.server.log_path.read_text()[-3000:]})")
        grown = []
        eventually(lambda: grown.append(rss_bytes(self.server.process.pid) - before) or grown[-1] < 2 * sent,
                   f"the server's memory to stay well below the {3 * sent / MIB:.0f} MiB sent to slow readers",
                   state=lambda: f"(it grew by {grown[-1] / MIB:.0f} MiB)")
        self.assertEqual(honest.latest, code)
        self.assertIsNone(honest.closed)
        honest.socket.close()
        for sock in readers:
            sock.close()

    def test_a_reader_that_stopped_after_filling_its_buffers_leaves(self):
        session_id, key = create_session(self.server)
        reader = slow_reader(self.server, f"/ws/yjs/{session_id}")
        self.addCleanup(reader.close)
        eventually(lambda: self.people(session_id) == 1, "the reader to be counted")
        # More than the kernel's socket buffers hold (some MB on loopback), less than the
        # send buffer limit (8 MiB); then nothing more.
        for n in range(15):
            api(self.server, "PUT", f"/api/sessions/{session_id}/code", {"code": "yz"[n % 2] * 400_000}, key=key)
        eventually(lambda: self.people(session_id) == 0, "the stalled reader to be dropped")

    def test_a_json_edit_past_one_mebibyte_escaped_is_applied(self):
        session_id, _ = create_session(self.server)
        code = "\u00e9" * 200_000  # 400 KB of code, 1.2 MB as escaped JSON
        with connect(f"{self.server.ws_url}/ws/session/{session_id}/", max_size=None) as sock:
            sock.send(json.dumps({"type": "update", "code": code}))
            eventually(lambda: api(self.server, "GET", f"/api/sessions/{session_id}/code")["code"] == code,
                       "the edit to be stored")

    def test_updates_depending_on_nothing_known_do_not_pile_up(self):
        session_id = api(self.server, "POST", "/api/sessions/", {"code": "intact"})["id"]
        with connect(f"{self.server.ws_url}/ws/yjs/{session_id}", max_size=None) as sock:
            before = rss_bytes(self.server.process.pid)
            ranges = b"".join(protocol.var_uint(n * 3) + protocol.var_uint(1) for n in range(60_000))
            for n in range(40):  # deletions of items nobody has: kept pending by a document, forever
                # no structs; a delete set of one unknown client with 60,000 ranges
                header = protocol.var_uint(0) + protocol.var_uint(1) + protocol.var_uint(5000 + n)
                sock.send(protocol.sync_update(header + protocol.var_uint(60_000) + ranges))
            sock.send(protocol.sync_step1(protocol.var_uint(0)))  # answered after every update above was handled
            while True:
                frame = sock.recv(timeout=30)
                if isinstance(frame, bytes) and protocol.decode(frame).sync_type is protocol.SyncType.STEP2:
                    break
            grown = rss_bytes(self.server.process.pid) - before
        # Kept, they held over 7 bytes of memory per byte sent (over 80 MiB here).
        self.assertLess(grown, 40 * MIB, f"RSS grew by {grown / MIB:.0f} MiB")
        self.assertEqual(api(self.server, "GET", f"/api/sessions/{session_id}/code")["code"], "intact")


class DaphneLimitsTests(ServerLimitsMixin, TestCase):
    server_kind = "daphne"


class UvicornLimitsTests(ServerLimitsMixin, TestCase):
    server_kind = "uvicorn"
