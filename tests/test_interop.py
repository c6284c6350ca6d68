"""The real Yjs client (yjs + y-websocket from the frontend's node_modules) against a real server process."""
import json
import time
from unittest import TestCase

from websockets.sync.client import connect

from tests.support.node import finish, run_script, start_script
from tests.support.server import ServerProcess, api, create_session


def wait_for_code(server, session_id, expected, timeout=10.0):
    """The session's stored code becomes `expected` (it is written at each flush)."""
    deadline = time.monotonic() + timeout
    while True:
        code = api(server, "GET", f"/api/sessions/{session_id}/code")["code"]
        if code == expected or time.monotonic() > deadline:
            return code
        time.sleep(0.05)


class YjsInteropTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ServerProcess().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def new_session(self, **body):
        session_id, self.key = create_session(self.server, **body)
        return session_id

    def spec(self, session_id, **fields):
        return {"url": self.server.ws_url + "/ws/yjs", "session": session_id, **fields}

    def test_three_clients_typing_concurrently_converge(self):
        session_id = self.new_session()
        names = ["Ada", "Grace", "Linus"]
        result = run_script("yjs_clients.mjs", self.spec(
            session_id, clients=3, ops=400, seed=11, names=names, wait_names=names
        ))
        texts = result["texts"]
        self.assertEqual(len(set(texts)), 1, "the three clients diverged")
        self.assertGreater(len(texts[0]), 100)
        # Awareness names reached every client.
        for seen in result["names"]:
            self.assertEqual(seen, sorted(names))
        stored = wait_for_code(self.server, session_id, texts[0])
        self.assertEqual(stored, texts[0], f"stored code stale; server log:\n{self.server.log()[-4000:]}")
        # A client that joins later receives the whole document.
        late = run_script("yjs_clients.mjs", self.spec(session_id, clients=1, expect_text=texts[0]))
        self.assertEqual(late["texts"], [texts[0]])

    def test_json_and_yjs_clients_converge(self):
        session_id = self.new_session(code="start\n")
        spec = self.spec(session_id, clients=1, ops=200, pause_ms=5, seed=3, linger_ms=300)
        typist = start_script("yjs_clients.mjs", spec)
        with connect(f"{self.server.ws_url}/ws/session/{session_id}/") as socket:
            current = json.loads(socket.recv(timeout=5))["code"]
            for i in range(30):
                socket.send(json.dumps({"type": "update", "code": f"#{i}\n" + current}))
                while True:  # read whatever arrived, keeping the newest text
                    try:
                        message = json.loads(socket.recv(timeout=0.02))
                    except TimeoutError:
                        break
                    if message["type"] == "update":
                        current = message["code"]
                if not current.startswith(f"#{i}\n"):
                    current = f"#{i}\n" + current
        yjs_text = finish(typist)["texts"][0]
        final = wait_for_code(self.server, session_id, yjs_text)
        self.assertEqual(final, yjs_text)
        self.assertIn("#29\n", final)

    def test_rest_writes_reach_yjs_clients(self):
        session_id = self.new_session(code="before")
        watcher = start_script("yjs_clients.mjs", self.spec(session_id, clients=1, expect_text="written over REST"))
        time.sleep(0)  # the watcher connects on its own; the REST write may come before or after
        api(self.server, "PUT", f"/api/sessions/{session_id}/code", {"code": "written over REST"}, key=self.key)
        self.assertEqual(finish(watcher)["texts"], ["written over REST"])


class RestartTests(TestCase):
    def test_sigkill_mid_session_loses_no_edit(self):
        server = ServerProcess().start()
        try:
            session_id = api(server, "POST", "/api/sessions/", {})["id"]
            clients = start_script("survive_restart.mjs", {
                "url": server.ws_url + "/ws/yjs", "session": session_id, "clients": 3, "duration_ms": 5000,
            })
            self.assertEqual(clients.stdout.readline().strip(), "typing")
            time.sleep(1.0)  # let them type against the live server
            server.kill()
            time.sleep(1.0)  # they keep typing while it is down
            server.start()
            result = finish(clients)["sessions"][session_id]
            final = result["texts"][0]
            self.assertEqual(len(set(result["texts"])), 1)
            missing = [token for token in result["tokens"] if token not in final]
            self.assertEqual(missing, [], "edits were lost")
            self.assertGreater(len(result["tokens"]), 100)
            self.assertEqual(wait_for_code(server, session_id, final), final)
        finally:
            server.close()
