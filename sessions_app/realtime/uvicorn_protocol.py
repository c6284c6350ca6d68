"""uvicorn's WebSocket protocol, minus four per-frame costs the pad's traffic does not need.

`manage.py serve` selects it (`--ws`). A keystroke is a frame of a few dozen bytes,
so what the stock protocol does once per frame adds up:

- It stops reading a socket after every frame until the app has taken it, then
  starts again: two epoll changes per frame. Here reading stops once HIGH_WATER
  frames wait for the app, or at once after a large one: what a connection can
  make the server hold stays about what the stock protocol allows (one frame of
  up to the size limit), plus under 1 MiB of small ones.
- It pings every connection every interval, even one whose client sent something
  a moment ago. Here only a connection that was silent for an interval is pinged:
  a vanished network still shows within the interval plus the timeout.
- Each send goes through the ASGI `send` coroutine and websockets' Frame objects.
  `write_binary` writes the frame to the transport itself while the connection is
  open and its socket takes data (the outbox uses it, see transport.py); otherwise
  the outbox falls back on `send`.
- Each frame goes through a queue to the app's task, which wakes, dispatches and
  handles it. An app can offer to take binary frames in the read callback itself
  (`handle_frames_with`): the Yjs consumer applies a keystroke's update there
  while it has nothing else of that connection to do, so frames keep their order.

It also leaves out the line uvicorn logs for every WebSocket it accepts: that is an
access log, which `manage.py serve` turns off for HTTP (`--no-access-log`), and one
formatted line and write per join. Warnings and errors are logged as before.
"""
import logging
import struct

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import apply_mask
from websockets.protocol import State

HIGH_WATER = 16  # frames waiting for the app before the socket is no longer read
LARGE_FRAME = 64 * 1024  # bytes: a frame this large stops reading at once, as the stock protocol does
SOCKET_LOG = logging.getLogger("uvicorn.error.websocket")  # (uvicorn's own log, less its per-socket lines)


def binary_frame_header(length: int) -> bytes:
    """The header of a final, unmasked binary frame of `length` bytes (RFC 6455, 5.2)."""
    if length < 126:
        return bytes((0x82, length))
    if length < 65536:
        return struct.pack("!BBH", 0x82, 126, length)
    return struct.pack("!BBQ", 0x82, 127, length)


_last_frame: list = [None, b""]  # the message last framed, and its frame


def binary_frame(data: bytes) -> bytes:
    """The whole frame of binary message `data`, built once for all the recipients of one update."""
    if _last_frame[0] is not data:
        _last_frame[:] = data, binary_frame_header(len(data)) + data
    return _last_frame[1]


class PadWebSocketProtocol(WebSocketsSansIOProtocol):
    frame_handler = None  # see `handle_frames_with`
    _declined = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if SOCKET_LOG.level != logging.WARNING:  # (once; again if uvicorn's logging set-up reset it)
            SOCKET_LOG.setLevel(logging.WARNING)
        self.logger = SOCKET_LOG
        self.conn.logger = SOCKET_LOG  # websockets' "connection open" line per socket, in uvicorn's log at INFO

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self.last_received = self.loop.time()

    def handle_frames_with(self, handler) -> None:
        """Offer binary frames to `handler(data) -> bool` first, while none wait for the app.

        The handler runs in this read callback and returns True when it handled the
        frame; otherwise (or while frames wait) the frame goes to the app's `receive`.
        None stops it.
        """
        self.frame_handler = handler

    def data_received(self, data: bytes) -> None:
        self.last_received = self.loop.time()
        if self.frame_handler is not None:
            data = self._take_whole_frames(data)
            if not data:
                return
        super().data_received(data)

    def _take_whole_frames(self, data: bytes) -> bytes:
        """Offer the small, final, unfragmented binary frames `data` starts with to the frame handler,
        without websockets' parser (which is between frames, and stays so); return the rest."""
        pos, end = 0, len(data)
        conn = self.conn
        while pos + 6 <= end and data[pos] == 0x82:  # FIN, no extension bits, binary
            length = data[pos + 1] - 0x80  # masked (as a client's frames are), no extended length
            start = pos + 6
            if not 0 <= length < 126 or start + length > end:
                break
            if (
                self.frame_handler is None or self.queue.qsize() or conn.state is not State.OPEN
                or conn.current_size is not None or conn.reader.buffer
            ):
                break
            pos = start + length
            if not self.frame_handler(apply_mask(data[start:pos], data[start - 4:start])):
                self._declined = True  # the parser hands the same frame on: not offered twice
                try:
                    super().data_received(data[start - 6:pos])
                finally:
                    self._declined = False
                break
        return data[pos:] if pos else data

    def send_receive_event_to_app(self) -> None:
        """Hand a message to the app; stop reading when many wait or it is large (the stock one stops at one)."""
        data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
        self.frames = []
        if self.close_sent:
            return  # past `websocket.close`: as the stock protocol, discard it
        if self.curr_msg_data_type == "text":
            try:
                self.queue.put_nowait({"type": "websocket.receive", "text": data.decode()})
            except UnicodeDecodeError:
                self.logger.exception("Invalid UTF-8 sequence received from client.")
                self.conn.send_close(1007)
                self.handle_parser_exception()
                return
        else:
            handler = self.frame_handler
            if handler is not None and not self._declined and not self.queue.qsize() and handler(data):
                return
            self.queue.put_nowait({"type": "websocket.receive", "bytes": data})
        if not self.read_paused and (len(data) >= LARGE_FRAME or self.queue.qsize() >= HIGH_WATER):
            self.read_paused = True
            self.transport.pause_reading()

    def send_keepalive_ping(self) -> None:
        """Ping, unless the client was heard from within the interval: then look again when it ends."""
        quiet_for = self.loop.time() - self.last_received
        if quiet_for < self.ping_interval:
            self.ping_timer = self.loop.call_later(self.ping_interval - quiet_for, self.send_keepalive_ping)
            return
        super().send_keepalive_ping()

    def write_binary(self, data: bytes) -> bool:
        """Write one binary message now, as `send` would; False when it must go through `send`."""
        if (
            self.close_sent or not self.handshake_complete or self.initial_response is not None
            or self.conn.state is not State.OPEN or not self.writable.is_set() or self.transport.is_closing()
        ):
            return False
        self.transport.write(binary_frame(data))
        return True
