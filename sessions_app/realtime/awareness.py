"""The server's copy of a session's awareness: who is here, their names, colours and cursors.

Each awareness entry (a Yjs client id) belongs to the connection that first set
it: no other connection may change or remove it. Stock providers send back
every awareness change they receive (others' states included), so entries for
ids a connection does not own are dropped without a word: an echo, or an
attempt to take over someone's entry, changes nothing either way. A connection
holds a few entries at most, each a small JSON object; the `user` field is
stamped by the server (validated name and colour, the server's role). What is
relayed to others is the server's re-encoding of what it accepted, never the
sender's bytes.
"""
from collections import OrderedDict
from dataclasses import dataclass

from .changes import Refused
from .display import stamped_user
from .protocol import AwarenessEntry, awareness_state, decode_awareness, encode_awareness, read_awareness

MAX_REMEMBERED_REMOVALS = 10_000


@dataclass
class _State:
    clock: int
    state: dict
    owner: object  # the local connection, or ("peer", channel) it came through


class AwarenessStore:
    """Awareness states by Yjs client id, each remembered with the connection that owns it."""

    def __init__(self, max_state_bytes: int = 4096, max_states_per_owner: int = 4):
        self.max_state_bytes = max_state_bytes
        self.max_states_per_owner = max_states_per_owner
        self._states: dict[int, _State] = {}
        self.version = 0  # counts changes of the states, so what is read from them can be kept until one
        # Clocks of removed entries, so a late echo of a departed client's state is
        # not taken for a new entry (y-protocols keeps the same for the same reason).
        self._removed: OrderedDict[int, int] = OrderedDict()

    def apply(
        self, update: bytes, owner, role: str | None = None, reserved_names=tuple, takeover=lambda owner: False
    ) -> list[AwarenessEntry]:
        """Merge an awareness update from `owner`; return the entries that changed (to relay).

        `role` is given for a local connection: its entries are checked (ownership,
        count, size) and stamped with that role, and may not use the names
        `reserved_names()` gives (casefolded; the interviewers'; asked only for a state
        that shows a name: most messages are echoes of others' states). Without it (a
        peer process, which checked them where they entered) entries are taken as they
        are. An entry whose owner `takeover(owner)` says is gone but kept (grace.py)
        passes to the connection that sends it again, at the same clock or a newer one
        (a client that comes back sends its state as it was).
        Raises ProtocolError when malformed, Refused when not allowed; nothing is
        applied then.
        """
        taken = set()
        if role is None:
            entries = decode_awareness(update)
        else:
            entries = [
                AwarenessEntry(client_id, clock, awareness_state(client_id, raw))
                for client_id, clock, raw in read_awareness(update, self.max_state_bytes, self.max_states_per_owner)
                if self._may_set(client_id, owner, takeover)
            ]
            taken = {
                entry.client_id for entry in entries
                if (current := self._states.get(entry.client_id)) is not None and current.owner is not owner
                and entry.state is not None and entry.clock >= current.clock and takeover(current.owner)
            }
            entries = self._checked(entries, owner, role, reserved_names, taken)
        changed = []
        for entry in entries:
            current = self._states.get(entry.client_id)
            newer = current is None or entry.clock > current.clock or entry.client_id in taken
            removal = current is not None and entry.clock == current.clock and entry.state is None
            if newer or removal:
                if entry.state is None:
                    self._forget(entry.client_id, entry.clock)
                else:
                    self._states[entry.client_id] = _State(entry.clock, entry.state, owner)
                    self.version += 1
                changed.append(entry)
        return changed

    def _may_set(self, client_id: int, owner, takeover) -> bool:
        """Whether `owner` may set this entry: a new one, its own, or one it may take over. The
        others (most messages: echoes of others' states) are dropped unread."""
        current = self._states.get(client_id)
        return current is None or current.owner is owner or takeover(current.owner)

    def _checked(self, entries, owner, role: str, reserved_names, taken) -> list[AwarenessEntry]:
        """The entries `owner` may set (its own, and those it takes over), stamped; Refused past the count."""
        owned = sum(1 for s in self._states.values() if s.owner is owner)
        checked = []
        for entry in entries:
            current = self._states.get(entry.client_id)
            if entry.client_id in taken:
                owned += 1
            elif current is not None and current.owner is not owner:
                continue  # another connection's entry
            if entry.state is None:
                checked.append(entry)
                continue
            if current is None:
                if entry.clock <= self._removed.get(entry.client_id, -1):
                    continue  # a late echo of a state that was removed
                owned += 1
                if owned > self.max_states_per_owner:
                    limit = self.max_states_per_owner
                    raise Refused("too_many", f"a connection may hold at most {limit} awareness states")
            state = dict(entry.state)
            if "user" in state:
                state["user"] = stamped_user(state["user"], role)
                if state["user"]["name"].casefold() in reserved_names():
                    raise Refused(
                        "name_taken", f"'{state['user']['name']}' is an interviewer's name here", strike=False
                    )
            checked.append(AwarenessEntry(entry.client_id, entry.clock, state))
        return checked

    def put(self, client_id: int, state: dict | None, owner) -> AwarenessEntry:
        """Set (None: remove) a state the server itself holds for `owner` (a server run's live output)."""
        current = self._states.get(client_id)
        clock = (current.clock if current else self._removed.get(client_id, -1)) + 1
        if state is None:
            self._forget(client_id, clock)
        else:
            self._states[client_id] = _State(clock, state, owner)
            self.version += 1
        return AwarenessEntry(client_id, clock, state)

    def remove_owner(self, owner) -> bytes | None:
        """Forget every state `owner` brought; return the removal update to broadcast, if any."""
        gone = [(cid, s) for cid, s in self._states.items() if s.owner == owner]
        for client_id, state in gone:
            self._forget(client_id, state.clock + 1)
        if not gone:
            return None
        return encode_awareness([AwarenessEntry(cid, s.clock + 1, None) for cid, s in gone])

    def _forget(self, client_id: int, clock: int) -> None:
        self._states.pop(client_id, None)
        self.version += 1
        self._removed[client_id] = clock
        self._removed.move_to_end(client_id)
        while len(self._removed) > MAX_REMEMBERED_REMOVALS:
            self._removed.popitem(last=False)

    def encode(self, owner_filter=None) -> bytes | None:
        """All states (or those whose owner passes the filter) as one awareness update."""
        entries = [
            AwarenessEntry(cid, s.clock, s.state)
            for cid, s in self._states.items()
            if owner_filter is None or owner_filter(s.owner)
        ]
        return encode_awareness(entries) if entries else None

    def ids_of(self, owner) -> list[int]:
        """The awareness client ids `owner` holds."""
        return [cid for cid, s in self._states.items() if s.owner == owner]

    def users_of(self, owner) -> list[dict]:
        """The `user` fields of the states `owner` brought."""
        return [
            s.state["user"]
            for s in self._states.values()
            if s.owner == owner and isinstance(s.state.get("user"), dict)
        ]

