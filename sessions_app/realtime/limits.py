"""One budget for a session's document, checked wherever a change enters (a gate check).

The code, the runs and `meta` each have their own limits, and the whole document
has one encoded size, kept below the largest WebSocket frame so that a new
client's sync (the whole document in one message) can always be sent.
"""
from dataclasses import dataclass

from django.conf import settings

from ..languages import is_language
from .changes import DELETED, Refused

RUN_STATUSES = frozenset({"ok", "error", "timeout", "stopped"})
# Room for the "[output truncated]" marker clients append to a capped stream.
STREAM_MARKER_BYTES = 256


@dataclass(frozen=True)
class Limits:
    code_bytes: int
    document_bytes: int
    runs: int
    run_stream_bytes: int
    runs_output_bytes: int

    @classmethod
    def from_settings(cls) -> "Limits":
        pad = settings.PAD
        return cls(
            code_bytes=pad["MAX_CODE_BYTES"],
            document_bytes=pad["MAX_DOCUMENT_BYTES"],
            runs=pad["MAX_RUNS"],
            run_stream_bytes=pad["MAX_RUN_OUTPUT_BYTES"],
            runs_output_bytes=pad["MAX_RUNS_OUTPUT_BYTES"],
        )

    def check(self, change, origin, trial) -> None:
        """A gate check: refuse a change that breaks any limit of the document."""
        if change.unknown_roots:
            raise Refused("invalid", f"unknown shared type '{change.unknown_roots[0][:40]}': only code, meta and runs")
        if change.code_rich:
            raise Refused("invalid", "the code is plain text: no embeds or formatting")
        if change.code_nul:
            raise Refused("invalid", "the code may not contain NUL characters")
        if change.code_bytes > self.code_bytes:
            raise Refused("too_large", f"the code would exceed {self.code_bytes} bytes")
        for key, value in change.meta.items():
            check_meta(key, value)
        if change.runs_changed:
            self.check_runs(change, trial)
        if change.encoded_bytes > self.document_bytes:
            raise Refused("too_large", f"the session's document would exceed {self.document_bytes} bytes")

    def check_runs(self, change, trial) -> None:
        for entry in change.runs_inserted:
            self.check_run(entry)
        if change.runs_count > self.runs:
            raise Refused("too_large", f"at most {self.runs} runs are kept: remove the oldest in the same change")
        total = sum(output_bytes(entry) for entry in trial.runs.to_py())
        if total > self.runs_output_bytes:
            raise Refused("too_large", f"the runs' output would exceed {self.runs_output_bytes} bytes")

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


def output_bytes(entry) -> int:
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


RUN_FIELDS = {
    "id": _text(64),
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

# The keys of `meta` and what each may hold.
META_FIELDS = {
    "language": is_language,
}


def check_meta(key: str, value) -> None:
    validate = META_FIELDS.get(key)
    if validate is None:
        raise Refused("invalid", f"unknown setting '{str(key)[:40]}' in meta")
    if value is DELETED:
        raise Refused("invalid", f"'{key}' cannot be removed")
    if not validate(value):
        raise Refused("invalid", f"'{key}' has an invalid value")
