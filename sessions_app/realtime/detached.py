"""Which task's context shared work runs in, and waiting for it when cancelled.

Rooms are loaded, unloaded and flushed for whoever comes first, often a REST
request inside `async_to_sync`. Database calls made in that request's context go
to the request's thread, which exists only while the request awaits. So work the
request awaits is awaited *fully*: a client hanging up (asgiref passes the
cancellation on) must neither cut a flush that writes every session half-way nor
leave the request's thread before the work it started there is done. Work that
outlives its starter (timers, a room's background loops) runs detached, in a
fresh context.
"""
import asyncio
import contextvars
import logging

logger = logging.getLogger(__name__)


def detach(coroutine, what: str) -> asyncio.Task:
    """Run `coroutine` as a task of its own in a fresh context; its failure is logged as `what`."""
    task = asyncio.get_running_loop().create_task(coroutine, context=contextvars.Context())
    task.add_done_callback(lambda done: _log_failure(done, what))
    return task


def _log_failure(task: asyncio.Task, what: str) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("%s failed", what, exc_info=task.exception())


async def await_fully(task: asyncio.Future):
    """Await `task` to its end even if the caller is cancelled meanwhile; then pass the cancellation on."""
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(task)
            break
        except asyncio.CancelledError:
            if task.done():
                raise  # the task itself was cancelled
            cancelled = True
    if cancelled:
        raise asyncio.CancelledError
    return result
