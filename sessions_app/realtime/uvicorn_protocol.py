"""uvicorn's WebSocket protocol, minus three per-frame costs the pad's traffic does not need.

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
"""
import struct

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

HIGH_WATER = 16  # frames waiting for the app before the socket is no longer read
LARGE_FRAME = 64 * 1024  # bytes: a frame this large stops reading at once, as the stock protocol does


def binary_frame_header(length: int) -> bytes:
    """The header of a final, unmasked binary frame of `length` bytes (RFC 6455, 5.2)."""
    if length < 126:
        return bytes((0x82, length))
    if length < 65536:
        return struct.pack("!BBH", 0x82, 126, length)
    return struct.pack("!BBQ", 0x82, 127, length)


class PadWebSocketProtocol(WebSocketsSansIOProtocol):
    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self.last_received = self.loop.time()

    def data_received(self, data: bytes) -> None:
        self.last_received = self.loop.time()
        super().data_received(data)

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
        self.transport.write(binary_frame_header(len(data)) + data)
        return True
