"""The y-websocket wire protocol: named message types and their binary encoding.

A message is a var-uint type, then for SYNC a var-uint sub-type and a
length-prefixed payload; AWARENESS carries one length-prefixed awareness update;
QUERY_AWARENESS has no payload. ACTIVITY and RUN are this pad's own: a length-prefixed
JSON activity signal from the editor page (a paste, focus lost), or a request to start
or cancel a run on the server's runners; stock clients never send them, and the server
never sends them. Decoding never trusts a length it has not checked.
"""
from dataclasses import dataclass
from enum import IntEnum

from .. import strict_json


class MessageType(IntEnum):
    SYNC = 0
    AWARENESS = 1
    AUTH = 2
    QUERY_AWARENESS = 3
    ACTIVITY = 100
    RUN = 101


class SyncType(IntEnum):
    STEP1 = 0
    STEP2 = 1
    UPDATE = 2


class ProtocolError(ValueError):
    """A frame that does not follow the protocol."""


@dataclass(frozen=True)
class Message:
    type: MessageType
    sync_type: SyncType | None = None
    payload: bytes = b""


class Reader:
    """Reads var-uints and length-prefixed byte strings from one frame."""

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def var_uint(self) -> int:
        data, pos = self.data, self.pos  # (locals: several numbers per keystroke, client ids 5 bytes long)
        try:
            byte = data[pos]
            result, shift = byte & 0x7F, 7
            while byte >= 0x80:
                if shift > 63:
                    raise ProtocolError("malformed frame: a number is too long")
                pos += 1
                byte = data[pos]
                result |= (byte & 0x7F) << shift
                shift += 7
        except IndexError:
            raise ProtocolError("truncated frame: a number runs past the end") from None
        self.pos = pos + 1
        return result

    def var_bytes(self) -> bytes:
        length = self.var_uint()
        end = self.pos + length
        if end > len(self.data):
            raise ProtocolError("truncated frame: a payload runs past the end")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def var_string(self) -> str:
        try:
            return self.var_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError("malformed frame: a string is not UTF-8") from exc

    def at_end(self) -> bool:
        return self.pos == len(self.data)


_ONE_BYTE = [bytes((n,)) for n in range(0x80)]


def var_uint(value: int) -> bytes:
    if 0 <= value < 0x80:
        return _ONE_BYTE[value]
    out = bytearray()
    put_var_uint(out, value)
    return bytes(out)


def put_var_uint(out: bytearray, value: int) -> None:
    """Append `value` to `out` as a var-uint (for a message built in one buffer)."""
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def var_bytes(data: bytes) -> bytes:
    return var_uint(len(data)) + data


def payload_at(frame: bytes, start: int) -> bytes | None:
    """The length-prefixed payload at `start`, if it ends the frame exactly; None otherwise.

    For the read-callback path, which takes a sync update or an awareness update without
    a Message (per keystroke) and leaves anything else, malformed included, to `decode`.
    """
    end = len(frame)
    if start < end and frame[start] < 0x80:  # a length below 128: a keystroke's
        return frame[start + 1:] if frame[start] == end - start - 1 else None
    reader = Reader(frame)
    reader.pos = start
    try:
        payload = reader.var_bytes()
    except ProtocolError:
        return None
    return payload if reader.pos == end else None


def decode(frame: bytes) -> Message:
    """Parse one binary frame, raising ProtocolError when it is malformed."""
    reader = Reader(frame)
    number = reader.var_uint()
    try:
        kind = MessageType(number)
    except ValueError:
        raise ProtocolError(f"unknown message type {number}") from None
    if kind is MessageType.SYNC:
        number = reader.var_uint()
        try:
            sub = SyncType(number)
        except ValueError:
            raise ProtocolError(f"unknown sync message type {number}") from None
        message = Message(kind, sub, reader.var_bytes())
    elif kind in (MessageType.AWARENESS, MessageType.ACTIVITY, MessageType.RUN):
        message = Message(kind, None, reader.var_bytes())
    elif kind is MessageType.AUTH:
        raise ProtocolError("auth messages are not used by this server")
    else:
        message = Message(kind)
    if not reader.at_end():
        raise ProtocolError("malformed frame: trailing bytes")
    return message


def sync_step1(state_vector: bytes) -> bytes:
    return var_uint(MessageType.SYNC) + var_uint(SyncType.STEP1) + var_bytes(state_vector)


def sync_step2(update: bytes) -> bytes:
    return var_uint(MessageType.SYNC) + var_uint(SyncType.STEP2) + var_bytes(update)


def sync_update(update: bytes) -> bytes:
    return _SYNC_UPDATE + var_uint(len(update)) + update


_SYNC_UPDATE = var_uint(MessageType.SYNC) + var_uint(SyncType.UPDATE)  # (per keystroke: the prefix once)


def awareness(update: bytes) -> bytes:
    return var_uint(MessageType.AWARENESS) + var_bytes(update)


def query_awareness() -> bytes:
    return var_uint(MessageType.QUERY_AWARENESS)


def activity(signal: bytes) -> bytes:
    return var_uint(MessageType.ACTIVITY) + var_bytes(signal)


def run_request(request: bytes) -> bytes:
    return var_uint(MessageType.RUN) + var_bytes(request)


@dataclass(frozen=True)
class AwarenessEntry:
    client_id: int
    clock: int
    state: dict | None  # None: the client has left


def decode_awareness(
    update: bytes, max_state_bytes: int | None = None, max_entries: int | None = None
) -> list[AwarenessEntry]:
    """Parse an awareness update: a count, then (client id, clock, JSON state) each.

    States are strict JSON objects or null (no NaN, bounded nesting); with limits
    given, at most `max_entries` of them, each at most `max_state_bytes`.
    """
    return [
        AwarenessEntry(client_id, clock, awareness_state(client_id, raw))
        for client_id, clock, raw in read_awareness(update, max_state_bytes, max_entries)
    ]


def read_awareness(
    update: bytes, max_state_bytes: int | None = None, max_entries: int | None = None
) -> list[tuple[int, int, bytes]]:
    """`decode_awareness` with each state left as its JSON bytes (`awareness_state` reads one)."""
    reader = Reader(update)
    count = reader.var_uint()
    if max_entries is not None and count > max_entries:
        raise ProtocolError(f"an awareness update may carry at most {max_entries} states")
    entries = []
    for _ in range(count):
        client_id = reader.var_uint()
        clock = reader.var_uint()
        raw = reader.var_bytes()
        if max_state_bytes is not None and len(raw) > max_state_bytes:
            raise ProtocolError(f"awareness state of client {client_id} exceeds {max_state_bytes} bytes")
        entries.append((client_id, clock, raw))
    if not reader.at_end():
        raise ProtocolError("malformed awareness update: trailing bytes")
    return entries


def awareness_state(client_id: int, raw: bytes) -> dict | None:
    """One awareness state: a strict JSON object, or null (ProtocolError otherwise)."""
    try:
        state = strict_json.loads(raw, max_depth=8)
    except strict_json.StrictJSONError as exc:
        raise ProtocolError(f"malformed awareness state of client {client_id}: {exc}") from None
    if state is not None and not isinstance(state, dict):
        raise ProtocolError("malformed awareness state: not an object")
    return state


def encode_awareness(entries: list[AwarenessEntry]) -> bytes:
    out = bytearray(var_uint(len(entries)))
    for entry in entries:
        out += var_uint(entry.client_id) + var_uint(entry.clock)
        out += var_bytes(strict_json.dumps(entry.state).encode())
    return bytes(out)
