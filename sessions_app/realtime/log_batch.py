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
from .changes import Author, LogEntry
from .protocol import ProtocolError, Reader, var_bytes, var_uint


def encode(entries: list[LogEntry]) -> bytes:
    """One row's data for `entries`, in their order."""
    authors: dict[Author, int] = {}
    start = min(entry.ns for entry in entries) // 1000 if entries else 0
    body: list[bytes] = []
    last: Author | None = None
    index = 0
    for entry in entries:
        if entry.author is not last:  # (an author's run of updates shares one Author: hash it once)
            last = entry.author
            index = authors.setdefault(last, len(authors))
        body.append(var_uint(index))
        body.append(var_uint(entry.ns // 1000 - start))
        body.append(var_bytes(entry.data))
    head = [var_uint(len(authors))]
    for author in authors:
        for text in (author.name, author.role, author.client, author.connection_id):
            head.append(var_bytes(text.encode()))
    head.append(var_uint(start))
    return b"".join(head + body)


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
