"""What the ASGI server itself holds for one WebSocket: bytes not yet written, and its size limit.

ASGI has no flow control. uvicorn makes `send` wait while the socket's buffer is
full; daphne never waits: it appends to its Twisted transport's buffer, which
grows for as long as the reader does not read. Either way the outbox wants the
bytes the server still holds and a way to drop a connection at once (a reader
that stopped reading would not read a close frame either). They are found
through `send`: daphne's is a partial of its server's `handle_reply` bound to
the connection's protocol, uvicorn's a method of it; both protocols keep their
transport (Twisted's, or an asyncio one). Other servers report nothing.

The pad's own uvicorn protocol (uvicorn_protocol.py) also writes binary frames
itself, without the ASGI `send` round: `write_binary`, found the same way.
"""
from functools import partial

TWISTED_TRANSPORT = ("dataBuffer", "offset", "_tempDataBuffer", "_tempDataLen", "abortConnection")
ASYNCIO_TRANSPORT = ("get_write_buffer_size", "abort")


def _protocol(send):
    if isinstance(send, partial) and send.args:
        return send.args[0]
    return getattr(send, "__self__", None)


class ServerProbe:
    """Bytes the server still buffers for one connection, and the largest message it sends.

    `write_binary(data)`, when the server has one, writes a binary message at once and
    returns True, or returns False when it must go through `send`.
    """

    def __init__(self, send):
        protocol = _protocol(send)
        transport = getattr(protocol, "transport", None)
        self._twisted = self._asyncio = None
        if all(hasattr(transport, name) for name in TWISTED_TRANSPORT):
            self._twisted = transport
        elif all(hasattr(transport, name) for name in ASYNCIO_TRANSPORT):
            self._asyncio = transport
        self.write_binary = getattr(protocol, "write_binary", None)
        self.handle_frames_with = getattr(protocol, "handle_frames_with", None)
        limit = getattr(protocol, "maxMessagePayloadSize", 0)
        self.max_message = limit if isinstance(limit, int) and limit > 0 else None

    def buffered(self) -> int:
        if self._twisted is not None:
            transport = self._twisted
            return len(transport.dataBuffer) - transport.offset + transport._tempDataLen
        if self._asyncio is not None:
            return self._asyncio.get_write_buffer_size()
        return 0

    def abort(self) -> bool:
        """Drop the connection and what the server buffers for it; False if the server cannot say."""
        if self._twisted is not None:
            transport = self._twisted
            transport.abortConnection()
            # Twisted keeps the buffers on the transport until it is freed; a transport and its
            # protocol refer to each other, so that waits for the cyclic collector.
            transport.dataBuffer, transport.offset = b"", 0
            transport._tempDataBuffer, transport._tempDataLen = [], 0
            return True
        if self._asyncio is not None:
            self._asyncio.abort()
            return True
        return False
