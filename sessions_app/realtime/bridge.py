"""Synchronous entry points (REST views, the admin) into the rooms on the event loop.

Called from a thread that Django started for a sync view, `async_to_sync` runs
the coroutine on the server's own event loop, where the rooms live.
"""
from asgiref.sync import async_to_sync

from .registry import get_registry
from .room import Origin


async def _edit(session_id, change):
    async with get_registry().borrow(session_id) as room:
        await room.edit(change, origin=Origin.API)


def edit_document(session_id: str, change) -> None:
    """Run `change(document)` in the session's room and write it down before returning."""
    async_to_sync(_edit)(session_id, change)


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
