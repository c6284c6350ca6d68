"""Who makes a change to a document, what the change does, and how it is refused."""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from time import time_ns
from typing import Any


class Refused(Exception):
    """A change the server will not make; its sender gets an `error` with this code.

    `strike`: whether it counts towards closing a socket that keeps sending bad
    frames (a name someone else has is a mistake, not abuse).
    """

    def __init__(self, code: str, message: str, strike: bool = True):
        super().__init__(message)
        self.code = code
        self.message = message
        self.strike = strike


@dataclass(frozen=True)
class Identity:
    """Who a connection or request is, as the server decided it (never as a client claims)."""

    role: str = "candidate"  # "interviewer", "candidate" or "observer"
    principal: str = "link"  # what proved it: "user:<id>", "key", "link"
    name: str = ""  # an account's username, if any


@dataclass(frozen=True)
class Author:
    """Who made a logged change or an event, as the server knew them at that moment."""

    name: str = ""
    role: str = ""
    client: str = "server"  # "yjs", "json", "api" or "server"
    connection_id: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "client": self.client, "connection": self.connection_id}


SERVER_AUTHOR = Author()
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class LogEntry:
    """One update for the log: its bytes, when the server received it, and who made it.

    The time is kept as UTC nanoseconds since the epoch (`time.time_ns()`): one is taken
    per keystroke, and a datetime costs several times as much to make and to store.
    """

    def __init__(self, data: bytes, ns: int | None = None, author: Author = SERVER_AUTHOR):
        self.data = data
        self.ns: int = time_ns() if ns is None else ns
        self.author = author

    @classmethod
    def at_time(cls, data: bytes, at: datetime, author: Author = SERVER_AUTHOR) -> "LogEntry":
        """An entry made at `at` (an aware datetime): a recorded interview's, in tests and benchmarks."""
        return cls(data, (at - EPOCH) // timedelta(microseconds=1) * 1000, author)

    @property
    def at(self) -> datetime:
        return datetime_of(self.ns)


def datetime_of(ns: int) -> datetime:
    """The aware UTC datetime of a time in nanoseconds since the epoch (to the microsecond)."""
    return EPOCH + timedelta(microseconds=ns // 1000)


@dataclass(frozen=True, eq=False)
class ChangeOrigin:
    """A typed transaction origin: who made a change, deciding its checks, its echo and its log.

    `connection` changes (sockets) and `api` changes (REST) enter the system here
    and are checked; `peer` changes were checked where they entered (another
    process) and `server` changes are the server's own. `runner` changes are a
    server run's result, made by the server for the participant in `author`.
    """

    kind: str
    identity: Identity | None = None
    connection: Any = None
    author: Author | None = None  # who it is for, when the origin alone does not say

    @property
    def checked(self) -> bool:
        return self.kind in ("connection", "api")

    @property
    def by_participant(self) -> bool:
        """Made by (or for) a person: on the interview's timeline."""
        return self.kind in ("connection", "api", "runner")


PEER = ChangeOrigin("peer")
SERVER = ChangeOrigin("server")


def api_origin(identity: Identity) -> ChangeOrigin:
    return ChangeOrigin("api", identity)


# Plain classes, not dataclasses: one Change per keystroke, and a compiled dataclass still runs
# the generated Python __init__ (5% of the gate's time, with its default factories).
class TextChange:
    """What happened to one Text: its length after (UTF-8 bytes)."""

    def __init__(self) -> None:
        self.length = 0


class ArrayChange:
    def __init__(self) -> None:
        self.inserted: list = []
        self.deleted = 0
        self.length = 0


class Change:
    """What one incoming update does to a document, read off its observers while it is judged.

    Only the shared types it touched appear: `texts`, `maps` (key -> new value, or
    DELETED) and `arrays`, each by root name.
    """

    def __init__(self) -> None:
        self.texts: dict[str, TextChange] = {}
        self.maps: dict[str, dict] = {}
        self.arrays: dict[str, ArrayChange] = {}
        self.unknown_roots: list[str] = []
        self.encoded_bytes = 0  # an upper bound of the whole document's encoding
        self.rich = False  # inserts content that is neither text nor JSON (embeds, formatting, nested types)
        self.nul = False  # inserts text holding a NUL character (no database text column takes it)


DELETED = object()
