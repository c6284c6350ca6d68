"""The real Yjs client (yjs + y-websocket from the frontend's node_modules) against a real server process."""
import json
import time
import urllib.error
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
    server_kind = "daphne"

    @classmethod
    def setUpClass(cls):
        cls.server = ServerProcess(server=cls.server_kind).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def new_session(self, **body):
        session_id, self.key = create_session(self.server, **body)
        return session_id

    def explain_stale(self, session_id, expected, stored) -> str:
        """Why the stored code is not the clients' text: the log replayed, and the server's log."""
        log = "\n".join(line for line in self.server.log().splitlines() if '"GET /api/' not in line)
        replayed = run_script("replay_texts.mjs", {"base": self.server.url, "session": session_id, "key": self.key})
        try:
            health = api(self.server, "GET", "/health")
        except urllib.error.HTTPError as exc:
            health = exc.read().decode(errors="replace")
        return (f"stored code {stored!r} is not the clients' text {expected!r};\n"
                f"the log replayed ({replayed['steps']} steps) ends in {(replayed['texts'] or [''])[-1]!r};\n"
                f"/health: {health}\nserver log:\n{log[-6000:]}")

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
        if stored != texts[0]:
            self.fail(self.explain_stale(session_id, texts[0], stored))
        # A client that joins later receives the whole document.
        late = run_script("yjs_clients.mjs", self.spec(session_id, clients=1, expect_text=texts[0]))
        self.assertEqual(late["texts"], [texts[0]])

    def test_clients_whose_connections_drop_while_typing_lose_nothing(self):
        """Connections cut at random (as by a flaky network) while three people type: each provider
        reconnects and syncs, and the server ends with everyone's text, stored."""
        session_id = self.new_session()
        result = run_script("yjs_clients.mjs", self.spec(session_id, clients=3, ops=300, pause_ms=3, seed=5, cut=0.1))
        texts = result["texts"]
        self.assertEqual(len(set(texts)), 1, "the three clients diverged")
        stored = wait_for_code(self.server, session_id, texts[0])
        if stored != texts[0]:
            self.fail(self.explain_stale(session_id, texts[0], stored))
        late = run_script("yjs_clients.mjs", self.spec(session_id, clients=1, expect_text=texts[0]))
        self.assertEqual(late["texts"], [texts[0]])

    def test_json_and_yjs_clients_converge(self):
        session_id = self.new_session(code="start\n")
        spec = self.spec(session_id, clients=1, ops=200, pause_ms=5, seed=3, linger_ms=300)
        typist = start_script("yjs_clients.mjs", spec)
        with connect(f"{self.server.ws_url}/ws/session/{session_id}/") as socket:
            current = json.loads(socket.recv(timeout=5))["code"]

            def read_updates(wait):
                """Keep the newest text the server sent; stop after `wait` s of quiet."""
                nonlocal current
                while True:
                    try:
                        message = json.loads(socket.recv(timeout=wait))
                    except TimeoutError:
                        return
                    if message["type"] == "update":
                        current = message["code"]

            # Whole-text writes while the Yjs client types (the server turns them into edits).
            for i in range(30):
                socket.send(json.dumps({"type": "update", "code": f"#{i}\n" + current}))
                read_updates(0.02)
                if not current.startswith(f"#{i}\n"):
                    current = f"#{i}\n" + current
            finish(typist)
            # The typist is done: the JSON client's text settles on the server's, typing included.
            read_updates(1.0)
            socket.send(json.dumps({"type": "update", "code": "#end\n" + current}))
            final = "#end\n" + current
        self.assertEqual(wait_for_code(self.server, session_id, final), final)
        # A Yjs client joining now has exactly that text.
        late = run_script("yjs_clients.mjs", self.spec(session_id, clients=1, expect_text=final))
        self.assertEqual(late["texts"], [final])

    def test_rest_writes_reach_yjs_clients(self):
        session_id = self.new_session(code="before")
        watcher = start_script("yjs_clients.mjs", self.spec(session_id, clients=1, expect_text="written over REST"))
        time.sleep(0)  # the watcher connects on its own; the REST write may come before or after
        api(self.server, "PUT", f"/api/sessions/{session_id}/code", {"code": "written over REST"}, key=self.key)
        self.assertEqual(finish(watcher)["texts"], ["written over REST"])


class UvicornYjsInteropTests(YjsInteropTests):
    """The same on uvicorn with the pad's protocol (what `./start-dev.sh` serves): there the Yjs
    consumer handles most frames in the read callback (YjsConsumer.receive_now)."""

    server_kind = "uvicorn"


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
