"""Update-log size per 1,000 keystrokes, and the time to load a session of 10,000 updates.

    .venv/bin/python bench/log_and_load.py [--keystrokes 1000] [--updates 10000]

Starts a real server process (daphne, SQLite), types through the y-websocket
endpoint one update per keystroke as an editor does, then reads the log sizes
from the database. For loading it builds a session of N logged updates, then
times a cold room load through the socket (connect -> whole document received),
uncompacted and after compaction.
"""
import argparse
import json
import sqlite3
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pycrdt import Doc, Text  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

from sessions_app.realtime import protocol  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

SNIPPET = (
    "def two_sum(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n"
    "        if target - n in seen:\n            return seen[target - n], i\n        seen[n] = i\n"
)


def create(server):
    request = urllib.request.Request(server.url + "/api/sessions/", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())["id"]


def open_synced(server, session_id, doc):
    """Connect and wait for the whole document (our step 1 answered)."""
    socket = connect(f"{server.ws_url}/ws/yjs/{session_id}", max_size=None)
    socket.send(protocol.sync_step1(doc.get_state()))
    while True:
        message = protocol.decode(socket.recv(timeout=60))
        if message.type is protocol.MessageType.SYNC and message.sync_type is not protocol.SyncType.STEP1:
            doc.apply_update(message.payload)
            if message.sync_type is protocol.SyncType.STEP2:
                return socket


def type_keystrokes(server, session_id, count):
    doc = Doc()
    text = doc.get("code", type=Text)
    socket = open_synced(server, session_id, doc)
    updates = []
    doc.observe(lambda event: updates.append(event.update))
    for i in range(count):
        text.insert(len(text), SNIPPET[i % len(SNIPPET)])
        socket.send(protocol.sync_update(updates.pop()))
    # Frames are handled in order: the answer to a step 1 means all were applied.
    socket.send(protocol.sync_step1(doc.get_state()))
    while protocol.decode(socket.recv(timeout=300)).sync_type is not protocol.SyncType.STEP2:
        pass
    socket.close()


def wait_flushed(db_path, session_id, updates, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(db_path) as db:
            query = "SELECT COALESCE(SUM(last_seq - seq + 1), 0) FROM sessions_app_logbatch WHERE session_id=?"
            (count,) = db.execute(query, (session_id,)).fetchone()
        if count >= updates:
            return
        time.sleep(0.1)
    raise RuntimeError("the log was not flushed in time")


def log_size(db_path, session_id):
    with sqlite3.connect(db_path) as db:
        rows, data = db.execute(
            "SELECT SUM(last_seq - seq + 1), SUM(LENGTH(data)) FROM sessions_app_logbatch WHERE session_id=?",
            (session_id,)
        ).fetchone()
        query = "SELECT LENGTH(state) FROM sessions_app_interviewsession WHERE id=?"
        (state,) = db.execute(query, (session_id,)).fetchone()
    return rows, data, state


def time_cold_load(server, session_id, repeats=5):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        doc = Doc()
        socket = open_synced(server, session_id, doc)
        times.append(time.perf_counter() - start)
        socket.close()
        time.sleep(0.5)  # let the room unload so the next load is cold again
    return statistics.median(times), str(doc.get("code", type=Text))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--keystrokes", type=int, default=1000)
    parser.add_argument("--updates", type=int, default=10000)
    args = parser.parse_args()

    # Compaction off for the build-up, so the load below really replays N logged updates.
    server = ServerProcess(env={"PAD_COMPACT_EVERY": str(10**9)}).start()
    db_path = server.env["DATABASE_URL"].removeprefix("sqlite:///")
    try:
        session_id = create(server)
        type_keystrokes(server, session_id, args.keystrokes)
        wait_flushed(db_path, session_id, args.keystrokes)
        time.sleep(1)
        rows, data, state = log_size(db_path, session_id)
        print(f"log for {args.keystrokes} keystrokes: {rows} updates, {data} bytes of log rows "
              f"({data / rows:.1f} B per update); compacted state {state} bytes")

        big = create(server)
        type_keystrokes(server, big, args.updates)
        wait_flushed(db_path, big, args.updates)
        server.stop()
        # Undo the unload's compaction so the first load replays every row.
        with sqlite3.connect(db_path) as db:
            db.execute("UPDATE sessions_app_interviewsession SET state=x'', state_seq=0 WHERE id=?", (big,))
        server.env["PAD_COMPACT_EVERY"] = str(10**9)
        server.start()
        uncompacted, code = time_cold_load(server, big, repeats=1)
        print(f"cold load of a session of {args.updates} logged updates (no cached state): {uncompacted * 1000:.1f} ms "
              f"({len(code)} chars)")
        compacted, _ = time_cold_load(server, big)
        print(f"cold load of the same session after compaction (median of 5): {compacted * 1000:.1f} ms")
    finally:
        server.close()


if __name__ == "__main__":
    main()
