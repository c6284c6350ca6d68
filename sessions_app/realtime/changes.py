"""Who makes a change to a document, what the change does, and how it is refused."""
from dataclasses import dataclass, field


class Refused(Exception):
    """A change the server will not make; its sender gets an `error` with this code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Identity:
    """Who a connection or request is, as the server decided it (never as a client claims)."""

    role: str = "candidate"  # "interviewer", "candidate" or "observer"
    principal: str = "link"  # what proved it: "user:<id>", "key", "link"


@dataclass(frozen=True, eq=False)
class ChangeOrigin:
    """A typed transaction origin: who made a change, deciding its checks, its echo and its log.

    `connection` changes (sockets) and `api` changes (REST) enter the system here
    and are checked; `peer` changes were checked where they entered (another
    process) and `server` changes are the server's own.
    """

    kind: str
    identity: Identity | None = None
    connection: object = None

    @property
    def checked(self) -> bool:
        return self.kind in ("connection", "api")


PEER = ChangeOrigin("peer")
SERVER = ChangeOrigin("server")


def api_origin(identity: Identity) -> ChangeOrigin:
    return ChangeOrigin("api", identity)


@dataclass
class Change:
    """What one incoming update would do to a document, read off a trial copy."""

    code_bytes: int = 0
    code_changed: bool = False
    code_rich: bool = False  # embeds or formatting in the code text
    code_nul: bool = False  # a NUL character inserted (no database text column takes it)
    meta: dict = field(default_factory=dict)  # key -> new value, or DELETED
    runs_inserted: list = field(default_factory=list)
    runs_deleted: int = 0
    runs_count: int = 0
    unknown_roots: list = field(default_factory=list)
    encoded_bytes: int = 0  # an upper bound of the whole document's encoding

    @property
    def runs_changed(self) -> bool:
        return bool(self.runs_inserted or self.runs_deleted)

    @property
    def empty(self) -> bool:
        return not (self.code_changed or self.meta or self.runs_changed or self.unknown_roots)


DELETED = object()
