"""One budget per document, checked wherever a change enters (a gate check).

In the pad, the code, the runs and `meta` each have their own limits; the notes
are plain text. Each document as a whole has one encoded size, kept below the
largest WebSocket frame so that a new client's sync (the whole document in one
message) can always be sent.
"""
from dataclasses import dataclass

from django.conf import settings

from ..languages import is_language
from .changes import DELETED, Change, Refused

RUN_STATUSES = frozenset({"ok", "error", "timeout", "stopped"})
# Room for the "[output truncated]" marker clients append to a capped stream.
STREAM_MARKER_BYTES = 256
MAX_NOTES_BYTES = 256 * 1024


def check_plain_text(change: Change, name: str, limit: int) -> None:
    if change.rich:
        raise Refused("invalid", "a session's documents hold plain text and JSON values: no embeds, formatting"
                      " or nested types")
    text = change.texts.get(name)
    if text is None:
        return
    if change.nul:
        raise Refused("invalid", f"the {name} may not contain NUL characters")
    if text.length > limit:
        raise Refused("too_large", f"the {name} would exceed {limit} bytes")


def check_roots_and_size(change: Change, limit: int) -> None:
    if change.unknown_roots:
        raise Refused("invalid", f"unknown shared type '{change.unknown_roots[0][:40]}'")
    if change.encoded_bytes > limit:
        raise Refused("too_large", f"the session's document would exceed {limit} bytes")


@dataclass(frozen=True)
class PadLimits:
    code_bytes: int
    document_bytes: int
    run_stream_bytes: int

    @classmethod
    def from_settings(cls) -> "PadLimits":
        pad = settings.PAD
        return cls(pad["MAX_CODE_BYTES"], pad["MAX_DOCUMENT_BYTES"], pad["MAX_RUN_OUTPUT_BYTES"])

    def check(self, change: Change, origin, gate) -> None:
        """A gate check: refuse a change that breaks any limit of the pad.

        The number of runs and their total output are not refused but trimmed by
        the server (oldest first) after a run is added: clients only ever append.
        """
        check_plain_text(change, "code", self.code_bytes)
        for key, value in change.maps.get("meta", {}).items():
            check_meta(key, value)
        runs = change.arrays.get("runs")
        if runs is not None:
            for entry in runs.inserted:
                self.check_run(entry)
        check_roots_and_size(change, self.document_bytes)

    def check_run(self, entry) -> None:
        if not isinstance(entry, dict):
            raise Refused("invalid", "a run is a JSON object")
        unknown = set(entry) - set(RUN_FIELDS)
        if unknown:
            raise Refused("invalid", f"unknown run field '{sorted(unknown)[0][:40]}'")
        missing = REQUIRED_RUN_FIELDS - set(entry)
        if missing:
            raise Refused("invalid", f"a run needs '{sorted(missing)[0]}'")
        for key, value in entry.items():
            if not RUN_FIELDS[key](value, self):
                raise Refused("invalid", f"run field '{key}' is not valid")


@dataclass(frozen=True)
class NotesLimits:
    document_bytes: int

    def check(self, change: Change, origin, gate) -> None:
        """A gate check: the notes are plain text of bounded size."""
        check_plain_text(change, "notes", MAX_NOTES_BYTES)
        check_roots_and_size(change, self.document_bytes)


def output_bytes(entry) -> int:
    """The bytes of a run's output (stdout and stderr)."""
    if not isinstance(entry, dict):
        return 0
    return sum(len(entry[key].encode()) for key in ("stdout", "stderr") if isinstance(entry.get(key), str))


def _text(limit):
    return lambda value, limits: isinstance(value, str) and len(value) <= limit


def _stream(value, limits) -> bool:
    return isinstance(value, str) and len(value.encode()) <= limits.run_stream_bytes + STREAM_MARKER_BYTES


def _person(value, limits) -> bool:
    return (
        isinstance(value, dict)
        and set(value) <= {"name", "color"}
        and all(isinstance(v, str) and len(v) <= 80 for v in value.values())
    )


def _duration(value, limits) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1e9


def _test_results(value, limits) -> bool:
    """Per-case results of a test run: [{name, passed, expected?, got?, ms?, error?}]."""
    if not isinstance(value, list) or len(value) > 100:
        return False
    fields = {"name": _text(100), "passed": lambda v, limits: isinstance(v, bool), "expected": _text(2000),
              "got": _text(2000), "ms": _duration, "error": _text(2000)}
    return all(
        isinstance(case, dict) and set(case) <= set(fields) and "name" in case and "passed" in case
        and all(fields[key](item, limits) for key, item in case.items())
        for case in value
    )


def _counts(value, limits) -> bool:
    """{passed, total} of the hidden cases: numbers only, never their inputs or outputs."""
    return (
        isinstance(value, dict) and set(value) == {"passed", "total"}
        and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100 for v in value.values())
    )


RUN_FIELDS = {
    "id": _text(64),
    "kind": lambda value, limits: value in ("run", "tests"),
    "tests": _test_results,
    "hidden": _counts,
    "for_run": _text(64),
    "stdin": _stream,
    "by": _person,
    "language": lambda value, limits: is_language(value),
    "stdout": _stream,
    "stderr": _stream,
    "status": lambda value, limits: isinstance(value, str) and value in RUN_STATUSES,
    "message": _text(1000),
    "duration_ms": _duration,
    "at": _text(40),
}
REQUIRED_RUN_FIELDS = frozenset({"id", "by", "language", "stdout", "stderr", "status", "duration_ms", "at"})

# The keys of `meta` and what each may hold. Who may set which is a rule (authority.py).
META_FIELDS = {
    "language": is_language,
    "ended_at": lambda value: isinstance(value, str) and len(value) <= 40,
    "candidate_may_run": lambda value: isinstance(value, bool),
    "question_id": lambda value: isinstance(value, int) and not isinstance(value, bool) and value > 0,
    "title": lambda value: isinstance(value, str) and len(value) <= 200,
}


def check_meta(key: str, value) -> None:
    validate = META_FIELDS.get(key)
    if validate is None:
        raise Refused("invalid", f"unknown setting '{str(key)[:40]}' in meta")
    if value is DELETED:
        if key == "language":
            raise Refused("invalid", f"'{key}' cannot be removed")
        return
    if not validate(value):
        raise Refused("invalid", f"'{key}' has an invalid value")
