"""What interviewers do to a whole session (end, reopen, let candidates run code), on every path.

The session's state lives in two places kept together: its row (for the
dashboard, the admin and REST) and the server-owned keys of its document's
`meta` (so every process and every open page sees it at once, and the gate
enforces it on every change). REST views and the JSON socket both call these.
"""
from channels.db import database_sync_to_async
from django.utils import timezone

from .. import rules
from ..models import InterviewSession
from .changes import SERVER, ChangeOrigin, Identity, Refused
from .registry import get_registry


def _check(action: str, identity: Identity, state: rules.SessionState) -> None:
    if not rules.allowed(action, identity.role, state):
        raise Refused(*rules.refusal(action, identity.role, state))


def _save(session_id: str, **fields) -> None:
    InterviewSession.objects.filter(pk=session_id).update(updated_at=timezone.now(), **fields)


async def end(session_id: str, origin: ChangeOrigin) -> None:
    """End the interview: read-only for everyone until reopened (Refused unless allowed)."""
    async with get_registry().borrow(session_id) as room:
        _check("end", origin.identity, room.session_state())
        ended_at = timezone.now()
        await database_sync_to_async(_save)(session_id, ended_at=ended_at)
        room.edit(lambda document: document.set_meta(ended_at=ended_at.isoformat()), SERVER)
        room.timeline.record("end", room.author_of(origin))


async def reopen(session_id: str, origin: ChangeOrigin) -> None:
    async with get_registry().borrow(session_id) as room:
        _check("reopen", origin.identity, room.session_state())
        await database_sync_to_async(_save)(session_id, ended_at=None)
        room.edit(lambda document: document.set_meta(ended_at=None), SERVER)
        room.timeline.record("reopen", room.author_of(origin))


async def set_candidate_may_run(session_id: str, origin: ChangeOrigin, allowed: bool) -> None:
    async with get_registry().borrow(session_id) as room:
        _check("set_candidate_may_run", origin.identity, room.session_state())
        await database_sync_to_async(_save)(session_id, candidate_may_run=allowed)
        room.edit(lambda document: document.set_meta(candidate_may_run=allowed), SERVER)


async def set_question(session_id: str, origin: ChangeOrigin, question_id: int | None, starter: str | None) -> None:
    """Start the session on another question (or none): its id for every page, and its starter code."""
    async with get_registry().borrow(session_id) as room:
        _check("set_question", origin.identity, room.session_state())
        await database_sync_to_async(_save)(session_id, question_id=question_id)
        room.edit(lambda document: document.set_meta(question_id=question_id), SERVER)
        if starter is not None:
            room.edit(lambda document: document.replace_code(starter), origin)


async def rename(session_id: str, origin: ChangeOrigin, title: str) -> None:
    """A new title, shown at once on every open page."""
    async with get_registry().borrow(session_id) as room:
        _check("rename", origin.identity, room.session_state())
        await database_sync_to_async(_save)(session_id, title=title)
        room.edit(lambda document: document.set_meta(title=title), SERVER)
