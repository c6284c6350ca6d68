"""The interview's timeline in one room: runs, language changes, people joining and leaving,
end and reopen, and the candidate's activity signals.

Each event is written with the room's next flush (models.SessionEvent), shown at once to the
session's interviewers connected here, and passed to the other processes for theirs (not to
be written again there). Events are facts, worded neutrally where they are shown.
"""
from .. import rules
from ..languages import is_language
from .changes import Author
from .store import EventEntry, utc_now

MAX_PASTE_TEXT = 16 * 1024  # characters of a paste kept in the record
ACTIVITY_KINDS = {"paste", "blur", "focus", "idle"}


class Timeline:
    def __init__(self, room):
        self.room = room
        self._pending: list[EventEntry] = []
        self._joined: dict[object, str] = {}  # local connection -> the name it joined under

    def record(self, kind: str, author: Author, data: dict | None = None) -> None:
        event = EventEntry(kind, author, data or {}, utc_now())
        self._pending.append(event)
        self.room.update_log.mark(self.room)
        shown = event.as_dict()
        self.show(shown)
        self.room.peers.publish_event(shown)

    def show(self, event: dict) -> None:
        """Send an event to the interviewers connected here (from this process or another)."""
        state = self.room.session_state()
        for connection in list(self.room.connections):
            if rules.allowed("see_activity", connection.identity.role, state):
                connection.deliver_event(event)

    def take(self) -> list[EventEntry]:
        events, self._pending = self._pending, []
        return events

    def restore(self, events: list[EventEntry]) -> None:
        self._pending = events + self._pending

    # What the room tells the timeline.

    def changed(self, change, author: Author) -> None:
        """A change was applied: note the runs it added and a new language."""
        runs = change.arrays.get("runs")
        for entry in runs.inserted if runs else ():
            if isinstance(entry, dict):
                self.record("run", author, {key: entry.get(key) for key in ("id", "language", "status", "duration_ms")})
        language = change.maps.get("meta", {}).get("language")
        if is_language(language):
            self.record("language", author, {"language": language})

    def named(self, connection, author: Author) -> None:
        """A local connection shows a name: it joined (once), or it was renamed."""
        previous = self._joined.get(connection)
        if previous is None:
            self._joined[connection] = author.name
            self.record("join", author)
        elif previous != author.name:
            self._joined[connection] = author.name
            self.record("join", author, {"renamed_from": previous})

    def left(self, connection, author: Author) -> None:
        if self._joined.pop(connection, None) is not None:
            self.record("leave", author)

    def activity(self, author: Author, signal: dict) -> None:
        """A client's activity signal (paste, blur, focus, idle), validated; ValueError if malformed."""
        kind, data = parse_activity(signal)
        self.record(kind, author, data)


def parse_activity(signal) -> tuple:
    """(kind, data) of an activity signal: {"kind", "chars"/"text" for a paste, "away_ms"/"idle_ms"}."""
    if not isinstance(signal, dict) or signal.get("kind") not in ACTIVITY_KINDS:
        raise ValueError(f"an activity signal is one of: {', '.join(sorted(ACTIVITY_KINDS))}")
    kind = signal["kind"]
    if kind == "paste":
        text = signal.get("text")
        if not isinstance(text, str):
            raise ValueError("a paste carries its 'text'")
        return kind, {"chars": len(text), "text": text[:MAX_PASTE_TEXT], "truncated": len(text) > MAX_PASTE_TEXT}
    data = {}
    for field in ("away_ms", "idle_ms"):
        value = signal.get(field)
        if value is not None:
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**9:
                raise ValueError(f"'{field}' must be a number of milliseconds")
            data[field] = value
    return kind, data
