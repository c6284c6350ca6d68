"""The joins' reads on the database thread, many per hop.

Each `database_sync_to_async` call is a hop to the database thread and back: about 250 µs
of CPU here (two thread wake-ups, asgiref's context copy, Django's connection check before
and after), more than the read a join makes. Joins come in bursts (an interview's people
at once, a server's clients reconnecting after a restart), so the calls made while one hop
is under way wait for it and then go together in the next: one hop, one connection check.
"""
import asyncio
import weakref

from channels.db import database_sync_to_async


def _run_all(calls: list) -> list:
    """On the database thread: each call's (True, result) or (False, exception), in order."""
    outcomes = []
    for function, args, _ in calls:
        try:
            outcomes.append((True, function(*args)))
        except Exception as exc:  # that call's error, raised in its caller; the others go on
            outcomes.append((False, exc))
    return outcomes


class DatabaseCalls:
    """Synchronous database functions queued for the database thread by one event loop."""

    def __init__(self) -> None:
        self._waiting: list = []
        self._hops: asyncio.Task | None = None

    async def run(self, function, *args):
        """`function(*args)` on the database thread: its result, or its exception raised here."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((function, args, future))
        if self._hops is None or self._hops.done():
            # A task of its own: a caller cancelled mid-hop must not strand the others' calls.
            self._hops = asyncio.ensure_future(self._hop_until_done())
        return await future

    async def _hop_until_done(self) -> None:
        while self._waiting:
            calls, self._waiting = self._waiting, []
            try:
                outcomes = await database_sync_to_async(_run_all)(calls)
            except asyncio.CancelledError:  # the loop is shutting down: so are the callers
                for _, _, future in calls + self._waiting:
                    future.cancel()
                self._waiting = []
                raise
            except Exception as exc:  # the hop itself failed: every call of it did
                outcomes = [(False, exc)] * len(calls)
            for (_, _, future), (ok, value) in zip(calls, outcomes, strict=True):
                if future.done():  # its caller gave up waiting
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)


_queues: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, DatabaseCalls]" = weakref.WeakKeyDictionary()


async def run(function, *args):
    """`function(*args)` on the database thread, in the running loop's next hop."""
    loop = asyncio.get_running_loop()
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = DatabaseCalls()
    return await queue.run(function, *args)
