"""The server's copy of a session's awareness: who is here, their names, colours and cursors."""
from dataclasses import dataclass

from .protocol import AwarenessEntry, decode_awareness, encode_awareness


@dataclass
class _State:
    clock: int
    state: dict | None
    owner: object  # the local connection or ("peer", channel) it came through


class AwarenessStore:
    """Awareness states by Yjs client id, each remembered with the connection that owns it."""

    def __init__(self):
        self._states: dict[int, _State] = {}

    def apply(self, update: bytes, owner) -> list[AwarenessEntry]:
        """Merge an awareness update (ProtocolError if malformed); return the entries that changed."""
        changed = []
        for entry in decode_awareness(update):
            current = self._states.get(entry.client_id)
            newer = current is None or entry.clock > current.clock
            removal = current is not None and entry.clock == current.clock and entry.state is None
            if newer or removal:
                if entry.state is None:
                    self._states.pop(entry.client_id, None)
                else:
                    self._states[entry.client_id] = _State(entry.clock, entry.state, owner)
                changed.append(entry)
        return changed

    def remove_owner(self, owner) -> bytes | None:
        """Forget every state `owner` brought; return the removal update to broadcast, if any."""
        gone = [(cid, s) for cid, s in self._states.items() if s.owner == owner]
        for client_id, _ in gone:
            del self._states[client_id]
        if not gone:
            return None
        return encode_awareness([AwarenessEntry(cid, s.clock + 1, None) for cid, s in gone])

    def encode(self, owner_filter=None) -> bytes | None:
        """All states (or those whose owner passes the filter) as one awareness update."""
        entries = [
            AwarenessEntry(cid, s.clock, s.state)
            for cid, s in self._states.items()
            if owner_filter is None or owner_filter(s.owner)
        ]
        return encode_awareness(entries) if entries else None

    def users_of(self, owner) -> list[dict]:
        """The `user` fields of the states `owner` brought."""
        return [
            s.state["user"]
            for s in self._states.values()
            if s.owner == owner and isinstance(s.state.get("user"), dict)
        ]
