"""Batched writes of every room's new updates: one transaction per flush interval."""
import asyncio
import contextvars
import logging
import time

from channels.db import database_sync_to_async

from . import store

logger = logging.getLogger(__name__)
SLOW_FLUSH = 0.5  # seconds: a flush slower than this is logged as a warning


class UpdateLog:
    """Collects rooms with unwritten changes and writes them all together, shortly after."""

    def __init__(self, flush_interval: float, compact_every: int):
        self.flush_interval = flush_interval
        self.compact_every = compact_every
        self._dirty: dict[str, object] = {}  # session id -> Room
        self._timer: asyncio.TimerHandle | None = None
        self._lock = asyncio.Lock()
        self._retry_delay = flush_interval

    def mark(self, room) -> None:
        """Note that `room` changed; a flush follows within the flush interval."""
        self._dirty[room.session_id] = room
        if self._timer is None:
            loop = asyncio.get_running_loop()
            # A fresh context: `mark` may run inside a REST request's async_to_sync,
            # and a flush inheriting that would send its database work to the
            # request's thread, gone by then ("CurrentThreadExecutor already quit").
            self._timer = loop.call_later(self.flush_interval, self._start_flush, context=contextvars.Context())

    def _start_flush(self) -> None:
        self._timer = None
        asyncio.ensure_future(self._flush_in_background())

    async def _flush_in_background(self) -> None:
        try:
            await self.flush()
        except Exception:
            pass  # logged and rescheduled by flush()

    async def flush(self, compact: tuple = ()) -> None:
        """Write everything pending now; rooms named in `compact` also refresh their cached state."""
        async with self._lock:
            rooms = list(self._dirty.values())
            self._dirty.clear()
            for room in compact:
                if room.session_id not in {r.session_id for r in rooms}:
                    rooms.append(room)
            started = time.monotonic()
            batch = [room.take_pending(compact=room in compact) for room in rooms]
            if not batch:
                return
            try:
                await database_sync_to_async(store.write)(batch, self.compact_every)
                self._retry_delay = self.flush_interval
                took = time.monotonic() - started
                (logger.warning if took > SLOW_FLUSH else logger.debug)(
                    "flushed %d sessions (%d updates) in %.0f ms", len(batch), sum(len(p.updates) for p in batch), took * 1000
                )
            except Exception:
                # Keep the updates and try again later: a busy or restarting
                # database must not cost anyone their keystrokes.
                logger.exception("flushing %d sessions failed; retrying", len(batch))
                for room, pending in zip(rooms, batch):
                    room.restore_pending(pending)
                    self._dirty[room.session_id] = room
                self._retry_delay = min(self._retry_delay * 2, 5.0)
                if self._timer is None:
                    loop = asyncio.get_running_loop()
                    self._timer = loop.call_later(self._retry_delay, self._start_flush, context=contextvars.Context())
                raise
