"""Everything the server sends one WebSocket, in order, without ever making the sender wait.

A room fans an update out to every connection; if it awaited each send, one
reader that stops reading would stall the whole session (uvicorn's `send` waits
while the socket is full). So sends go through an outbox: written at once when
the socket takes them, queued when it does not, and bounded: a connection whose
queued plus server-buffered bytes pass the limit is too slow to keep, and is
closed (its client resyncs on reconnect; nothing is lost). So is one whose
socket took nothing for `max_stall` seconds: a reader that stopped after filling
its buffer sends no more pongs, but the server's keepalive may only ask its
transport to close after a drain that never comes, and the person would stay
listed. A frame larger than the transport allows is never handed to the server
(it would fail there, for every retry): the connection is closed with 1009
instead, and it is logged.
"""
import asyncio
import logging
from collections import deque

from .transport import ServerProbe

logger = logging.getLogger(__name__)

CLOSE_TOO_BIG = 1009
CLOSE_SLOW_READER = 4408


def frame_size(message: dict) -> int:
    data = message.get("bytes")
    if data is not None:
        return len(data)
    text = message.get("text") or ""
    return len(text) if text.isascii() else len(text.encode())


class Outbox:
    """A bounded, ordered send queue in front of one ASGI `send`.

    `put` never blocks. When the socket is writable (almost always) the message is
    written before `put` returns, with no task; otherwise a writer task finishes it
    and drains the queue. `on_broken(code, reason)` is called once, when the
    connection must go: too slow, a frame too large, or the server refused a send.
    """

    def __init__(self, send, max_buffered: int, max_frame: int, on_broken, max_stall: float):
        self._send = send
        self.probe = ServerProbe(send)
        self.max_buffered = max_buffered
        self.max_frame = min(max_frame, self.probe.max_message or max_frame)
        self.max_stall = max_stall
        self._on_broken = on_broken
        self._queue: deque[tuple[dict, int]] = deque()
        self._queued = 0
        self._writer: asyncio.Task | None = None
        self._written = 0  # sends finished by the writer task: progress
        self._added = 0  # bytes hand-overs added to the server's buffer, in its own (wire) bytes
        self._stall_timer: asyncio.TimerHandle | None = None
        self._stall_mark = (0, 0, 0)
        self.broken = False

    async def send(self, message: dict) -> None:
        """An ASGI `send` for the consumer: queue and return."""
        self.put(message)

    def put(self, message: dict) -> None:
        if self.broken:
            return
        size = frame_size(message)
        if size > self.max_frame:
            logger.error("refused to send a %d-byte frame (the transport allows %d)", size, self.max_frame)
            return self._break(CLOSE_TOO_BIG, "a message for this connection exceeds the frame limit")
        if self._writer is None and not self._queue:
            before = self.probe.buffered()
            self._write_now(message)
            held = self.probe.buffered()
            self._added += max(0, held - before)
        else:
            self._queue.append((message, size))
            self._queued += size
            held = self.probe.buffered()
        self._check(held)

    def put_binary(self, data: bytes) -> None:
        """`put` of one binary message: written by the server's own writer when nothing waits
        (per keystroke, per recipient: no message dict, one check), else as `put`."""
        write = self.probe.write_binary
        if write is not None and self._writer is None and not self._queue and not self.broken \
                and len(data) <= self.max_frame:
            before = self.probe.buffered()
            if write(data):
                held = self.probe.buffered()
                if held:
                    self._added += max(0, held - before)
                    self._check(held)
                return
        self.put({"type": "websocket.send", "bytes": data})

    def _check(self, held: int) -> None:
        """After a message was written or queued: too much held is a slow reader; watch what waits."""
        if self._queued + held > self.max_buffered:
            self._break(CLOSE_SLOW_READER, "this connection reads too slowly")
        elif self._stall_timer is None and (held or self._writer is not None):
            self._watch(held)

    @property
    def buffered(self) -> int:
        """Bytes waiting here and in the server for this connection."""
        return self._queued + self.probe.buffered()

    def _write_now(self, message: dict) -> None:
        """Run the server's send up to its first wait; finish it in a task only if it waits."""
        data = message.get("bytes")
        if data is not None and self.probe.write_binary is not None and self.probe.write_binary(data):
            return
        coroutine = self._send(message)
        try:
            waiting = coroutine.send(None)
        except StopIteration:
            return
        except Exception as exc:
            return self._failed(exc)
        self._writer = asyncio.ensure_future(self._finish(coroutine, waiting))

    async def _finish(self, coroutine, waiting) -> None:
        try:
            await resume(coroutine, waiting)
            self._written += 1
            while self._queue:
                message, size = self._queue.popleft()
                self._queued -= size
                await self._send(message)
                self._written += 1
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failed(exc)
        finally:
            self._writer = None

    def _watch(self, held: int) -> None:
        """Something waits for the socket: check in `max_stall` seconds that some of it went out."""
        self._stall_mark = (self._written, held, self._added)
        self._stall_timer = asyncio.get_running_loop().call_later(self.max_stall, self._check_stall)

    def _check_stall(self) -> None:
        self._stall_timer = None
        held = self.probe.buffered()
        if self.broken or (not held and self._writer is None):
            return  # all out
        # Out since the mark: what was held then, plus what was added since, minus what is held
        # now. (Comparing the two levels alone took a reader that kept up while new frames kept
        # coming for one that stalled: daphne's send never waits, so `_written` stays put.)
        written, held_before, added_before = self._stall_mark
        if self._written == written and held >= held_before + self._added - added_before:
            return self._break(CLOSE_SLOW_READER, f"this connection took nothing for {self.max_stall:g} s")
        self._watch(held)

    def _failed(self, exc: Exception) -> None:
        logger.debug("a send failed, the connection is gone: %r", exc)
        self._break(None, "the connection is closed")

    def _break(self, code: int | None, reason: str) -> None:
        if self.broken:
            return
        self._give_up()
        self._on_broken(code, reason)

    def _give_up(self) -> None:
        """Send nothing more: drop the queue and stop watching for a stall."""
        self.broken = True
        if self._stall_timer is not None:
            self._stall_timer.cancel()
            self._stall_timer = None
        self._queue.clear()
        self._queued = 0

    async def close_now(self, code: int, timeout: float = 1.0) -> None:
        """Drop what is queued and close: at once for a slow reader, else with a close frame.

        Sending the close frame waits at most `timeout` for the server.
        """
        self._give_up()
        if self._writer is not None:
            self._writer.cancel()
        if code == CLOSE_SLOW_READER and self.probe.abort():
            return
        try:
            await asyncio.wait_for(self._send({"type": "websocket.close", "code": code}), timeout)
        except Exception as exc:  # already closed, or the server would not take it: it closes when we return
            logger.debug("close frame not sent: %r", exc)


async def resume(coroutine, waiting) -> None:
    """Drive a coroutine that already ran to its first suspension to the end, as a task would."""
    while True:
        if waiting is None:
            await asyncio.sleep(0)  # a bare yield: let the loop run once
        else:
            waiting._asyncio_future_blocking = False
            if not waiting.done():
                try:
                    await asyncio.wait([waiting])  # the coroutine reads the result itself
                except asyncio.CancelledError:
                    coroutine.close()
                    raise
        try:
            waiting = coroutine.send(None)
        except StopIteration:
            return
