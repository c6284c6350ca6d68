"""The update log's row format: a run of a session's updates, each with its time and author, in one row.

A row (models.LogBatch) holds the updates numbered `seq` to `last_seq`, all that one
flush wrote for the session. Its `data` is var-uints and var-strings as the y-websocket
protocol writes them (protocol.py):

    the number of authors, then each author's name, role, client and connection id;
    the earliest update's time, in µs since the epoch;
    then each update, in order: its author's index, its time in µs after the earliest, its bytes.

A row per update cost the database thread more per keystroke than every row's fields
together (bench/README.md, "One row per flush").
"""
from collections.abc import Iterable, Iterator
from typing import Any

from .changes import Author, LogEntry
from .protocol import ProtocolError, Reader, put_var_uint


def encode(entries: list[LogEntry]) -> bytes:
    """One row's data for `entries`, in their order."""
    start = min(entry.ns for entry in entries) // 1000 if entries else 0
    # Authors by identity: a connection's entries share one Author (hashing its four strings per
    # update cost more than the rest of encoding it); an equal one found again is listed again.
    indexes: dict[int, int] = {}
    authors: list[Author] = []
    body = bytearray()
    for entry in entries:
        author = entry.author
        index = indexes.get(id(author), -1)
        if index < 0:
            index = indexes[id(author)] = len(authors)
            authors.append(author)
        put_var_uint(body, index)
        put_var_uint(body, entry.ns // 1000 - start)
        put_var_uint(body, len(entry.data))
        body += entry.data
    head = bytearray()
    put_var_uint(head, len(authors))
    for author in authors:
        for text in (author.name, author.role, author.client, author.connection_id):
            encoded = text.encode()
            put_var_uint(head, len(encoded))
            head += encoded
    put_var_uint(head, start)
    return bytes(head + body)


def decode(data: bytes) -> list[LogEntry]:
    """The entries of one row's data, in order; raises ProtocolError when it is malformed."""
    reader = Reader(data)
    authors = []
    for _ in range(reader.var_uint()):
        name, role, client = reader.var_string(), reader.var_string(), reader.var_string()
        authors.append(Author(name, role, client, reader.var_string()))
    start = reader.var_uint()
    entries = []
    while not reader.at_end():
        index = reader.var_uint()
        if index >= len(authors):
            raise ProtocolError("malformed log row: an update's author is not listed")
        ns = (start + reader.var_uint()) * 1000
        entries.append(LogEntry(reader.var_bytes(), ns, authors[index]))
    return entries


def entries(rows: Iterable[Any], after: int = 0, upto: int | None = None) -> Iterator[tuple[int, LogEntry]]:
    """The updates numbered above `after` (up to `upto`) of rows (first seq, data) in order: (seq, entry)."""
    for first, data in rows:
        for seq, entry in enumerate(decode(bytes(data)), first):
            if seq > after and (upto is None or seq <= upto):
                yield seq, entry
