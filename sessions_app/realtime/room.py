"""A Room: the live document of one session in this process, and everyone connected to it."""
import asyncio
import logging
from time import time_ns
from typing import Any

from .. import rules
from ..access import CANDIDATE, INTERVIEWER
from ..languages import is_language
from . import database_calls, store
from .awareness import AwarenessStore
from .changes import PEER, SERVER, SERVER_AUTHOR, Author, ChangeOrigin, LogEntry
from .display import ANONYMOUS
from .gate import Gate
from .grace import Grace
from .kinds import PAD, DocumentKind
from .limits import output_bytes
from .presence import Participant
from .protocol import encode_awareness
from .timeline import Timeline

logger = logging.getLogger(__name__)


class Room:
    """Judges each change once, then applies, logs, fans it out locally and publishes it to peers.

    Touched only from the event loop, and never waits on a connection: sends go
    to each connection's outbox. Connections implement `deliver_update`,
    `deliver_awareness`, `presence_changed`, `client_kind` and `identity`.
    The document's kind (kinds.py) gives its shared types, the gate's checks and
    its storage; `key` names the room (the session id, or "<id>.notes").
    """

    def __init__(self, session_id: str, update_log, peers_factory, config: dict, kind: DocumentKind = PAD):
        self.session_id = session_id
        self.kind = kind
        self.key = kind.room_key(session_id)
        self.config = config
        self.gate = Gate(kind.document(), kind.checks(), config["MAX_DOCUMENT_BYTES"])
        self.awareness = AwarenessStore(config["AWARENESS_MAX_STATE_BYTES"], config["AWARENESS_MAX_STATES"])
        self.connections: set = set()
        self._recipients: tuple = ()  # the connections, as a tuple: the fan-out's, made when they change
        self._authors: dict = {}  # connection -> (awareness version, identity, Author): author_of_connection
        self.update_log = update_log
        self.peers = peers_factory(self)
        self._pending: list[LogEntry] = []
        self.timeline = Timeline(self)
        self.grace = Grace(self, config["PRESENCE_GRACE"])
        self._last_presence: list[Participant] | None = None
        self._last_local: list[Participant] | None = None
        self._presence_timer: asyncio.TimerHandle | None = None
        self._has_peer_updates = False  # applied updates that another process logs
        self._holds_upto = -1  # the seq up to which the document holds every logged update (-1: none known)
        self._changed = False  # since the last flush (for a kind whose state is kept whole)
        self._candidates_seen: set[str] = set()
        self._new_candidates: list[str] = []  # names seen since the last flush, for the session's list
        self.opening: asyncio.Future | None = None  # set by the registry: loading
        self.closing: asyncio.Future | None = None  # set by the registry: unloading

    @property
    def document(self) -> Any:
        """The session's live document (kept by the gate, which replaces it to take back a refused change)."""
        return self.gate.document

    # Lifecycle ---------------------------------------------------------------

    def session_state(self) -> rules.SessionState:
        """The session's state (ended, candidates may run) as the pad's document shows it."""
        return self.gate.current_session_state()

    @property
    def is_open(self) -> bool:
        """Loaded and not unloading."""
        opening = self.opening
        loaded = opening is not None and opening.done() and not opening.cancelled() and opening.exception() is None
        return loaded and self.closing is None

    async def load(self) -> None:
        """Read the stored document, then start listening to peers (who fill in what we lack)."""
        state, self._holds_upto = await database_calls.run(self.kind.load, self.session_id)
        if state:
            self.gate.follow(state)
        await self.peers.start()

    def _stop_timers(self) -> None:
        if self._presence_timer is not None:
            self._presence_timer.cancel()
        self.grace.close()

    def discard(self) -> None:
        """Let go of a room that never finished loading."""
        self._stop_timers()
        self.gate.close()

    async def close(self) -> None:
        """Stop listening to peers and write everything down, refreshing the cached state."""
        self._stop_timers()
        # A peer that missed its last heartbeat may have died before anyone
        # noticed (it expires after three): log what it passed on, to be sure.
        adopt = self._has_peer_updates and self.peers.unconfirmed_peers()
        await self.peers.stop()
        if adopt:
            self.adopt_unlogged()
        try:
            await self.update_log.flush(compact=(self,))
        finally:
            self.gate.close()

    def adopt_unlogged(self) -> None:
        """Log the whole document as one more update (idempotent for a CRDT).

        Updates from another process are logged by that process; when it dies
        before its flush, this covers them.
        """
        self._pending.append(LogEntry(self.document.diff()))
        self.update_log.mark(self)

    # Changes to the document -------------------------------------------------

    def apply_update(self, update: bytes, origin: ChangeOrigin) -> None:
        """Apply a Yjs update from a connection, the API or a peer.

        Raises Refused (a check said no) or ValueError (undecodable); the
        document is unchanged then.
        """
        if origin.checked:
            integrated = self.gate.admit(update, origin)
        else:
            integrated = self.gate.follow(update)
        if integrated:
            self._commit(integrated, origin)

    def edit(self, change, origin: ChangeOrigin) -> None:
        """Run `change(document)` (e.g. a whole-text write) as one checked set of CRDT edits."""
        integrated = self.gate.admit_edit(change, origin)
        if integrated:
            self._commit(integrated, origin)

    def _commit(self, update: bytes, origin: ChangeOrigin) -> None:
        """Log and fan out an update the gate admitted (the document has it already)."""
        if origin is PEER:
            self._has_peer_updates = True
        else:
            author = self.author_of(origin)
            if not self._pending:  # (a room with pending entries is marked already, until its flush takes them)
                self.update_log.mark(self)
            self._pending.append(LogEntry(update, time_ns(), author))
            self._changed = True
            self.peers.publish_update(update)
        for connection in self._recipients:
            if connection is not origin.connection:
                connection.deliver_update(update)
        change = self.gate.last_change
        if (change.arrays or change.maps) and origin.by_participant:  # (not a keystroke's: its code only)
            self.timeline.changed(change, author)
            if "runs" in change.arrays:
                self._trim_runs()

    def author_of(self, origin: ChangeOrigin) -> Author:
        """Who made a change coming from `origin`, as the server knows them now."""
        if origin.author is not None:
            return origin.author
        if origin.kind == "connection":
            return self.author_of_connection(origin.connection)
        identity = origin.identity
        if origin.kind == "api" and identity is not None:
            return Author(identity.name or identity.principal, identity.role, "api")
        return SERVER_AUTHOR

    def author_of_connection(self, connection) -> Author:
        # Asked on every keystroke: kept per connection until the awareness states change.
        version, identity = self.awareness.version, connection.identity
        kept = self._authors.get(connection)
        if kept is not None and kept[0] == version and kept[1] is identity:
            return kept[2]
        users = self.awareness.users_of(connection)
        name = users[0]["name"] if users else ANONYMOUS
        author = Author(name, identity.role, connection.client_kind, connection.connection_id)
        self._authors[connection] = (version, identity, author)
        return author

    def _trim_runs(self) -> None:
        """Keep the newest runs within the caps: clients only append, the server drops the oldest."""
        self.edit(
            lambda document: document.trim_runs(
                self.config["MAX_RUNS"], self.config["MAX_RUNS_OUTPUT_BYTES"], output_bytes
            ),
            SERVER,
        )

    def take_pending(self, compact=False):
        """Hand what is unwritten to a flush: new log entries and the cache, or the whole state."""
        pending, self._pending = self._pending, []
        events = self.timeline.take()
        if not self.kind.logged:
            changed, self._changed = self._changed, False
            return store.NotesWrite(self.session_id, self.document.diff(), self.document.text, changed)
        code, language = self.document.code_and_language()
        language = language if is_language(language) else None
        state = self.document.diff() if compact else b""
        names, self._new_candidates = self._new_candidates, []
        return store.PendingWrite(self.session_id, pending, code, language, compact, events, state, self._holds_upto,
                                  names)

    def logged(self, before: int, after: int) -> None:
        """Note that a flush took the log from `before` to `after`: when nobody else had logged since
        what the document surely holds, the document holds every update up to `after` now."""
        if before == self._holds_upto:
            self._holds_upto = after

    def restore_pending(self, write) -> None:
        """Put back what a failed flush did not write, ahead of anything newer."""
        self._pending = write.updates + self._pending
        self.timeline.restore(getattr(write, "events", []))
        self._changed = self._changed or getattr(write, "changed", False)
        self._new_candidates = getattr(write, "candidate_names", []) + self._new_candidates

    # Awareness and presence --------------------------------------------------

    def apply_awareness(self, update: bytes, origin: ChangeOrigin | tuple) -> None:
        """Merge an awareness update and relay what changed (ProtocolError, Refused).

        `origin` is a connection's ChangeOrigin, or ("peer", channel) for another process.
        """
        owner: object
        role: Any
        reserved: Any
        if isinstance(origin, tuple):
            owner, role, reserved = origin, None, tuple
        else:
            owner, role = origin.connection, origin.identity.role  # type: ignore[union-attr]
            if not rules.allowed("show_presence", role, self.session_state()):
                # Someone not shown to others (an observer): what it sends is dropped without a
                # word, as stock providers send back everyone's states they receive.
                return
            reserved = self.interviewer_names if role != INTERVIEWER else tuple
        changed = self.awareness.apply(update, owner, role, reserved, takeover=self.grace.is_kept)
        if not changed:
            return
        if role is not None and self.grace.kept():
            self.grace.returned(owner)
        if role is not None and self.kind is PAD and any(entry.state and "user" in entry.state for entry in changed):
            self.timeline.named(owner, self.author_of_connection(owner))
        relay = encode_awareness(changed)
        if role is not None:
            self.peers.publish_awareness(relay)
        self._send_awareness(relay, owner)
        if any(entry.state is None or "user" in entry.state for entry in changed):
            self.presence_changed()

    def set_server_awareness(self, owner, client_id: int, state: dict | None) -> None:
        """Show (None: withdraw) a state of the server's own to everyone, here and in other processes."""
        update = encode_awareness([self.awareness.put(client_id, state, owner)])
        self.peers.publish_awareness(update)
        self._send_awareness(update, owner)

    def forget_awareness(self, owner) -> None:
        """Remove the states a departed connection or peer brought, telling everyone."""
        removal = self.awareness.remove_owner(owner)
        if removal:
            if not isinstance(owner, tuple):
                self.peers.publish_awareness(removal)
            self._send_awareness(removal, owner)

    def _send_awareness(self, update: bytes, owner) -> None:
        for connection in list(self.connections):
            if connection is not owner:
                connection.deliver_awareness(update)

    def local_participants(self, role: str | None = None) -> list[Participant]:
        """Everyone connected to this session here (with `role`, only those of that role)."""
        people = []
        for connection, status in [(c, "online") for c in self.connections] + [
            (c, "reconnecting") for c in self.grace.kept()
        ]:
            if connection.client_kind == "api" or role not in (None, connection.identity.role):
                continue
            users = self.awareness.users_of(connection)
            people.append(Participant.of(
                users[0] if users else None, connection.identity.role, connection.client_kind, status,
                self.awareness.ids_of(connection),
            ))
        return people

    def participants(self) -> list[Participant]:
        """Everyone connected to this session, in every process."""
        return self.local_participants() + self.peers.participants()

    def interviewer_names(self) -> set[str]:
        """Names interviewers here show under (casefolded): nobody else may take them."""
        interviewers = self.local_participants(INTERVIEWER) + self.peers.participants()
        return {p.name.casefold() for p in interviewers if p.role == INTERVIEWER and p.name != ANONYMOUS}

    def presence_changed(self) -> None:
        """Someone came, went or was renamed: tell everyone soon, once for all changes meanwhile.

        Coalesced, so that a crowd joining or leaving costs one list per interval
        instead of one list per person to every person.
        """
        if self._presence_timer is None:
            loop = asyncio.get_running_loop()
            self._presence_timer = loop.call_later(self.config["PRESENCE_INTERVAL"], self._announce_presence)

    def _announce_presence(self) -> None:
        self._presence_timer = None
        local = self.local_participants()
        if local != self._last_local:
            self._last_local = local
            self.peers.publish_presence()
            self._remember_candidates(local)
        people = local + self.peers.participants()
        if people == self._last_presence:
            return
        self._last_presence = people
        for connection in list(self.connections):
            connection.presence_changed(people)

    def _remember_candidates(self, people) -> None:
        """Write down the names candidates showed under (for the interviewers' dashboard)."""
        names = {p.name for p in people if p.role == CANDIDATE and p.name != ANONYMOUS} - self._candidates_seen
        if names and self.kind is PAD:
            self._candidates_seen |= names
            self._new_candidates.extend(sorted(names))
            self.update_log.mark(self)  # written with the next flush

    # Connections -------------------------------------------------------------

    def add(self, connection) -> None:
        self.connections.add(connection)
        self._recipients = tuple(self.connections)
        self.presence_changed()

    def remove(self, connection, lost: bool = False) -> None:
        """A connection left; one that was `lost` (not closed on purpose) keeps its seat for a while."""
        if self.kind is PAD and connection.client_kind != "api":
            self.timeline.left(connection, self.author_of_connection(connection))
        self.connections.discard(connection)
        self._recipients = tuple(self.connections)
        self._authors.pop(connection, None)
        if not (lost and self.grace.keep(connection)):
            self.forget_awareness(connection)
        self.presence_changed()

