"""The outbox's stall check, against a stand-in server whose `send` never waits (as daphne's).

A real server shows the rest (tests/test_transport_limits.py); this pins down the
arithmetic: a reader is stalled only when nothing of what the server held went out.
"""
from unittest import IsolatedAsyncioTestCase

from sessions_app.realtime.outbox import CLOSE_SLOW_READER, Outbox, frame_size


class Transport:
    """An asyncio-like transport: bytes written wait in a buffer until the reader takes them."""

    def __init__(self):
        self.buffer = 0
        self.aborted = False

    def get_write_buffer_size(self) -> int:
        return self.buffer

    def abort(self) -> None:
        self.aborted = True


class Server:
    """A protocol whose `send` appends to its transport's buffer and returns (daphne's way)."""

    def __init__(self):
        self.transport = Transport()

    async def send(self, message: dict) -> None:
        self.transport.buffer += frame_size(message)

    def read(self, size: int) -> None:
        self.transport.buffer -= min(size, self.transport.buffer)


class OutboxStallTests(IsolatedAsyncioTestCase):
    server_class = Server

    async def asyncSetUp(self):
        self.server = self.server_class()
        self.broken = []
        self.outbox = Outbox(self.server.send, 8 << 20, 4 << 20, lambda *why: self.broken.append(why), 60)
        self.addCleanup(self.outbox._give_up)  # no timer left behind

    def put(self, size: int) -> None:
        self.outbox.put({"type": "websocket.send", "bytes": b"x" * size})

    async def test_a_reader_that_keeps_up_while_frames_keep_coming_is_kept(self):
        """The buffer holds more at the check than at the mark, yet a whole frame went out."""
        self.put(300_000)
        self.server.read(300_000)
        self.put(400_000)
        self.outbox._check_stall()
        self.assertEqual(self.broken, [])
        self.assertEqual(self.server.transport.buffer, 400_000)

    async def test_a_reader_that_took_nothing_is_dropped(self):
        self.put(300_000)
        self.put(400_000)
        self.outbox._check_stall()
        self.assertEqual([code for code, _ in self.broken], [CLOSE_SLOW_READER])

    async def test_one_byte_out_is_progress(self):
        self.put(300_000)
        self.server.read(1)
        self.put(10)
        self.outbox._check_stall()
        self.assertEqual(self.broken, [])
        self.server.read(0)  # and then nothing, for a whole period
        self.outbox._check_stall()
        self.assertEqual([code for code, _ in self.broken], [CLOSE_SLOW_READER])


class BinaryServer(Server):
    """The pad's uvicorn protocol as the outbox sees it: it also writes binary frames itself."""

    def __init__(self):
        super().__init__()
        self.written = []

    def write_binary(self, data: bytes) -> bool:
        self.written.append(data)
        self.transport.buffer += len(data)
        return True


class OutboxWriteBinaryTests(OutboxStallTests):
    """The same arithmetic when binary frames go through the server's writer (`put_binary`)."""

    server_class = BinaryServer

    def put(self, size: int) -> None:
        self.outbox.put_binary(b"x" * size)

    async def test_frames_go_through_the_writer_and_too_much_held_is_a_slow_reader(self):
        for _ in range(2):
            self.put(3_000_000)
        self.assertEqual([len(data) for data in self.server.written], [3_000_000] * 2)
        self.assertEqual(self.broken, [])
        self.put(3_000_000)  # 9 MB held: over the 8 MB limit
        self.assertEqual([code for code, _ in self.broken], [CLOSE_SLOW_READER])
        self.put(10)
        self.assertEqual(len(self.server.written), 3)  # nothing once broken

    async def test_a_frame_over_the_limit_is_never_written(self):
        self.put(5 << 20)
        self.assertEqual(self.server.written, [])
        self.assertEqual(len(self.broken), 1)
