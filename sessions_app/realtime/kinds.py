"""The kinds of shared document a session has, and what differs between them.

A room holds one document of one kind; the kind says which shared types it has,
which checks guard it, how it is stored and who may connect to it.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from . import store
from .authority import notes_actions, notes_state, pad_actions, pad_state, rules_check
from .document import NotesDocument, PadDocument
from .limits import NotesLimits, PadLimits


@dataclass(frozen=True)
class DocumentKind:
    name: str
    document: type
    checks: Callable[[], list]  # the gate's checks, made from the settings
    load: Callable[[str], tuple[bytes, int]]  # session id -> the stored document as one update, and the seq
    # up to which it holds every logged update (store.load_logged; 0 for a kind without a log)
    pending_write: type  # what a flush writes
    connect_action: str  # the rule a connection needs (rules.py)
    logged: bool  # whether each update is logged (the pad) or the state kept whole (notes)

    def room_key(self, session_id: str) -> str:
        return session_id if self.name == "pad" else f"{session_id}/{self.name}"


def _pad_checks() -> list:
    return [
        PadLimits.from_settings().check,
        rules_check(pad_actions, pad_state),
    ]


def _notes_checks() -> list:
    return [
        NotesLimits(settings.PAD["MAX_DOCUMENT_BYTES"]).check,
        rules_check(notes_actions, notes_state),
    ]


PAD = DocumentKind("pad", PadDocument, _pad_checks, store.load_logged, store.PendingWrite, "read_session", True)
NOTES = DocumentKind(
    "notes", NotesDocument, _notes_checks, store.load_notes, store.NotesWrite, "read_notes", False
)
