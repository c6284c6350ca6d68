"""Runner workers as real processes: `manage.py runworker` sharing the queue through Redis.

A server and two runners (one run at a time each) on Redis and one database:
runs sent over REST are spread over both runners, and a runner killed mid-run
ends its run with a clear error while the other serves the next ones.
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from unittest import TestCase

from pycrdt import Array, Doc

from sessions_app.realtime import log_batch
from tests.support.runner import require_sandbox
from tests.support.server import ROOT, ServerProcess, create_session
from tests.support.services import shared_redis

SLEEPY_GO = """package main

import (
	"fmt"
	"time"
)

func main() {
	time.Sleep(1500 * time.Millisecond)
	fmt.Println("done")
}
"""
ENDLESS_GO = "package main\n\nfunc main() {\n\tfor {\n\t}\n}\n"


def post(server, path, body, key, method="POST"):
    request = urllib.request.Request(
        server.url + path, data=json.dumps(body).encode(), method=method,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def eventually(condition, timeout=90.0, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout} s")
        time.sleep(0.2)


class RunnerProcessTests(TestCase):
    @classmethod
    def setUpClass(cls):
        require_sandbox("go")
        redis = shared_redis()
        cls.server = ServerProcess(env={"REDIS_URL": redis.url, "PAD_RUNNER_HEARTBEAT": "0.5",
                                        "PAD_RUN_WALL_SECONDS": "60"}, server="uvicorn")
        cls.server.start()
        cls.db = cls.server.env["DATABASE_URL"].removeprefix("sqlite:///")
        cls.runners = []

    @classmethod
    def tearDownClass(cls):
        for runner in cls.runners:
            if runner.poll() is None:
                runner.terminate()
                runner.wait(10)
        cls.server.close()

    def start_runner(self) -> subprocess.Popen:
        log = open(Path(self.server.tmp.name) / f"runner-{len(self.runners)}.log", "ab")
        runner = subprocess.Popen(
            [sys.executable, "manage.py", "runworker", "--layer", "runners", "pad-runner"],
            cwd=ROOT, env={**self.server.env, "PAD_RUNNER_SLOTS": "1"}, stdout=log, stderr=subprocess.STDOUT,
        )
        self.runners.append(runner)
        eventually(lambda: self.query("SELECT count(*) FROM sessions_app_runner WHERE name LIKE ?",
                                      (f"%:{runner.pid}",))[0][0], 60, "the runner's first heartbeat")
        return runner

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace")[-3000:] for path in Path(self.server.tmp.name).glob("*.log"))

    def query(self, sql, params=()):
        with sqlite3.connect(self.db, timeout=20) as connection:
            return connection.execute(sql, params).fetchall()

    def runs_of(self, session_id) -> list[dict]:
        """The session's runs as stored: its document's state and update log, replayed."""
        doc = Doc()
        for (state,) in self.query("SELECT state FROM sessions_app_interviewsession WHERE id = ?", (session_id,)):
            if state:
                doc.apply_update(bytes(state))
        rows = self.query("SELECT seq, data FROM sessions_app_logbatch WHERE session_id = ? ORDER BY seq",
                          (session_id,))
        for _, entry in log_batch.entries(rows):
            doc.apply_update(entry.data)
        return doc.get("runs", type=Array).to_py() or []

    def start_run(self, code, run_id):
        session_id, key = create_session(self.server, language="go", code=code)
        status, answer = post(self.server, f"/api/sessions/{session_id}/runs", {"id": run_id}, key)
        self.assertEqual(status, 202, answer)
        return session_id, key

    def finished(self, session_id, run_id):
        return next((run for run in self.runs_of(session_id) if run["id"] == run_id), None)

    def test_runners_share_the_queue_and_a_killed_runner_fails_only_its_run(self):
        first, second = self.start_runner(), self.start_runner()
        sessions = [self.start_run(SLEEPY_GO, f"sleepy-{n}")[0] for n in range(4)]
        runs = [eventually(lambda s=s, n=n: self.finished(s, f"sleepy-{n}"), what="a run's end")
                for n, s in enumerate(sessions)]
        self.assertEqual([(run["status"], run["stdout"]) for run in runs], [("ok", "done\n")] * 4,
                         f"{runs}\n{self.logs()}")
        used = {name for (name,) in self.query("SELECT runner FROM sessions_app_serverrun")}
        self.assertEqual({name.rsplit(":", 1)[1] for name in used}, {str(first.pid), str(second.pid)})

        # Kill the runner of an endless run: the run ends with a clear error, the other runner carries on.
        session_id, _ = self.start_run(ENDLESS_GO, "endless")
        runner = eventually(lambda: self.query(
            "SELECT runner FROM sessions_app_serverrun WHERE run_id = 'endless' AND state = 'running'"
        ), what="the endless run to start")[0][0]
        victim = first if runner.endswith(f":{first.pid}") else second
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        failed = eventually(lambda: self.finished(session_id, "endless"), 30, "the killed run's end")
        self.assertEqual(failed["status"], "error")
        self.assertIn("stopped responding", failed["message"])
        eventually(lambda: not orphaned_sandboxes(), 15, "the killed runner's sandbox to go")
        after, _ = self.start_run(SLEEPY_GO, "after")
        self.assertEqual(eventually(lambda: self.finished(after, "after"), what="the next run")["status"], "ok")

        # Stopped over REST (the interviewer's key), on the runner that is left.
        session_id, key = self.start_run(ENDLESS_GO, "stop-me")
        eventually(lambda: self.query("SELECT 1 FROM sessions_app_serverrun WHERE run_id = 'stop-me' "
                                      "AND state = 'running'"), what="the run to start")
        status, _ = post(self.server, f"/api/sessions/{session_id}/runs/stop-me", {}, key, method="DELETE")
        self.assertEqual(status, 202)
        self.assertEqual(eventually(lambda: self.finished(session_id, "stop-me"), 30, "stop")["status"], "stopped")


def orphaned_sandboxes() -> list[int]:
    """bwrap processes whose runner is gone (their parent is neither a runner nor bwrap itself)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                program = cmdline.read().split(b"\0")[0]
            with open(f"/proc/{pid}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{ppid}/cmdline", "rb") as cmdline:
                parent = cmdline.read()
        except (OSError, ValueError, IndexError):
            continue
        if program.endswith(b"bwrap") and b"runworker" not in parent and b"bwrap" not in parent:
            found.append(int(pid))
    return found
