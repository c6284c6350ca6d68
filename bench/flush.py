"""CPU the database thread spends per logged keystroke: `store.write` of the standard load's flushes.

    .venv/bin/python bench/flush.py [--flushes 40] [--sessions 100] [--per-session 15]

A fresh SQLite database (WAL, as the server runs it), migrated; then flushes as the
server makes them at S=100 C=3 K=5 (a flush a second: 100 sessions of 15 new updates of
a keystroke's size each, with their authors), through the server's own `store.write`.
Prints the process CPU time per logged update. Compaction is left out (--compact-every
above the total), as at this load it happens once a session closes.
"""
import argparse
import statistics
import time

from fresh_database import fresh_database


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flushes", type=int, default=40)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--per-session", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with fresh_database("pad-flush-"):
        figures = [one_run(args) for _ in range(args.repeats)]
    print(f"{statistics.median(figures):.2f} µs of CPU per logged update (median of {args.repeats}: "
          f"{', '.join(f'{figure:.2f}' for figure in figures)}); {args.sessions} sessions x "
          f"{args.per_session} updates per flush, {args.flushes} flushes")


def one_run(args) -> float:
    """CPU µs per update of `args.flushes` flushes into new sessions."""
    from sessions_app.models import InterviewSession
    from sessions_app.realtime.changes import Author
    from sessions_app.realtime.store import LogEntry, PendingWrite, write

    ids = [InterviewSession.objects.create().pk for _ in range(args.sessions)]
    author = Author("bench-1", "candidate", "yjs", "abcdefgh12345678")
    update = bytes(range(30))  # a keystroke's update is about this long
    spent = 0.0
    for _ in range(args.flushes):
        batch = [PendingWrite(session_id, [LogEntry(update, author=author) for _ in range(args.per_session)],
                              code="x" * 300, language="python") for session_id in ids]
        started = time.process_time()
        write(batch, compact_every=10**9)
        spent += time.process_time() - started
    return spent / (args.flushes * args.sessions * args.per_session) * 1e6


if __name__ == "__main__":
    main()
