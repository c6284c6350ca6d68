"""What the ASGI server itself holds for one WebSocket: bytes not yet written, and its size limit.

ASGI has no flow control. uvicorn makes `send` wait while the socket's buffer is
full, so a slow reader shows up as sends waiting in our outbox. daphne never
waits: it appends to its Twisted transport's buffer, which grows for as long as
the reader does not read. For daphne (whose `send` is a partial of its server's
`handle_reply` bound to the connection's protocol) the transport's buffer is read
here; other servers report nothing and rely on waiting sends.
"""
from functools import partial

TWISTED_TRANSPORT = ("dataBuffer", "offset", "_tempDataLen", "abortConnection")


class ServerProbe:
    """Bytes the server still buffers for one connection, and the largest message it sends."""

    def __init__(self, send):
        protocol = send.args[0] if isinstance(send, partial) and send.args else None
        self._transport = getattr(protocol, "transport", None)
        if not all(hasattr(self._transport, name) for name in TWISTED_TRANSPORT):
            self._transport = None
        limit = getattr(protocol, "maxMessagePayloadSize", 0)
        self.max_message = limit if isinstance(limit, int) and limit > 0 else None

    def buffered(self) -> int:
        transport = self._transport
        if transport is None:
            return 0
        return len(transport.dataBuffer) - transport.offset + transport._tempDataLen

    def abort(self) -> bool:
        """Drop the connection and what the server buffers for it; False if the server cannot say.

        A reader too slow to keep would not read a close frame either: waiting for
        its close handshake keeps its whole buffer alive meanwhile.
        """
        if self._transport is None:
            return False
        self._transport.abortConnection()
        return True
