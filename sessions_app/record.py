"""The interview record: what interviewers review after the call, and its replay data.

Built from what is stored (the session row, its document, its update log and its
events), so it reads the same from any process. The JSON schema is documented in
docs/RECORD.md (`schema`: "interview-pad.record/1").
"""
import base64

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pycrdt import Array, Doc, Map, Text

from .models import InterviewSession, LogBatch, SessionEvent, SessionNotes
from .realtime import store
from .realtime.changes import Author

SCHEMA = "interview-pad.record/1"
ACTIVITY = ("paste", "blur", "focus", "idle")


def document_of(session: InterviewSession) -> Doc:
    doc = Doc()
    state = store.merged_log(session)
    if state:
        doc.apply_update(state)
    return doc


def event_dict(event: SessionEvent) -> dict:
    return {
        "id": event.pk, "kind": event.kind, "at": event.at.isoformat(), "name": event.name, "role": event.role,
        "connection": event.connection_id, "data": event.data,
    }


def participants(events: list[SessionEvent]) -> list[dict]:
    """Who joined and left, by connection, from the join and leave events."""
    people: dict[str, dict] = {}
    for event in events:
        if event.kind == "join" and event.connection_id not in people:
            people[event.connection_id] = {
                "name": event.name, "role": event.role, "connection": event.connection_id,
                "joined_at": event.at.isoformat(), "left_at": None,
            }
        elif event.kind == "join":
            people[event.connection_id]["name"] = event.name
        elif event.kind == "leave" and event.connection_id in people:
            people[event.connection_id]["left_at"] = event.at.isoformat()
    return list(people.values())


def build(session: InterviewSession) -> dict:
    """The whole record of a session."""
    doc = document_of(session)
    events = list(session.events.all())
    notes = SessionNotes.objects.filter(session=session).first()
    return {
        "schema": SCHEMA,
        "session": {
            "id": session.pk,
            "title": session.title,
            "created_at": session.created_at.isoformat(),
            "ended_at": session.ended_at.isoformat() if session.ended_at else None,
            "duration_seconds": int(session.duration.total_seconds()),
            "owner": session.owner.get_username() if session.owner else None,
            "interviewers": sorted(user.get_username() for user in session.co_interviewers.all()),
        },
        "code": str(doc.get("code", type=Text)),
        "language": doc.get("meta", type=Map).get("language") or session.language,
        "runs": doc.get("runs", type=Array).to_py() or [],
        "notes": notes.text if notes else "",
        "scorecard": {
            "rating": session.rating, "recommendation": session.recommendation, "comment": session.scorecard_comment,
        },
        "participants": participants(events),
        "activity": [event_dict(event) for event in events if event.kind in ACTIVITY],
        "events": [event_dict(event) for event in events],
        "history": {
            "updates": store.log_length(session.pk),
            "pruned_at": session.history_pruned_at.isoformat() if session.history_pruned_at else None,
        },
    }


def replay(session: InterviewSession) -> dict:
    """Everything the replay page needs in one answer: every logged update with its time and
    author (authors listed once), and the events to mark on the timeline."""
    authors: dict[Author, int] = {}
    steps = []
    for seq, entry in store.log_entries(session.pk):
        author = authors.setdefault(entry.author, len(authors))
        steps.append([seq, entry.ns // 1_000_000, author, base64.b64encode(entry.data).decode()])
    return {
        "session": session.pk,
        "title": session.title,
        "started_at": session.created_at.isoformat(),
        "ended_at": session.ended_at.isoformat() if session.ended_at else None,
        "pruned_at": session.history_pruned_at.isoformat() if session.history_pruned_at else None,
        "authors": [author.as_dict() for author in authors],
        "steps": steps,  # [seq, time in ms since the epoch, author index, base64 Yjs update]
        "events": [event_dict(event) for event in session.events.all()],
    }


def prune(days: int, now=None) -> list[str]:
    """Delete the update log (and so the replay) of sessions ended more than `days` ago.

    Their final code, runs, notes, scorecard and events stay: the cached state is
    brought up to date first. Returns the ids of the sessions pruned.
    """
    cutoff = (now or timezone.now()) - timezone.timedelta(days=days)
    pruned = []
    for session_id in InterviewSession.objects.filter(
        ended_at__lt=cutoff, history_pruned_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            store.compact(session_id)
            LogBatch.objects.filter(session_id=session_id).delete()
            InterviewSession.objects.filter(pk=session_id).update(history_pruned_at=timezone.now())
        pruned.append(session_id)
    return pruned


def retention_days() -> int:
    return settings.PAD["HISTORY_RETENTION_DAYS"]
