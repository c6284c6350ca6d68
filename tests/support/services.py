"""Real Redis and PostgreSQL servers for tests and benchmarks, in temporary directories.

Each listens on 127.0.0.1 at a free port and is gone (data included) when closed.
A missing binary is a failure with a clear message, never a skip: ./run-tests.sh
installs `redis-server` and `postgresql`.

    with RedisServer() as redis, PostgresServer() as postgres:
        env = {"REDIS_URL": redis.url, "DATABASE_URL": postgres.create_database("pad")}

`shared_redis()` and `shared_postgres()` give one server per test process,
stopped when the process exits.
"""
import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from .server import free_port


def _wait_for_port(port: int, process: subprocess.Popen, name: str, log: Path, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{name} exited early ({process.returncode}):\n{_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{name} did not start listening on 127.0.0.1:{port}:\n{_tail(log)}")


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class _Service:
    name = "service"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)


class RedisServer(_Service):
    """`redis-server` without persistence, on 127.0.0.1 at a free port."""

    name = "redis-server"

    def __init__(self):
        self.binary = shutil.which("redis-server") or next(
            (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if os.path.exists(p)), None
        )
        if self.binary is None:
            raise AssertionError(
                "redis-server is not installed: ./run-tests.sh installs it (apt-get install redis-server)"
            )
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="pad-redis-")
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        log = Path(self.dir) / "redis.log"
        self.process = subprocess.Popen(
            [
                self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.dir,
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                "--maxclients", "10000", "--logfile", str(log),
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, self.process, self.name, log)
        return self


def postgres_bin_dir() -> Path:
    """The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<version>/bin)."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name.split(".")[0]), reverse=True
    )
    for directory in candidates:
        if os.path.exists(os.path.join(directory, "initdb")):
            return Path(directory)
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise AssertionError(
        "PostgreSQL is not installed (no initdb found): ./run-tests.sh installs it (apt-get install postgresql)"
    )


class PostgresServer(_Service):
    """A throwaway PostgreSQL cluster: initdb in a temp dir, `postgres` on 127.0.0.1 at a free port.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the
    `postgres` user (or `nobody`). Superuser `pad`, trust authentication on
    127.0.0.1 only. `durable=False` (tests) turns fsync off.
    """

    name = "postgres"
    user = "pad"

    def __init__(self, durable: bool = False):
        self.bin = postgres_bin_dir()
        self.port = free_port()
        self.durable = durable
        self.dir = tempfile.mkdtemp(prefix="pad-postgres-")
        self.process = None
        self.run_as = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    self.run_as = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue
            if self.run_as is None:
                raise AssertionError("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL")
            os.chmod(self.dir, 0o700)
            os.chown(self.dir, self.run_as.pw_uid, self.run_as.pw_gid)

    def _popen_user(self) -> dict:
        if self.run_as is None:
            return {}
        return {"user": self.run_as.pw_uid, "group": self.run_as.pw_gid, "extra_groups": []}

    def url(self, database: str = "postgres") -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{database}"

    def start(self):
        data = Path(self.dir) / "data"
        log = Path(self.dir) / "postgres.log"
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        result = subprocess.run(
            [str(self.bin / "initdb"), "-D", str(data), "-U", self.user, "--auth=trust", "-E", "UTF8", "--no-sync"],
            cwd=self.dir, env=env, capture_output=True, text=True, **self._popen_user(),
        )
        if result.returncode != 0:
            raise AssertionError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
        settings = [
            "listen_addresses=127.0.0.1", f"port={self.port}", f"unix_socket_directories={self.dir}",
            "max_connections=300", "shared_buffers=128MB",
        ]
        if not self.durable:
            settings += ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]
        args = [str(self.bin / "postgres"), "-D", str(data)]
        for setting in settings:
            args += ["-c", setting]
        with open(log, "ab") as out:
            if self.run_as is not None:
                os.chown(log, self.run_as.pw_uid, self.run_as.pw_gid)
            self.process = subprocess.Popen(
                args, cwd=self.dir, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                **self._popen_user(),
            )
        _wait_for_port(self.port, self.process, self.name, log)
        self._wait_ready(log)
        return self

    def _wait_ready(self, log: Path, timeout: float = 30.0):
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.url(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise AssertionError(f"PostgreSQL did not accept connections:\n{_tail(log)}") from None
                time.sleep(0.1)

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database and return its DATABASE_URL."""
        import psycopg

        name = name or f"pad_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self):
        if self.process and self.process.poll() is None:
            # SIGINT: "fast" shutdown, no waiting for clients to disconnect.
            self.process.send_signal(2)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)


_shared: dict[str, _Service] = {}


def _shared_service(key, factory):
    service = _shared.get(key)
    if service is None or service.process is None or service.process.poll() is not None:
        service = _shared[key] = factory().start()
        atexit.register(service.close)
    return service


def shared_redis() -> RedisServer:
    """One redis-server for this test process."""
    return _shared_service("redis", RedisServer)


def shared_postgres() -> PostgresServer:
    """One PostgreSQL cluster for this test process (create a database per test class)."""
    return _shared_service("postgres", PostgresServer)
