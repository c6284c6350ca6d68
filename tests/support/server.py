"""A real server process (daphne) for tests that need one: interop, restarts, browsers."""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """daphne (or uvicorn) serving the project on 127.0.0.1 with its own SQLite file; restartable on the same port."""

    def __init__(self, env=None, database_url=None, port=None, server="daphne"):
        self.server = server
        self.tmp = tempfile.TemporaryDirectory(prefix="pad-server-")
        self.port = port or free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url or f"sqlite:///{self.tmp.name}/db.sqlite3",
            "SESSION_CREATE_RATE": "100000/min",
            "DEBUG": "0",
            "PAD_OPEN_CREATION": "1",  # as ./start-dev.sh serves it
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.process = None
        self.log_path = Path(self.tmp.name) / "server.log"
        self._migrated = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout=30.0):
        if not self._migrated:
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=self.env, check=True
            )
            self._migrated = True
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(self.command(), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not become healthy:\n{self.log()}")

    def command(self) -> list[str]:
        return [sys.executable, "manage.py", "serve", "--server", self.server, "--port", str(self.port)]

    def kill(self):
        """SIGKILL: nothing gets a chance to flush."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def close(self):
        self.stop()
        self.tmp.cleanup()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def api(server, method, path, body=None, key=None):
    """A JSON request to a running ServerProcess (as the holder of `key`); returns the decoded answer."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(server.url + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def create_session(server, **body) -> tuple[str, str]:
    """A new session on `server`: its id, and the interviewer key of its secret link."""
    created = api(server, "POST", "/api/sessions/", body)
    return created["id"], link_key(created["interviewer_link"])


def link_key(link: str) -> str:
    """The key in a secret link (`.../session/<id>#key=<key>`)."""
    return link.split("#key=", 1)[1]
