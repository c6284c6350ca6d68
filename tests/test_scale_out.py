"""Two server processes (daphne and uvicorn) sharing Redis (channels_redis) and one PostgreSQL database.

A Yjs client and a JSON client on each process edit one session; edits,
awareness, the language, runs and `connected_users` cross processes. One
process is killed with SIGKILL mid-typing, its clients move to the other, and
no edit is lost, neither on screen nor in the database's update log.
"""
import json
import random
import threading
import time
from unittest import TestCase

import psycopg
from pycrdt import Doc, Text, merge_updates
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from sessions_app.realtime import log_batch
from tests.support.node import finish, start_script
from tests.support.server import ServerProcess
from tests.support.services import shared_postgres, shared_redis
from tests.test_interop import api

HEARTBEAT = 1.0  # seconds: a dead process's people expire after three of these


class JsonTyper(threading.Thread):
    """A JSON-socket client that types unique tokens and moves to `failover_url` when its server dies.

    Each whole-text write names the version it is based on (`base`), so a text
    that crosses a newer one from the server on the wire undoes nothing. On reconnecting it puts back any of
    its tokens the new server does not have (sent to a server that died before
    passing them on): the JSON protocol has no acknowledgements.
    """

    def __init__(self, url, session_id, name, failover_url=None):
        super().__init__(daemon=True)
        self.url, self.failover_url, self.session_id, self.name = url, failover_url, session_id, name
        self.text = ""
        self.count = None
        self.tokens: list[str] = []
        self.typing = threading.Event()
        self.stopping = threading.Event()
        self.commands: list[dict] = []
        self.connections = 0
        self.errors: list[dict] = []
        self._last_typed = 0.0

    def run(self):
        while not self.stopping.is_set():
            try:
                with connect(f"{self.url}/ws/session/{self.session_id}/", open_timeout=5) as socket:
                    self.session(socket)
            except (ConnectionClosed, OSError, TimeoutError):
                if self.stopping.is_set():
                    return
                if self.failover_url:
                    self.url, self.failover_url = self.failover_url, None
                else:
                    time.sleep(0.2)

    def session(self, socket):
        init = json.loads(socket.recv(timeout=5))
        assert init["type"] == "init", init
        self.connections += 1
        self.text, self.version, self.count = init["code"], init["version"], init["connected_users"]
        socket.send(json.dumps({"type": "join", "name": self.name}))
        missing = [token for token in self.tokens if token not in self.text]
        if missing:
            self.text += "".join(missing)
            socket.send(json.dumps({"type": "update", "code": self.text, "base": self.version}))
        while not self.stopping.is_set():
            while self.commands:
                socket.send(json.dumps(self.commands.pop(0)))
            try:
                message = json.loads(socket.recv(timeout=0.1))
            except TimeoutError:
                continue
            kind = message.get("type")
            if kind in ("user_count", "presence"):
                self.count = message["connected_users"]
            elif kind == "error":
                self.errors.append(message)
            elif kind == "update":
                self.text, self.version = message["code"], message["version"]
                if self.typing.is_set() and time.monotonic() - self._last_typed > 0.15:
                    self.type_token(socket)

    def type_token(self, socket):
        token = f"[{self.name}-{len(self.tokens)}]"
        boundaries = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "]"]
        at = random.choice(boundaries)
        self.text = self.text[:at] + token + self.text[at:]
        self.tokens.append(token)
        socket.send(json.dumps({"type": "update", "code": self.text, "base": self.version}))
        self._last_typed = time.monotonic()

    def stop(self):
        self.stopping.set()
        self.join(timeout=5)


def eventually(condition, what, timeout=15.0, state=lambda: ""):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what} {state()}")
        time.sleep(0.05)


def logged_text(database_url, session_id) -> str:
    """The code as the database's cached state plus update log say it is (what a restart would load)."""
    with psycopg.connect(database_url) as connection:
        state, state_seq = connection.execute(
            "SELECT state, state_seq FROM sessions_app_interviewsession WHERE id = %s", (session_id,)
        ).fetchone()
        rows = connection.execute(
            "SELECT seq, data FROM sessions_app_logbatch WHERE session_id = %s AND last_seq > %s ORDER BY seq",
            (session_id, state_seq),
        ).fetchall()
    updates = [entry.data for _, entry in log_batch.entries(rows, state_seq)]
    parts = ([bytes(state)] if state else []) + updates
    doc = Doc()
    if parts:
        doc.apply_update(merge_updates(*parts) if len(parts) > 1 else parts[0])
    return str(doc.get("code", type=Text))


class ScaleOutTests(TestCase):
    @classmethod
    def setUpClass(cls):
        redis, postgres = shared_redis(), shared_postgres()
        cls.database_url = postgres.create_database()
        env = {
            "REDIS_URL": redis.url,
            "PAD_HEARTBEAT_INTERVAL": str(HEARTBEAT),
            # A moved Yjs client sees the JSON clients' states again at their next renewal.
            "PAD_AWARENESS_RENEW_INTERVAL": "2",
        }
        # One of each ASGI server the deployment guide names.
        cls.a = ServerProcess(env=env, database_url=cls.database_url, server="daphne").start()
        cls.b = ServerProcess(env=env, database_url=cls.database_url, server="uvicorn").start()

    @classmethod
    def tearDownClass(cls):
        cls.a.close()
        cls.b.close()

    def test_two_processes_serve_one_session_and_survive_a_sigkill(self):
        a, b = self.a, self.b
        session_id = api(a, "POST", "/api/sessions/", {"code": "start"})["id"]
        yjs_names, json_names = ["Yan-A", "Yan-B"], ["Jo-A", "Jo-B"]
        node = start_script("scale_out.mjs", {
            "session": session_id, "duration_ms": 30000, "timeout_ms": 50000,
            "run": "42", "language": "javascript", "wait_names": yjs_names + json_names,
            "clients": [
                {"url": a.ws_url + "/ws/yjs", "failover_url": b.ws_url + "/ws/yjs", "name": yjs_names[0]},
                {"url": b.ws_url + "/ws/yjs", "name": yjs_names[1]},
            ],
        }, stdin=True)
        ja = JsonTyper(a.ws_url, session_id, json_names[0], failover_url=b.ws_url)
        jb = JsonTyper(b.ws_url, session_id, json_names[1])
        try:
            self.assertEqual(node.stdout.readline().strip(), "typing")
            for typer in (ja, jb):
                typer.start()
                typer.typing.set()

            # Everyone, in both processes, is counted by everyone.
            eventually(lambda: ja.count == 4 and jb.count == 4, "connected_users of 4 on both processes",
                       state=lambda: (ja.count, jb.count, ja.errors, jb.errors))
            for server in (a, b):
                participants = api(server, "GET", f"/api/sessions/{session_id}/participants")
                self.assertEqual(participants["connected_users"], 4, participants)
            jb.commands.append({"type": "update", "language": "javascript"})

            time.sleep(2.0)  # typing everywhere, across Redis
            a.kill()  # mid-typing: nothing of A's gets flushed or says goodbye

            # A's clients move to B; A's people expire instead of being counted forever.
            eventually(lambda: ja.connections == 2, "the JSON client to reconnect to B")
            eventually(lambda: ja.count == 4 and jb.count == 4, "connected_users back to 4 after A's death",
                       state=lambda: (ja.count, jb.count, ja.connections,
                                      api(b, "GET", f"/api/sessions/{session_id}/participants")))
            time.sleep(HEARTBEAT * 4)  # longer than the expiry: the count stays right
            self.assertEqual((ja.count, jb.count), (4, 4))
            participants = api(b, "GET", f"/api/sessions/{session_id}/participants")
            self.assertEqual(participants["connected_users"], 4, participants)

            for typer in (ja, jb):
                typer.typing.clear()
            time.sleep(0.3)  # the JSON clients' last edits arrive
            node.stdin.write("stop\n")
            node.stdin.flush()
            self.assertEqual(node.stdout.readline().strip(), "done typing")
            result = finish(node, timeout=60)
            final = result["texts"][0]
            eventually(lambda: ja.text == final and jb.text == final, "the JSON clients to see the final text")
        finally:
            for typer in (ja, jb):
                typer.stop()
            if node.poll() is None:
                node.kill()

        self.assertEqual(len(set(result["texts"])), 1, "the Yjs clients diverged")
        self.assertEqual(result["moved"], [True, False])
        self.assertEqual(result["languages"], ["javascript", "javascript"])
        self.assertEqual(result["runs"], [["42"], ["42"]])
        for names in result["names"]:
            self.assertEqual(names, sorted(yjs_names + json_names))
        tokens = result["tokens"] + ja.tokens + jb.tokens
        self.assertGreater(len(result["tokens"]), 100)
        self.assertGreater(len(ja.tokens) + len(jb.tokens), 10)
        missing = [token for token in tokens if token not in final]
        self.assertEqual(missing, [], "edits were lost")
        self.assertTrue(final.startswith("start") or "start" in final)
        self.assertEqual(ja.errors + jb.errors, [])

        # Written down: B logs what A passed on but never flushed.
        eventually(lambda: logged_text(self.database_url, session_id) == final, "the update log to hold every edit")
        self.assertEqual(api(b, "GET", f"/api/sessions/{session_id}/code")["code"], final)
