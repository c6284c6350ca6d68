"""Persistence of session documents: the append-only update log and the cached state.

Synchronous ORM code; the event loop calls it through database_sync_to_async.
Documents built here live and die in the calling worker thread.
"""
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from pycrdt import Doc, Map, Text, merge_updates

from ..models import DocUpdate, InterviewSession


class SessionNotFound(LookupError):
    """No session has this id."""


@dataclass
class PendingWrite:
    """What one room hands to a flush: new log entries and the cache to refresh."""

    session_id: str
    updates: list[bytes] = field(default_factory=list)
    code: str = ""
    language: str | None = None
    compact: bool = False


def load_state(session_id: str) -> bytes:
    """The session's whole document as one update: cached state plus newer log rows."""
    try:
        session = InterviewSession.objects.only("state", "state_seq").get(pk=session_id)
    except InterviewSession.DoesNotExist:
        raise SessionNotFound(session_id) from None
    rows = DocUpdate.objects.filter(session_id=session_id, seq__gt=session.state_seq)
    updates = [bytes(data) for data in rows.order_by("seq").values_list("data", flat=True)]
    state = bytes(session.state)
    parts = ([state] if state else []) + updates
    if not parts:
        return b""
    return parts[0] if len(parts) == 1 else merge_updates(*parts)


def write(batch: list[PendingWrite], compact_every: int) -> None:
    """Append every room's updates and refresh the caches, in one transaction."""
    with transaction.atomic():
        for pending in batch:
            write_one(pending, compact_every)


def write_one(pending: PendingWrite, compact_every: int) -> None:
    # Locking the row serialises seq numbers between server processes.
    session = (
        InterviewSession.objects.select_for_update()
        .only("last_seq", "state_seq")
        .filter(pk=pending.session_id)
        .first()
    )
    if session is None:
        return  # deleted while its room was live: nothing left to write to
    first = session.last_seq + 1
    DocUpdate.objects.bulk_create(
        DocUpdate(session_id=pending.session_id, seq=first + i, data=update)
        for i, update in enumerate(pending.updates)
    )
    last_seq = session.last_seq + len(pending.updates)
    fields = {"last_seq": last_seq, "code": pending.code}
    if pending.language:
        fields["language"] = pending.language
    InterviewSession.objects.filter(pk=pending.session_id).update(**fields, updated_at=timezone.now())
    if last_seq > session.state_seq and (pending.compact or last_seq - session.state_seq >= compact_every):
        compact(pending.session_id)


def compact(session_id: str) -> None:
    """Fold the log into the cached state and plain text; the log itself is kept."""
    session = InterviewSession.objects.only("state", "state_seq", "last_seq").get(pk=session_id)
    rows = DocUpdate.objects.filter(session_id=session_id, seq__gt=session.state_seq, seq__lte=session.last_seq)
    updates = [bytes(data) for data in rows.order_by("seq").values_list("data", flat=True)]
    state = bytes(session.state)
    parts = ([state] if state else []) + updates
    if not parts:
        return
    doc = Doc()
    doc.apply_update(merge_updates(*parts) if len(parts) > 1 else parts[0])
    code = str(doc.get("code", type=Text))
    language = doc.get("meta", type=Map).get("language")
    fields = {"state": doc.get_update(), "state_seq": session.last_seq, "code": code}
    if language:
        fields["language"] = language
    InterviewSession.objects.filter(pk=session_id).update(**fields)
