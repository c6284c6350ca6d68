"""CPU the database thread spends on one join: the connection's identity, the room's load and
the candidate's name, each through the server's own function, on a fresh SQLite database.

    .venv/bin/python bench/join_queries.py [--calls 2000] [--repeats 3]

A session with a 300-update log (as the standard load leaves one after 20 s, cached state
empty) is read by `connection.identify` (a candidate's link, no cookie), `store.load_state`
and `store.add_candidate_names` (a session's first candidate: each call names one in another
session, made beforehand). Prints the process CPU time
per call of each, the median of the repeats. At S=300 a run of the standard load makes 900
identities, 300 loads and 300 first names.
"""
import argparse
import statistics
import time

from fresh_database import fresh_database


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with fresh_database("pad-joins-"):
        session_id = logged_session()
        calls = dict(join_calls(session_id, args.calls * args.repeats + 1))
        for name, call in calls.items():
            call()  # (caches, prepared statements)
            figures = [per_call(call, args.calls) for _ in range(args.repeats)]
            print(f"{name:22} {statistics.median(figures):7.1f} µs of CPU per call "
                  f"(median of {args.repeats}: {', '.join(f'{figure:.1f}' for figure in figures)})")


def logged_session() -> str:
    from pycrdt import Doc, Text

    from sessions_app.models import InterviewSession
    from sessions_app.realtime import store

    session = InterviewSession.objects.create()
    doc, updates = Doc(), []
    doc.observe(lambda event: updates.append(event.update))
    text = doc.get("code", type=Text)
    for n in range(300):
        text.insert(n, "x")
    store.write([store.PendingWrite(session.pk, [store.LogEntry(update) for update in updates], str(text))], 10**9)
    return session.pk


def join_calls(session_id: str, calls: int):
    from sessions_app.models import InterviewSession
    from sessions_app.realtime import connection, store

    fresh = iter(InterviewSession.objects.bulk_create(InterviewSession() for _ in range(calls)))
    yield "identify", lambda: connection.identify(session_id, {"headers": []})
    yield "load_state", lambda: store.load_state(session_id)
    yield "add_candidate_names", lambda: store.add_candidate_names({next(fresh).pk: ["Ada Lovelace"]})


def per_call(call, calls: int) -> float:
    started = time.process_time()
    for _ in range(calls):
        call()
    return (time.process_time() - started) / calls * 1e6


if __name__ == "__main__":
    main()
