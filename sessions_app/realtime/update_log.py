"""Batched writes of every room's new updates: one transaction per flush interval.

One session's failure must not stop the others from saving: when the shared
transaction fails, each session is written alone, and a session that still
fails is kept aside (its updates held, retried with back-off, reported by
/health) while every other session goes on saving in the shared transaction.
"""
import asyncio
import logging
import time

from channels.db import database_sync_to_async

from . import store
from .detached import detach

logger = logging.getLogger(__name__)
SLOW_FLUSH = 0.5  # seconds: a flush slower than this is logged as a warning
MAX_RETRY_DELAY = 5.0


class SaveFailed(RuntimeError):
    """A session's changes could not be written (they are kept and retried)."""


class UpdateLog:
    """Collects rooms with unwritten changes and writes them all together, shortly after."""

    def __init__(self, flush_interval: float, compact_every: int):
        self.flush_interval = flush_interval
        self.compact_every = compact_every
        self._dirty: dict[str, object] = {}  # room key -> Room
        self._compacting: dict[str, object] = {}  # room key -> Room closing: the next flush compacts it
        self._timer: asyncio.TimerHandle | None = None
        self._lock = asyncio.Lock()
        self._retry_delay = flush_interval
        self.failing: dict[str, tuple[float, str]] = {}  # room key -> (failing since, error)

    def mark(self, room) -> None:
        """Note that `room` changed; a flush follows within the flush interval."""
        self._dirty[room.key] = room
        if self._timer is None:  # (per keystroke: the call only when a flush is not due already)
            self._schedule(self.flush_interval)

    def _schedule(self, delay: float) -> None:
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(delay, self._start_flush)

    def _start_flush(self) -> None:
        self._timer = None
        detach(self.flush(), "a flush")

    async def flush(self, compact: tuple = (), require: str | None = None) -> None:
        """Write everything pending now; rooms named in `compact` also refresh their cached state.

        Raises SaveFailed only when the room whose key `require` names could not be written.
        Rooms to compact wait for whichever flush starts next: when many close at once (a
        server's clients dropping together), one flush writes them all, not one each.
        """
        for room in compact:
            self._compacting[room.key] = room
        async with self._lock:
            if compact and require is None and not any(room.key in self._compacting for room in compact):
                return  # a flush that started meanwhile took them
            rooms = {**self._dirty, **self._compacting}
            compacting = set(self._compacting)
            self._dirty.clear()
            self._compacting.clear()
            writes = [(room, room.take_pending(compact=key in compacting)) for key, room in rooms.items()]
            if not writes:
                return
            started = time.monotonic()
            healthy = [(room, write) for room, write in writes if room.key not in self.failing]
            alone = [(room, write) for room, write in writes if room.key in self.failing]
            if healthy and not await self._write(healthy):
                alone += healthy  # find out which one failed
            failed = [(room, write) for room, write in alone if not await self._write([(room, write)])]
            took = time.monotonic() - started
            updates = sum(len(write.updates) for _, write in writes)
            (logger.warning if took > SLOW_FLUSH else logger.debug)(
                "flushed %d sessions (%d updates) in %.0f ms", len(writes), updates, took * 1000
            )
            for room, write in failed:
                # Keep the updates and try again later: a busy or restarting
                # database must not cost anyone their keystrokes.
                room.restore_pending(write)
                self._dirty[room.key] = room
            if failed:
                self._retry_delay = min(self._retry_delay * 2, MAX_RETRY_DELAY)
                self._schedule(self._retry_delay)
            else:
                self._retry_delay = self.flush_interval
            if require is not None and any(room.key == require for room, _ in failed):
                raise SaveFailed(self.failing[require][1])

    async def _write(self, writes: list) -> bool:
        """Write in one transaction; True when it worked. Records which sessions fail and why."""
        try:
            written = await database_sync_to_async(store.write)([write for _, write in writes], self.compact_every)
        except Exception as exc:
            if len(writes) == 1:
                session_id = writes[0][0].session_id
                if session_id not in self.failing:
                    logger.exception("saving session %s failed; its changes are kept and retried", session_id)
                self.failing[session_id] = (self.failing.get(session_id, (time.time(),))[0], str(exc)[:200])
            else:
                logger.warning("saving %d sessions together failed (%s); writing each alone", len(writes), exc)
            return False
        for room, write in writes:
            if write.session_id in written and room.kind.logged:
                room.logged(*written[write.session_id])
            if self.failing.pop(room.key, None):
                logger.info("session %s saves again", room.key)
        return True
