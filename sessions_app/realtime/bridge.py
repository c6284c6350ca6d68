"""Synchronous entry points (REST views, the admin) into the rooms on the event loop.

Called from a thread that Django started for a sync view, `async_to_sync` runs
the coroutine on the server's own event loop, where the rooms live.
"""
from asgiref.sync import async_to_sync

from . import session_actions
from .changes import api_origin
from .kinds import NOTES, PAD, DocumentKind
from .registry import get_registry


async def _edit(session_id, change, identity, kind):
    async with get_registry().borrow(session_id, kind) as room:
        room.edit(change, api_origin(identity))


def edit_document(session_id: str, change, identity, kind: DocumentKind = PAD) -> None:
    """Run `change(document)` in the session's room of `kind` for `identity`, written down before returning.

    Raises Refused when a check refuses the change (nothing changes then), and
    SaveFailed when it could not be written (it is kept and retried).
    """
    async_to_sync(_edit)(session_id, change, identity, kind)


def end(session_id: str, identity) -> None:
    async_to_sync(session_actions.end)(session_id, api_origin(identity))


def reopen(session_id: str, identity) -> None:
    async_to_sync(session_actions.reopen)(session_id, api_origin(identity))


def rename(session_id: str, identity, title: str) -> None:
    async_to_sync(session_actions.rename)(session_id, api_origin(identity), title)


def set_question(session_id: str, identity, question_id: int | None, starter: str | None) -> None:
    async_to_sync(session_actions.set_question)(session_id, api_origin(identity), question_id, starter)


def set_candidate_may_run(session_id: str, identity, allowed: bool) -> None:
    async_to_sync(session_actions.set_candidate_may_run)(session_id, api_origin(identity), allowed)


async def _participants(session_id):
    return await get_registry().everyone(session_id)


def participants(session_id: str) -> list:
    """Who is connected to the session, in every process."""
    return async_to_sync(_participants)(session_id)


async def _disconnect_all(session_id):
    registry = get_registry()
    for kind in (PAD, NOTES):
        room = registry.rooms.get(kind.room_key(session_id))
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


async def _open_pads():
    return sum(1 for room in get_registry().rooms.values() if room.kind is PAD)


def open_pads() -> int:
    """How many sessions have their pad open in this process."""
    return async_to_sync(_open_pads)()
