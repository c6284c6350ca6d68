"""Runs on the server's runners, over the pad's socket: admitted, queued, watched by everyone, recorded.

In one process (the in-memory layer, the runner inside the server), with the real
sandbox and toolchains (tests/test_sandbox.py covers the sandbox's own limits;
tests/test_runner_processes.py covers runner processes over Redis).
"""
import asyncio
import contextlib
import json
import os
from datetime import timedelta

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.utils import timezone
from pycrdt import Array
from rest_framework.test import APIClient

from sessions_app import access
from sessions_app.models import InterviewSession, ServerRun
from sessions_app.realtime import protocol, session_actions
from sessions_app.realtime.changes import Identity, api_origin
from tests.support.runner import require_sandbox
from tests.support.sockets import (
    YjsTestClient,
    bearer,
    connect_json,
    create_session,
    create_session_with_key,
    receive_type,
)

REQUIRED = ("java", "go")

SLOW_JAVA = """public class Main {
    public static void main(String[] args) throws Exception {
        String name = new java.util.Scanner(System.in).nextLine();
        for (int i = 1; i <= 3; i++) {
            System.out.println("line " + i);
            Thread.sleep(300);
        }
        System.out.println("hello " + name);
    }
}
"""
ENDLESS_GO = "package main\n\nfunc main() {\n\tfor {\n\t}\n}\n"
HELLO_GO = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n'


@database_sync_to_async
def observer_key(session_id: str) -> str:
    return access.observer_key(InterviewSession.objects.get(pk=session_id))


def require_runner():
    require_sandbox(*REQUIRED)


class Watcher(YjsTestClient):
    """A Yjs client that also keeps the awareness states it is sent, and the runs of the document."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.states = {}

    async def pump(self, until=None, timeout=3.0):
        def seen(message):
            if isinstance(message, protocol.Message) and message.type is protocol.MessageType.AWARENESS:
                for entry in protocol.decode_awareness(message.payload):
                    if entry.state is None:
                        self.states.pop(entry.client_id, None)
                    else:
                        self.states[entry.client_id] = entry.state
            return until(message) if until else False

        return await super().pump(until=seen if until else None, timeout=timeout)

    def live(self) -> list[dict]:
        return [state["running"] for state in self.states.values() if isinstance(state.get("running"), dict)]

    def runs(self) -> list[dict]:
        return self.doc.get("runs", type=Array).to_py() or []

    async def until(self, condition, timeout=30.0):
        """Handle frames until `condition()` holds (waiting with receive_nothing: a timed-out receive
        would cancel the application)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            if loop.time() > deadline:
                raise AssertionError(f"not met in {timeout} s; live: {self.live()}; runs: {self.runs()}; "
                                     f"errors: {self.errors}")
            if not await self.communicator.receive_nothing(timeout=0.1):
                await self.pump(until=lambda message: True, timeout=10)

    async def request(self, action: str, run_id: str, **fields):
        await self.send(protocol.run_request(json.dumps({"action": action, "id": run_id, **fields}).encode()))

    async def refusal(self, run_id: str, timeout=10.0) -> dict:
        await self.until(lambda: any(error.get("run") == run_id for error in self.errors), timeout)
        return next(error for error in self.errors if error.get("run") == run_id)


@contextlib.asynccontextmanager
async def sockets():
    """`connect(session_id, headers=None)`: Watchers that are all disconnected at the end, pass or fail."""
    clients = []

    async def connect(session_id, headers=None, code=None) -> Watcher:
        client = await Watcher(session_id, headers=headers).connect()
        clients.append(client)
        if code is not None:  # (a row's code is only the cache of its document's)
            await client.edit(lambda text: text.insert(0, code))
        return client

    try:
        yield connect
    finally:
        for client in clients:
            await client.disconnect()


def entry(watcher, run_id):
    return next((run for run in watcher.runs() if run["id"] == run_id), None)


class ServerRunSocketTests(TestCase):
    def setUp(self):
        require_runner()

    async def test_a_run_streams_to_everyone_and_lands_in_the_runs(self):
        async with sockets() as connect:
            session_id = await create_session(language="java")
            candidate, interviewer = await connect(session_id, code=SLOW_JAVA), await connect(session_id)
            await candidate.request("start", "run-1", stdin="Ada\n")
            # The interviewer sees it going, with output, before it is over.
            await interviewer.until(lambda: any("line 1" in live["stdout"] for live in interviewer.live()))
            live = interviewer.live()[0]
            self.assertEqual((live["id"], live["language"], live["server"]), ("run-1", "java", True))
            self.assertIsNone(entry(interviewer, "run-1"))
            await interviewer.until(lambda: entry(interviewer, "run-1") is not None)
            run = entry(interviewer, "run-1")
            self.assertEqual(run["status"], "ok", run)
            self.assertEqual(run["stdout"], "line 1\nline 2\nline 3\nhello Ada\n")
            self.assertEqual(run["stdin"], "Ada\n")
            self.assertEqual(run["language"], "java")
            await candidate.until(lambda: entry(candidate, "run-1") == run)
            await interviewer.until(lambda: not interviewer.live())  # the live state is withdrawn
            self.assertEqual(await database_sync_to_async(lambda: ServerRun.objects.get(run_id="run-1").status)(), "ok")

    async def test_a_compile_error_is_a_run_with_the_compilers_message(self):
        async with sockets() as connect:
            session_id = await create_session(language="java")
            client = await connect(session_id, code="public class Main {\n  int x = ;\n}\n")
            await client.request("start", "bad")
            await client.until(lambda: entry(client, "bad") is not None)
            run = entry(client, "bad")
            self.assertEqual(run["status"], "error")
            self.assertIn("Main.java:2", run["stderr"])

    async def test_what_may_not_run_is_refused_by_name_and_changes_nothing(self):
        async with sockets() as connect:
            python = await create_session(language="python")
            client = await connect(python)
            await client.request("start", "py")
            self.assertEqual((await client.refusal("py"))["code"], "invalid")
            await client.request("start", "bad id!")
            self.assertEqual((await client.refusal("bad id!"))["code"], "invalid")

            session_id, _ = await create_session_with_key(language="java")
            candidate = await connect(session_id, code=SLOW_JAVA)
            observer_header = (b"authorization", f"Bearer {await observer_key(session_id)}".encode())
            observer = await connect(session_id, headers=[observer_header])
            interviewer = api_origin(Identity(role="interviewer"))
            await session_actions.set_candidate_may_run(session_id, interviewer, False)
            await candidate.request("start", "c1")
            self.assertEqual((await candidate.refusal("c1"))["code"], "forbidden")
            await observer.request("start", "o1")
            self.assertEqual((await observer.refusal("o1"))["code"], "forbidden")
            await session_actions.end(session_id, interviewer)
            await candidate.request("start", "c2")
            self.assertEqual((await candidate.refusal("c2"))["code"], "ended")
            await candidate.request("start", "c3", stdin=["not", "text"])
            self.assertEqual((await candidate.refusal("c3"))["code"], "invalid")
            self.assertEqual(await database_sync_to_async(ServerRun.objects.count)(), 0)
            self.assertEqual(candidate.runs(), [])

    async def test_the_json_socket_starts_and_stops_server_runs_too(self):
        session_id = await create_session(language="go")
        async with sockets() as connect:
            watcher = await connect(session_id, code=ENDLESS_GO)
            json_client, _ = await connect_json(session_id, name="Jo")
            try:
                await json_client.send_json_to({"type": "run", "action": "start", "id": "j1"})
                await watcher.until(lambda: any(live["phase"] == "running" for live in watcher.live()), timeout=60)
                self.assertEqual(watcher.live()[0]["by"]["name"], "Jo")
                await json_client.send_json_to({"type": "run", "action": "start", "id": "j2"})
                self.assertEqual((await receive_type(json_client, "error"))["run"], "j2")
                await json_client.send_json_to({"type": "run", "action": "cancel", "id": "j1"})
                await watcher.until(lambda: entry(watcher, "j1") is not None)
                self.assertEqual(entry(watcher, "j1")["status"], "stopped")
                await json_client.send_json_to({"type": "run", "action": "explode"})
                self.assertEqual((await receive_type(json_client, "error"))["code"], "invalid")
            finally:
                await json_client.disconnect()

    async def test_one_run_at_a_time_each_and_stop_ends_it_with_no_process_left(self):
        async with sockets() as connect:
            session_id = await create_session(language="go")
            client = await connect(session_id, code=ENDLESS_GO)
            await client.request("start", "loop")
            await client.until(lambda: any(live["phase"] == "running" for live in client.live()), timeout=60)
            await client.request("start", "again")
            self.assertEqual((await client.refusal("again"))["code"], "rate_limited")
            await client.request("cancel", "loop")
            await client.until(lambda: entry(client, "loop") is not None)
            self.assertEqual(entry(client, "loop")["status"], "stopped")
            self.assertEqual(sandbox_processes(), [])


@override_settings(PAD_RUNNER={**settings.PAD_RUNNER, "SLOTS": 1})
class ServerRunQueueTests(TestCase):
    def setUp(self):
        require_runner()

    async def test_runs_wait_their_turn_with_their_place_shown_and_can_be_cancelled_while_waiting(self):
        async with sockets() as connect:
            session_id = await create_session(language="go")
            first, second, third = [await connect(session_id, code=code) for code in (ENDLESS_GO, None, None)]
            await first.request("start", "first")
            await first.until(lambda: any(live["phase"] == "running" for live in first.live()), timeout=60)
            await second.request("start", "second")
            await third.request("start", "third")
            await first.until(lambda: {live["id"]: live.get("position") for live in first.live()}
                              == {"first": None, "second": 1, "third": 2})
            await second.request("cancel", "second")
            await first.until(lambda: entry(first, "second") is not None)
            self.assertEqual(entry(first, "second")["status"], "stopped")
            self.assertIn("before it started", entry(first, "second")["message"])
            await first.until(lambda: {live["id"]: live.get("position") for live in first.live()}
                              == {"first": None, "third": 1})
            await first.request("cancel", "first")
            await first.until(lambda: ("third", "running") in [(live["id"], live["phase"]) for live in first.live()],
                              timeout=60)
            await third.request("cancel", "third")
            await first.until(lambda: entry(first, "third") is not None)
            self.assertEqual([run["status"] for run in first.runs()], ["stopped", "stopped", "stopped"])

    async def test_rows_left_by_a_dead_server_neither_hold_a_place_nor_fill_the_queue(self):
        hour_ago = timezone.now() - timedelta(hours=1)
        with override_settings(PAD_RUNNER={**settings.PAD_RUNNER, "MAX_QUEUED": 1}):
            session_id = await create_session(language="go")
            await database_sync_to_async(ServerRun.objects.create)(
                session_id=session_id, run_id="ghost", requester="gone", language="go", created_at=hour_ago
            )
            async with sockets() as connect:
                client = await connect(session_id, code=HELLO_GO)
                await client.request("start", "real")
                await client.until(lambda: entry(client, "real") is not None, 60)
                self.assertEqual((entry(client, "real")["status"], entry(client, "real")["stdout"]), ("ok", "hello\n"))

    async def test_a_full_queue_refuses_with_a_clear_error(self):
        async with sockets() as connect:
            with override_settings(PAD_RUNNER={**settings.PAD_RUNNER, "SLOTS": 1, "MAX_QUEUED": 1}):
                session_id = await create_session(language="go")
                clients = [await connect(session_id, code=code) for code in (ENDLESS_GO, None, None)]
                await clients[0].request("start", "a")
                await clients[0].until(lambda: any(live["phase"] == "running" for live in clients[0].live()), 60)
                await clients[1].request("start", "b")
                await clients[0].until(lambda: any(live["id"] == "b" for live in clients[0].live()))
                await clients[2].request("start", "c")
                self.assertEqual((await clients[2].refusal("c"))["code"], "queue_full")
                for client, run_id in ((clients[1], "b"), (clients[0], "a")):
                    await client.request("cancel", run_id)
                    await client.until(lambda client=client, run_id=run_id: entry(client, run_id) is not None, 60)


class ExecuteTests(TestCase):
    def setUp(self):
        require_runner()

    def test_execute_is_for_signed_in_interviewers_and_answers_the_outcome(self):
        anonymous = APIClient()
        body = {"language": "go", "code": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println(6 * 7) }\n'}
        self.assertIn(anonymous.post("/api/execute", body, format="json").status_code, (401, 403))
        session = InterviewSession.objects.create()
        key_holder = APIClient(**bearer(access.issue_interviewer_key(session)))
        self.assertIn(key_holder.post("/api/execute", body, format="json").status_code, (401, 403))
        user = get_user_model().objects.create_user("ada", password="a long password 1")
        client = APIClient()
        client.force_authenticate(user)
        answer = client.post("/api/execute", body, format="json")
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual((answer.json()["status"], answer.json()["stdout"]), ("ok", "42\n"))
        refused = client.post("/api/execute", {**body, "language": "python"}, format="json")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("language", refused.json()["detail"])
        self.assertIn("/api/execute", client.get("/api/schema/").content.decode())

    def test_languages_say_where_they_run_and_whether_they_can_now(self):
        languages = {item["id"]: item for item in APIClient().get("/api/languages/").json()}
        self.assertEqual((languages["python"]["runs_on"], languages["python"]["available"]), ("browser", True))
        self.assertEqual(languages["java"]["runs_on"], "server")
        self.assertTrue(languages["java"]["available"])
        self.assertIn("17", languages["java"]["version"])
        self.assertEqual((languages["swift"]["runs_on"], languages["swift"]["available"]), (None, False))


def sandbox_processes() -> list[str]:
    """Sandboxes this process started that are still alive (their command lines)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and command.split(" ")[0].endswith("bwrap"):
            found.append(command)
    return found
