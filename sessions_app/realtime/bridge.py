"""Synchronous entry points (REST views, the admin) into the rooms on the event loop.

Called from a thread that Django started for a sync view, `async_to_sync` runs
the coroutine on the server's own event loop, where the rooms live.
"""
from asgiref.sync import async_to_sync

from .changes import api_origin
from .registry import get_registry


async def _edit(session_id, change, identity):
    async with get_registry().borrow(session_id) as room:
        room.edit(change, api_origin(identity))


def edit_document(session_id: str, change, identity) -> None:
    """Run `change(document)` in the session's room for `identity`, written down before returning.

    Raises Refused when a check refuses the change (nothing changes then), and
    SaveFailed when it could not be written (it is kept and retried).
    """
    async_to_sync(_edit)(session_id, change, identity)


async def _participants(session_id):
    return await get_registry().everyone(session_id)


def participants(session_id: str) -> list:
    """Who is connected to the session, in every process."""
    return async_to_sync(_participants)(session_id)


async def _disconnect_all(session_id):
    room = get_registry().rooms.get(session_id)
    for connection in list(room.connections if room else ()):
        if hasattr(connection, "close"):
            await connection.close(code=4404)


def disconnect_all(session_id: str) -> None:
    """Close every socket of a deleted session with 4404."""
    async_to_sync(_disconnect_all)(session_id)


async def _saving_failures():
    return dict(get_registry().update_log.failing)


def saving_failures() -> dict:
    """Sessions whose changes this process currently cannot write: id -> (since, error)."""
    return async_to_sync(_saving_failures)()
