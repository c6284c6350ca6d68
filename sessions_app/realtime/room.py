"""A Room: the live document of one session in this process, and everyone connected to it."""
import logging

from channels.db import database_sync_to_async

from . import store
from .awareness import AwarenessStore
from .document import PadDocument
from .presence import Participant

logger = logging.getLogger(__name__)


async def deliver(send, payload) -> None:
    """Send to one connection; one that closed meanwhile (its leave is on its way) must
    not stop the fan-out to the others, nor the leave that is sending this."""
    try:
        await send(payload)
    except Exception as exc:
        logger.debug("dropped a message for a closing connection: %s", exc)


class Origin:
    """Where a change came from, deciding where it goes next."""

    API = "api"  # a REST write: logged, sent to every connection and peer
    PEER = "peer"  # another process: sent to local connections only; that process logs it


class Room:
    """Applies each change once, then logs it, fans it out locally and publishes it to peers.

    Touched only from the event loop. Connections implement `send_update`,
    `send_awareness`, `presence_changed` and `client_kind`.
    """

    def __init__(self, session_id: str, update_log, peers_factory, max_code_bytes: int):
        self.session_id = session_id
        self.document = PadDocument(max_code_bytes)
        self.awareness = AwarenessStore()
        self.connections: set = set()
        self.update_log = update_log
        self.peers = peers_factory(self)
        self._pending: list[bytes] = []
        self._changes: list[bytes] = []
        self._last_presence: list[Participant] | None = None
        self._has_peer_updates = False  # applied updates that another process logs

    # Lifecycle ---------------------------------------------------------------

    async def load(self) -> None:
        """Read the stored document, then start listening to peers (who fill in what we lack)."""
        state = await database_sync_to_async(store.load_state)(self.session_id)
        if state:
            self.document.doc.apply_update(state)
        self.document.doc.observe(lambda event: self._changes.append(event.update))
        await self.peers.start()

    async def close(self) -> None:
        """Stop listening to peers and write everything down, refreshing the cached state."""
        # A peer that missed its last heartbeat may have died before anyone
        # noticed (it expires after three): log what it passed on, to be sure.
        adopt = self._has_peer_updates and self.peers.unconfirmed_peers()
        await self.peers.stop()
        if adopt:
            self.adopt_unlogged()
        await self.update_log.flush(compact=(self,))

    def adopt_unlogged(self) -> None:
        """Log the whole document as one more update (idempotent for a CRDT).

        Updates from another process are logged by that process; when it dies
        before its flush, this covers them.
        """
        self._pending.append(self.document.diff())
        self.update_log.mark(self)

    # Changes to the document -------------------------------------------------

    async def apply_update(self, update: bytes, origin) -> None:
        """Apply a Yjs update from a connection, the API or a peer (ValueError if rejected)."""
        self.document.apply_update(update)
        if origin == Origin.PEER:
            self._has_peer_updates = True
        await self._dispatch(origin)

    async def edit(self, change, origin=Origin.API) -> None:
        """Run `change(document)`, e.g. a whole-text replacement, as one set of CRDT edits."""
        try:
            change(self.document)
        finally:
            # Whatever part of the change was made must still be logged and sent.
            await self._dispatch(origin)

    async def _dispatch(self, origin) -> None:
        changes, self._changes = self._changes, []
        for update in changes:
            if origin != Origin.PEER:
                self._pending.append(update)
                await self.peers.publish_update(update)
            for connection in list(self.connections):
                if connection is not origin:
                    await deliver(connection.send_update, update)
        if changes:
            self.update_log.mark(self)

    def take_pending(self, compact=False) -> store.PendingWrite:
        """Hand the unwritten updates and a snapshot of the text to a flush."""
        pending, self._pending = self._pending, []
        return store.PendingWrite(self.session_id, pending, self.document.code, self.document.language, compact)

    def restore_pending(self, write: store.PendingWrite) -> None:
        """Put back updates whose flush failed, ahead of any newer ones."""
        self._pending = write.updates + self._pending

    # Awareness and presence --------------------------------------------------

    async def apply_awareness(self, update: bytes, origin) -> None:
        """Merge an awareness update (ProtocolError if malformed) and relay it."""
        changed = self.awareness.apply(update, origin)
        if not changed:
            return
        if not isinstance(origin, tuple):  # tuples are peers: they relay their own
            await self.peers.publish_awareness(update)
        await self._send_awareness(update, origin)
        if any(entry.state is None or "user" in entry.state for entry in changed):
            await self.presence_changed()

    async def forget_awareness(self, owner) -> None:
        """Remove the states a departed connection or peer brought, telling everyone."""
        removal = self.awareness.remove_owner(owner)
        if removal:
            if not isinstance(owner, tuple):
                await self.peers.publish_awareness(removal)
            await self._send_awareness(removal, owner)

    async def _send_awareness(self, update: bytes, origin) -> None:
        for connection in list(self.connections):
            if connection is not origin:
                await deliver(connection.send_awareness, update)

    def local_participants(self) -> list[Participant]:
        people = []
        for connection in self.connections:
            if connection.client_kind == "api":
                continue
            users = self.awareness.users_of(connection)
            people.append(Participant.from_user(users[0] if users else None, connection.client_kind))
        return people

    def participants(self) -> list[Participant]:
        """Everyone connected to this session, in every process."""
        return self.local_participants() + self.peers.participants()

    async def presence_changed(self, publish=True) -> None:
        """Tell connections (and peers) when the participant list changed."""
        people = self.participants()
        if people == self._last_presence:
            return
        self._last_presence = people
        if publish:
            await self.peers.publish_presence()
        for connection in list(self.connections):
            await deliver(connection.presence_changed, people)

    # Connections -------------------------------------------------------------

    async def add(self, connection) -> None:
        self.connections.add(connection)
        await self.presence_changed()

    async def remove(self, connection) -> None:
        self.connections.discard(connection)
        await self.forget_awareness(connection)
        await self.presence_changed()
