"""A long, realistic interview written straight into a server's database: for replay tests and bench.

A candidate types a program keystroke by keystroke (with corrections and a few pastes),
the interviewer adds a comment now and then, the code runs, the language changes once,
the candidate's page loses focus twice: `updates` logged updates spread over `minutes`,
each with its author and time, and the matching events on the timeline.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r'''
import json, os, random, sys
from datetime import timedelta
import django
django.setup()
from pycrdt import Array, Doc, Map, Text
from sessions_app.models import InterviewSession, SessionEvent
from sessions_app.realtime import store
from sessions_app.realtime.changes import Author

session_id, updates, minutes, seed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
session = InterviewSession.objects.get(pk=session_id)
start = session.created_at
candidate = Author("Ada Lovelace", "candidate", "yjs", "c0ffee01")
interviewer = Author("Grace Hopper", "interviewer", "yjs", "beef0002")
docs = {candidate: Doc(), interviewer: Doc()}
log, events = [], []
step = timedelta(minutes=minutes) / updates

def record(author, change, at):
    doc = docs[author]
    produced = []
    subscription = doc.observe(lambda event: produced.append(event.update))
    with doc.transaction():
        change(doc)
    doc.unobserve(subscription)
    for update in produced:
        other = docs[interviewer if author is candidate else candidate]
        other.apply_update(update)
        log.append(store.LogEntry.at_time(update, at, author))

words = ["def", "solve", "(", "nums", ")", ":", "return", "seen", "=", "{}", "for", "i", "in", "range", "len",
         "if", "target", "-", "n", "+", "1", "print", "while", "x", "not", "and", "or", "result", "append"]
for n in range(updates):
    at = start + step * n
    text = docs[candidate].get("code", type=Text)
    roll = rng.random()
    if n and n % 2500 == 0:
        pasted = "\n".join(f"# pasted line {k}" for k in range(5)) + "\n"
        record(candidate, lambda d: d.get("code", type=Text).insert(len(d.get("code", type=Text)), pasted), at)
        events.append(SessionEvent(session=session, at=at, kind="paste", name=candidate.name, role="candidate",
                                   connection_id=candidate.connection_id, data={"chars": len(pasted), "text": pasted}))
    elif n and n % 4000 == 0:
        run = {"id": f"run-{n}", "by": {"name": candidate.name, "color": "#e5484d"}, "language": "python",
               "stdout": f"{n}\n", "stderr": "", "status": "ok", "duration_ms": 40, "at": at.isoformat()}
        record(candidate, lambda d: d.get("runs", type=Array).append(run), at)
        events.append(SessionEvent(session=session, at=at, kind="run", name=candidate.name, role="candidate",
                                   connection_id=candidate.connection_id, data={"id": run["id"], "status": "ok"}))
    elif n == updates // 2:
        record(candidate, lambda d: d.get("meta", type=Map).__setitem__("language", "javascript"), at)
        events.append(SessionEvent(session=session, at=at, kind="language", name=candidate.name, role="candidate",
                                   connection_id=candidate.connection_id, data={"language": "javascript"}))
    elif n % 997 == 0:
        record(interviewer, lambda d: d.get("code", type=Text).insert(0, "# interviewer: consider edge cases\n"), at)
    elif roll < 0.12 and len(text) > 10:
        position = rng.randrange(len(text) - 1)
        record(candidate, lambda d: d.get("code", type=Text).__delitem__(slice(position, position + 1)), at)
    else:
        piece = rng.choice(words) + rng.choice([" ", " ", "\n", "\n    "])
        position = len(text) if rng.random() < 0.8 else rng.randrange(len(text) + 1)
        char = piece[n % len(piece)]
        record(candidate, lambda d: d.get("code", type=Text).insert(position, char), at)
    if n in (updates // 3, 2 * updates // 3):
        events.append(SessionEvent(session=session, at=at, kind="blur", name=candidate.name, role="candidate",
                                   connection_id=candidate.connection_id))
        events.append(SessionEvent(session=session, at=at + timedelta(seconds=20), kind="focus", name=candidate.name,
                                   role="candidate", connection_id=candidate.connection_id, data={"away_ms": 20000}))

final = docs[candidate].get("code", type=Text)
for first in range(0, len(log), 2000):
    store.write([store.PendingWrite(session_id, log[first:first + 2000], str(final), None)], compact_every=10**9)
SessionEvent.objects.bulk_create(events)
InterviewSession.objects.filter(pk=session_id).update(ended_at=start + timedelta(minutes=minutes))
print(json.dumps({"updates": len(log), "final_code_chars": len(str(final)), "events": len(events)}))
'''


def write_interview(server, session_id: str, updates: int = 20_000, minutes: float = 60, seed: int = 1) -> dict:
    """Write a long interview into `server`'s database (a ServerProcess), as its log and events."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, session_id, str(updates), str(minutes), str(seed)],
        cwd=ROOT, env={**server.env, "DJANGO_SETTINGS_MODULE": "interview_project.settings"},
        capture_output=True, text=True, check=False, timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"writing the interview failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])
