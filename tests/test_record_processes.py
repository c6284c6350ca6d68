"""Authorship across processes (issue 11): two servers (daphne and uvicorn) on Redis and one
PostgreSQL database; Yjs, JSON and REST writes made through each are logged once, by the
process they entered, under the right author; a run is one event on the timeline."""
import base64
import json
import time
from unittest import TestCase

from pycrdt import Array, Doc, Text
from websockets.sync.client import connect

from sessions_app.realtime import protocol
from tests.support.server import ServerProcess, api, create_session
from tests.support.services import shared_postgres, shared_redis
from tests.test_hostile_sockets import run_entry


def eventually(condition, what, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def shown_version(socket, code, timeout=15.0):
    """The version of the first init or update a JSON client receives with `code`."""
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(socket.recv(timeout=max(0.0, deadline - time.monotonic())))
        if message.get("type") in ("init", "update") and message.get("code") == code:
            return message["version"]


class YjsWriter:
    """A y-websocket client named by its awareness state, writing through one server."""

    def __init__(self, server, session_id, name, client_id):
        self.doc = Doc()
        self.socket = connect(f"{server.ws_url}/ws/yjs/{session_id}")
        user = {"user": {"name": name, "color": "#e5484d"}}
        self.socket.send(protocol.awareness(protocol.encode_awareness([protocol.AwarenessEntry(client_id, 1, user)])))
        self.socket.send(protocol.sync_step1(self.doc.get_state()))
        while True:  # the server's step 2: we have the document
            message = protocol.decode(self.socket.recv(timeout=10))
            if message.type is protocol.MessageType.SYNC and message.sync_type is protocol.SyncType.STEP2:
                self.doc.apply_update(message.payload)
                break

    def change(self, change):
        updates = []
        subscription = self.doc.observe(lambda event: updates.append(event.update))
        with self.doc.transaction():
            change(self.doc)
        self.doc.unobserve(subscription)
        for update in updates:
            self.socket.send(protocol.sync_update(update))


class AuthorshipAcrossProcessesTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        database_url = shared_postgres().create_database()
        env = {"REDIS_URL": shared_redis().url, "PAD_FLUSH_INTERVAL": "0.1"}
        cls.a = ServerProcess(env=env, database_url=database_url, server="daphne").start()
        cls.b = ServerProcess(env=env, database_url=database_url, server="uvicorn").start()

    @classmethod
    def tearDownClass(cls):
        cls.a.close()
        cls.b.close()
        super().tearDownClass()

    def code(self, session_id):
        return api(self.a, "GET", f"/api/sessions/{session_id}/code")["code"]

    def test_writes_through_each_process_are_logged_once_under_their_authors(self):
        a, b = self.a, self.b
        session_id, key = create_session(a)
        ada = YjsWriter(a, session_id, "Ada", 101)
        with connect(f"{b.ws_url}/ws/session/{session_id}/") as grace:
            grace.send(json.dumps({"type": "join", "name": "Grace"}))
            ada.change(lambda doc: doc.get("code", type=Text).insert(0, "from A\n"))
            eventually(lambda: self.code(session_id) == "from A\n", "A's edit to be stored")
            # Like a real client, Grace edits the text she was shown. Until B has shown her A's
            # edit (relayed, then coalesced), her whole-text write is over "" and adds it twice.
            version = shown_version(grace, "from A\n")
            grace.send(json.dumps({"type": "update", "code": "from A\nfrom B\n", "base": version}))
            eventually(lambda: self.code(session_id) == "from A\nfrom B\n", "B's edit to be stored")
            api(b, "PUT", f"/api/sessions/{session_id}/code", {"code": "from A\nfrom B\nREST on B\n"}, key=key)
            api(a, "PUT", f"/api/sessions/{session_id}/code", {"code": "from A\nfrom B\nREST on B\nREST on A\n"},
                key=key)
            ada.change(lambda doc: doc.get("runs", type=Array).append(run_entry("1\n", id="run-a")))
            eventually(lambda: len(api(a, "GET", f"/api/sessions/{session_id}/history", key=key)["results"]) >= 6,
                       "every write to be logged")
            history = api(a, "GET", f"/api/sessions/{session_id}/history", key=key)["results"]
        ada.socket.close()
        authors = [(s["author"]["name"], s["author"]["role"], s["author"]["client"]) for s in history]
        self.assertEqual(authors, [
            ("key", "interviewer", "api"),  # the creation: the session's language
            ("Ada", "candidate", "yjs"), ("Grace", "candidate", "json"), ("key", "interviewer", "api"),
            ("key", "interviewer", "api"), ("Ada", "candidate", "yjs"),
        ])
        # Replaying the log rebuilds the text; each update was logged once, by one process.
        doc = Doc()
        replay = api(b, "GET", f"/api/sessions/{session_id}/replay", key=key)
        for _seq, _at, _author, update in replay["steps"]:
            doc.apply_update(base64.b64decode(update))
        self.assertEqual(str(doc.get("code", type=Text)), "from A\nfrom B\nREST on B\nREST on A\n")
        runs = [e for e in replay["events"] if e["kind"] == "run"]
        self.assertEqual([(e["name"], e["data"]["id"]) for e in runs], [("Ada", "run-a")])
