"""Persistence of session documents: the append-only update log and the cached state.

Synchronous ORM code; the event loop calls it through database_sync_to_async.
Documents built here live and die in the calling worker thread.
"""
import functools
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from time import time_ns

from django.db import connection, transaction
from django.db.models import F, Sum
from pycrdt import Doc, Map, Text, merge_updates

from ..models import InterviewSession, LogBatch, SessionEvent, SessionNotes
from . import log_batch
from .changes import SERVER_AUTHOR, Author, LogEntry, datetime_of

logger = logging.getLogger(__name__)


class SessionNotFound(LookupError):
    """No session has this id."""


def utc_now() -> datetime:
    """The time now, in UTC (Django's `timezone.now()` reads a setting on each call: per keystroke, too much)."""
    return datetime.now(UTC)


def time_for(vendor: str):
    """How a time in UTC nanoseconds (LogEntry.ns) is passed to `vendor`'s column (Django's adapter
    reads a setting per call; and `connection.vendor` is a thread-local lookup: once per batch)."""
    return _sqlite_time if vendor == "sqlite" else datetime_of


def _sqlite_time(ns: int) -> str:
    """Django's text for SQLite ("2026-11-27 17:16:06.123456"), its seconds formatted once per second
    (str() of a datetime costs more than the rest of making a row's parameters)."""
    seconds, rest = divmod(ns, 1_000_000_000)
    return f"{_second_text(seconds)}.{rest // 1000:06d}"


@functools.lru_cache(maxsize=256)
def _second_text(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class EventEntry:
    """One event for the session's timeline (models.SessionEvent)."""

    kind: str
    author: Author = SERVER_AUTHOR
    data: dict = field(default_factory=dict)
    at: datetime = field(default_factory=utc_now)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "at": self.at.isoformat(), **self.author.as_dict(), "data": self.data}


@dataclass
class PendingWrite:
    """What one room hands to a flush: new log entries and events, and the cache to refresh.

    A room that compacts hands its whole document too (`state`), and the last seq up to
    which it holds every logged update (`holds_upto`): when no other process has logged
    since, that state becomes the cached one as it is, without reading the log back.
    """

    session_id: str
    updates: list[LogEntry] = field(default_factory=list)
    code: str = ""
    language: str | None = None
    compact: bool = False
    events: list[EventEntry] = field(default_factory=list)
    state: bytes = b""
    holds_upto: int = -1
    candidate_names: list[str] = field(default_factory=list)  # new names candidates showed under


@dataclass
class NotesWrite:
    """What a notes room hands to a flush: its whole state and text (notes keep no log)."""

    session_id: str
    state: bytes = b""
    text: str = ""
    changed: bool = False

    @property
    def updates(self) -> list:
        return []


def load_notes(session_id: str) -> tuple[bytes, int]:
    """The session's notes document as one update (empty when it has none yet); notes keep no log (0)."""
    if not InterviewSession.objects.filter(pk=session_id).exists():
        raise SessionNotFound(session_id)
    notes = SessionNotes.objects.filter(session_id=session_id).only("state").first()
    return (bytes(notes.state) if notes else b""), 0


def write_notes(batch: list[NotesWrite]) -> None:
    for write in batch:
        if write.changed and InterviewSession.objects.filter(pk=write.session_id).exists():
            SessionNotes.objects.update_or_create(
                session_id=write.session_id, defaults={"state": write.state, "text": write.text}
            )


def add_candidate_names(names: dict[str, list[str]]) -> None:
    """Add the names candidates showed under to each session's list (kept short): {session id: new names}.

    Runs inside a flush's transaction, whose locking SELECT covers these rows. Raw SQL:
    the ORM built these queries anew for each name, ten times the cost of running them;
    the field converts the JSON. A name list is not worth failing a flush for: its own
    savepoint, and errors logged.
    """
    field = InterviewSession._meta.get_field("candidate_names")
    c = session_names("candidate_names")
    ids = list(names)
    where, params = id_in(ids)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT {c['id']}, {c['candidate_names']} FROM {c['table']} WHERE {c['id']} {where}",
                           params)
            changed = []
            for session_id, value in cursor.fetchall():
                known = field.from_db_value(value, None, connection) or []
                merged = list(dict.fromkeys([*known, *names[session_id]]))[:MAX_CANDIDATE_NAMES]
                if merged != known:
                    changed.append((field.get_db_prep_save(merged, connection), session_id))
            if changed:
                cursor.executemany(f"UPDATE {c['table']} SET {c['candidate_names']} = %s WHERE {c['id']} = %s",
                                   changed)
    except Exception:
        logger.exception("recording the candidates' names of %s failed", ", ".join(ids))


MAX_CANDIDATE_NAMES = 20


def load_state(session_id: str) -> bytes:
    """The session's whole document as one update: cached state plus newer log rows."""
    return load_logged(session_id)[0]


def load_logged(session_id: str) -> tuple[bytes, int]:
    """The session's whole document as one update, and the seq up to which it surely holds every update.

    The log rows are read after the session row, so they include every row up to the
    `last_seq` it had (a flush writes both in one transaction), and perhaps newer ones.
    """
    session = session_only(session_id, "state", "state_seq", "last_seq")
    if session is None:
        raise SessionNotFound(session_id)
    return merged_log(session), session.last_seq


def session_only(session_id: str, *fields: str) -> InterviewSession | None:
    """The session with only `fields` loaded (the others deferred), or None.

    Every join reads one (its identity, its room's state): one SELECT whose text is built
    once, its values converted as the ORM would, then `from_db` as the ORM does. The
    ORM built the query anew each time (575 µs); `raw()` still resolved its columns
    (156 µs); this is 55-76 µs here.
    """
    query, attnames, compiler, converters = _select_session(fields)
    with connection.cursor() as cursor:
        cursor.execute(query, [session_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = next(compiler.apply_converters([row], converters)) if converters else row
    return InterviewSession.from_db(connection.alias, attnames, values)


@functools.cache
def _select_session(fields: tuple[str, ...]) -> tuple:
    """The SELECT of a session's `fields`, their attribute names, and the ORM's compiler and converters
    for their values (made with the thread-local `connection`, so any thread may use them)."""
    wanted = {"id", *fields}
    # In the model's order: `from_db` takes the values of the fields it is given in that order.
    model_fields = [f for f in InterviewSession._meta.concrete_fields if f.name in wanted]
    columns = ", ".join(connection.ops.quote_name(model_field.column) for model_field in model_fields)
    table = connection.ops.quote_name(InterviewSession._meta.db_table)
    compiler = InterviewSession._default_manager.all().query.get_compiler(connection=connection)
    converters = compiler.get_converters([f.get_col(InterviewSession._meta.db_table) for f in model_fields])
    query = f"SELECT {columns} FROM {table} WHERE {connection.ops.quote_name(InterviewSession._meta.pk.column)} = %s"
    return query, [model_field.attname for model_field in model_fields], compiler, converters


def merged_log(session, upto_seq=None) -> bytes:
    """The session's cached state merged with its logged updates after `state_seq` (up to `upto_seq`)."""
    updates = [entry.data for _, entry in log_entries(session.pk, session.state_seq, upto_seq)]
    state = bytes(session.state)
    parts = ([state] if state else []) + updates
    if not parts:
        return b""
    return parts[0] if len(parts) == 1 else merge_updates(*parts)


def log_entries(session_id: str, after: int = 0, upto: int | None = None):
    """The session's logged updates numbered above `after` (up to `upto`), in order: (seq, LogEntry) pairs.

    Rows are read as they are needed, so a caller that stops early (a page of history)
    reads only the rows it used.
    """
    c = log_names()
    query = f"SELECT {c['seq']}, {c['data']} FROM {c['table']} WHERE {c['session']} = %s AND {c['last_seq']} > %s"
    params: list = [session_id, after]
    if upto is not None:
        query += f" AND {c['seq']} <= %s"
        params.append(upto)
    with connection.cursor() as cursor:
        cursor.execute(query + f" ORDER BY {c['seq']}", params)
        while rows := cursor.fetchmany(100):
            yield from log_batch.entries(rows, after, upto)


def log_length(session_id: str) -> int:
    """How many updates the session's log holds."""
    total = LogBatch.objects.filter(session_id=session_id).aggregate(
        n=Sum(F("last_seq") - F("seq") + 1))["n"]
    return total or 0


def write(batch: list, compact_every: int) -> dict[str, tuple[int, int]]:
    """Write every room's changes (pad logs and caches, notes) in one transaction, then compact.

    All or nothing: a flush that fails can be retried whole without logging an
    update twice. Returns each written pad's last seq before and after the write.
    """
    with transaction.atomic():
        due, written = write_pads([w for w in batch if isinstance(w, PendingWrite)], compact_every)
        write_notes([w for w in batch if isinstance(w, NotesWrite)])
    # Rooms that close are compacted now; others a few per flush, so that
    # sessions crossing the threshold together do not stall one flush.
    due.sort()
    for index, (optional, session_id) in enumerate(due):
        if optional and index >= COMPACTIONS_PER_FLUSH:
            break
        with transaction.atomic():
            compact(session_id)
    return written


def write_pads(batch: list[PendingWrite], compact_every: int) -> tuple[list[tuple[bool, str]], dict]:
    """Append every room's updates and refresh the caches, in a few statements.

    A flush covers every dirty room of the process, so the statements are shared:
    one locking SELECT, one INSERT of all new log rows, one UPDATE of all session
    rows, whatever the number of rooms. Returns the compactions due, (optional,
    session id), and each session's last seq before and after.

    It runs in a worker thread beside the event loop that serves every socket,
    so it is raw SQL with parameters prepared by hand: little Python holding the
    GIL, mostly time inside the database driver, which releases it.
    """
    batch = sorted((p for p in batch if p.updates or p.compact or p.events or p.candidate_names),
                   key=lambda p: p.session_id)
    if not batch:
        return [], {}
    db_time = time_for(connection.vendor)
    now = db_time(time_ns())
    with connection.cursor() as cursor:
        # Locking the rows serialises seq numbers between server processes; they are
        # locked in one order in every process, so two flushes never deadlock.
        where, params = id_in([p.session_id for p in batch])
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        cursor.execute(
            "SELECT {id}, {last_seq}, {state_seq} FROM {table} WHERE {id} ".format(**session_names())
            + where + " ORDER BY {id}".format(**session_names()) + lock,
            params,
        )
        locked = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
        rows, changed, due, events, states, written = [], [], [], [], [], {}
        for pending in batch:
            if pending.session_id not in locked:
                continue  # deleted while its room was live: nothing left to write to
            before, state_seq = locked[pending.session_id]
            last_seq = before
            # Every row so far is in the room's document: its state can be the cached one.
            holds_all = before == pending.holds_upto
            for start in range(0, len(pending.updates), MAX_UPDATES_PER_ROW):
                run = pending.updates[start:start + MAX_UPDATES_PER_ROW]
                rows.append((pending.session_id, last_seq + 1 + start, last_seq + start + len(run),
                             db_time(run[0].ns), log_batch.encode(run)))
            events.extend(event_row(pending.session_id, event) for event in pending.events)
            last_seq += len(pending.updates)
            changed.append((pending.session_id, last_seq, pending.code, pending.language, now))
            written[pending.session_id] = (before, last_seq)
            if last_seq > state_seq and pending.compact and pending.state and holds_all:
                states.append((pending.state, last_seq, pending.session_id))
            elif last_seq > state_seq and (pending.compact or last_seq - state_seq >= compact_every):
                due.append((not pending.compact, pending.session_id))
        if rows:
            insert_batches(cursor, rows)
        if changed:
            update_sessions(cursor, changed)
        names = {p.session_id: p.candidate_names for p in batch if p.candidate_names and p.session_id in locked}
        if names:
            add_candidate_names(names)
        if states:
            c = session_names("state")
            cursor.executemany("UPDATE {table} SET {state} = %s, {state_seq} = %s WHERE {id} = %s".format(**c), states)
        if events:
            insert_events(cursor, events)
    return due, written


def id_in(ids: list[str]) -> tuple[str, list]:
    """The condition "is one of `ids`" (after a column) and its parameters."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [ids]  # one query text for any number of sessions
    return "IN ({})".format(", ".join(["%s"] * len(ids))), ids


def event_row(session_id: str, event: EventEntry) -> tuple:
    author = event.author
    return (session_id, connection.ops.adapt_datetimefield_value(event.at), event.kind, author.name, author.role,
            author.connection_id, _EVENT_DATA.get_db_prep_save(event.data, connection))


_EVENT_DATA = SessionEvent._meta.get_field("data")


def insert_events(cursor, rows: list[tuple]) -> None:
    """INSERT timeline events (session id, at, kind, name, role, connection id, data).

    Raw SQL: `bulk_create` prepared each event's fields in Python, 200 µs an event; a run
    of the standard load has two per connection (join and leave).
    """
    c = _names(SessionEvent, "session", "at", "kind", "name", "role", "connection_id", "data")
    cursor.executemany(
        "INSERT INTO {table} ({session}, {at}, {kind}, {name}, {role}, {connection_id}, {data})"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)".format(**c),
        rows,
    )


COMPACTIONS_PER_FLUSH = 4  # the rest wait for the next flushes (their logs only grow meanwhile)
MAX_UPDATES_PER_ROW = 1000  # a flood's flush is split, so no row is too long to read a page of history from


@functools.cache
def _names(model, *fields) -> dict:
    """Quoted table and column names of `model` (looked up once: models do not change at run time)."""
    quote = connection.ops.quote_name
    meta = model._meta
    return {"table": quote(meta.db_table), **{name: quote(meta.get_field(name).column) for name in fields}}


def session_names(*fields: str) -> dict:
    return _names(InterviewSession, "id", "last_seq", "state_seq", "code", "language", "updated_at", *fields)


def log_names() -> dict:
    return _names(LogBatch, "session", "seq", "last_seq", "created_at", "data")


def insert_batches(cursor, rows: list[tuple]) -> None:
    """INSERT log rows (session id, seq, last seq, created_at, data)."""
    insert = "INSERT INTO {table} ({session}, {seq}, {last_seq}, {created_at}, {data}) ".format(**log_names())
    if connection.vendor == "postgresql":
        # One statement of five arrays, whatever the number of rows: the query text
        # never changes, so psycopg parses it once (executemany would go row by row).
        cursor.execute(
            insert + "SELECT * FROM unnest(%s::varchar[], %s::bigint[], %s::bigint[], %s::timestamptz[], %s::bytea[])",
            [list(column) for column in zip(*rows, strict=True)],
        )
    else:
        cursor.executemany(insert + "VALUES (%s, %s, %s, %s, %s)", rows)  # sqlite3 loops in C


def update_sessions(cursor, rows: list[tuple[str, int, str, str | None, object]]) -> None:
    """UPDATE each session's log position, cached text, language (unless None) and time.

    (`bulk_update` builds a CASE expression per field and row in Python; at a
    flush of every room a few times a second that cost more than the writing.)
    """
    c = session_names()
    if connection.vendor == "postgresql":
        # UPDATE ... FROM unnest(arrays): one statement, one query text (as above).
        cursor.execute(
            "UPDATE {table} AS t SET {last_seq} = v.last_seq, {code} = v.code,"
            " {language} = COALESCE(v.language, t.{language}), {updated_at} = v.updated_at"
            " FROM unnest(%s::varchar[], %s::bigint[], %s::text[], %s::varchar[], %s::timestamptz[])"
            " AS v (id, last_seq, code, language, updated_at) WHERE t.{id} = v.id".format(**c),
            [list(column) for column in zip(*rows, strict=True)],
        )
    else:
        cursor.executemany(
            "UPDATE {table} SET {last_seq} = %s, {code} = %s, {language} = COALESCE(%s, {language}),"
            " {updated_at} = %s WHERE {id} = %s".format(**c),
            [(last_seq, code, language, at, session_id) for session_id, last_seq, code, language, at in rows],
        )


def compact(session_id: str) -> None:
    """Fold the log into the cached state and plain text; the log itself is kept."""
    session = InterviewSession.objects.only("state", "state_seq", "last_seq").get(pk=session_id)
    merged = merged_log(session, upto_seq=session.last_seq)
    if not merged:
        return
    doc = Doc()
    doc.apply_update(merged)
    code = str(doc.get("code", type=Text))
    language = doc.get("meta", type=Map).get("language")
    fields = {"state": doc.get_update(), "state_seq": session.last_seq, "code": code}
    if language:
        fields["language"] = language
    InterviewSession.objects.filter(pk=session_id).update(**fields)
