"""Who is connected to a session: participants of this process and of its peers."""
import time
from dataclasses import asdict, dataclass, field

from .. import rules
from ..access import OBSERVER
from .display import ANONYMOUS, DEFAULT_COLOR

PEER_TTL_HEARTBEATS = 3


@dataclass(frozen=True)
class Participant:
    name: str
    color: str
    role: str
    client: str  # "yjs" or "json"
    status: str = "online"  # or "reconnecting": the connection dropped, its seat is kept for a while
    awareness: list = field(default_factory=list)  # the Yjs awareness client ids it shows under
    browser: str = ""  # the browser it is in (tabs of one browser share it), if the client says

    @classmethod
    def of(cls, user: dict | None, role: str, client: str, status: str = "online", awareness=()) -> "Participant":
        """A connection's participant: its stamped awareness `user` (if any) and the server's role."""
        user = user or {}
        return cls(user.get("name", ANONYMOUS), user.get("color", DEFAULT_COLOR), role, client, status,
                   sorted(awareness), user.get("browser", ""))

    def as_dict(self) -> dict:
        return asdict(self)


class PeerPresence:
    """Participants reported by other processes, each report expiring unless renewed."""

    def __init__(self, heartbeat_interval: float):
        self.ttl = heartbeat_interval * PEER_TTL_HEARTBEATS
        self._peers: dict[str, tuple[float, list[Participant]]] = {}

    def report(self, peer: str, people: list[dict]) -> bool:
        """Record a peer's participants; True when the list changed."""
        parsed = [Participant(**p) for p in people]
        previous = self._peers.get(peer)
        self._peers[peer] = (time.monotonic() + self.ttl, parsed)
        return previous is None or previous[1] != parsed

    def __bool__(self) -> bool:
        """Whether any peer is known."""
        return bool(self._peers)

    def forget(self, peer: str) -> bool:
        return self._peers.pop(peer, None) is not None

    def expire(self) -> list[str]:
        """Drop peers that stopped reporting (a process that died); return them."""
        now = time.monotonic()
        dead = [peer for peer, (deadline, _) in self._peers.items() if deadline < now]
        for peer in dead:
            del self._peers[peer]
        return dead

    def participants(self) -> list[Participant]:
        return [p for _, people in self._peers.values() for p in people]

    def silent_peers(self, seconds: float) -> list[str]:
        """Peers not heard from for longer than `seconds` (maybe dead, not yet expired)."""
        heard_before = time.monotonic() + self.ttl - seconds
        return [peer for peer, (deadline, _) in self._peers.items() if deadline < heard_before]


def visible_to(people: list[Participant], role: str, state: rules.SessionState) -> list[Participant]:
    """The participants someone of `role` may see: observers are shown to interviewers only."""
    if rules.allowed("see_observers", role, state):
        return people
    return [person for person in people if person.role != OBSERVER]


def presence_message(people: list[Participant]) -> dict:
    """The people list as sockets send it."""
    return {"type": "presence", "connected_users": len(people), "participants": [p.as_dict() for p in people]}
