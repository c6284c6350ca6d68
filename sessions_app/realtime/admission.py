"""Connection caps: how many sockets one client address and one session may hold in this process."""
from collections import Counter

CLOSE_TOO_MANY = 4429


class Admission:
    """Counts open connections by client address and by session; refuses past the caps.

    Counts drop to nothing when the connections go, so addresses and ids seen
    once leave nothing behind.
    """

    def __init__(self, per_address: int, per_session: int):
        self.per_address = per_address
        self.per_session = per_session
        self._addresses: Counter = Counter()
        self._sessions: Counter = Counter()

    def admit(self, address: str, session_id: str) -> str | None:
        """Count a new connection in; or return why it may not connect."""
        if self._addresses[address] >= self.per_address:
            return f"too many connections from this address (at most {self.per_address})"
        if self._sessions[session_id] >= self.per_session:
            return f"this session is full (at most {self.per_session} connections)"
        self._addresses[address] += 1
        self._sessions[session_id] += 1
        return None

    def release(self, address: str, session_id: str) -> None:
        for counter, key in ((self._addresses, address), (self._sessions, session_id)):
            counter[key] -= 1
            if counter[key] <= 0:
                del counter[key]
