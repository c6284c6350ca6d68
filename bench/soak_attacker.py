"""The attacker of the soak (bench/soak.py): hostile clients against the pad, in cycles, for a set time.

    .venv/bin/python bench/soak_attacker.py '<json spec>'
    spec: {"port": P, "honest": [session ids], "duration_s": D}

Only what an anonymous visitor can do: sockets, POST to create, GET to read. Each
cycle runs every attack below once against one of its own sessions and once against
a random honest session (attacks on no session run once):

  json_hygiene     ping and close at once; 25 bad frames without reading (4400); a list
                   for a language; 100,000-deep JSON as a text frame; deep awareness states
  huge_document    Yjs updates adding a run of 900 KB, a meta key of 900 KB, a 30-character
                   meta.language and 600 KB of code: each must get an error frame
  awareness        take over another connection's entry (same id, clock + 1), remove it
                   (same clock, null), 100,000 states in one message, a NaN state
  presence_storm   110 JSON sockets at once (refused past the per-session cap with 4429),
                   then all closed at once
  slow_readers     raw WebSockets with a tiny receive buffer that never read, while an
                   awareness churn fills their backlog: the server should close them
  pending_deletes  updates holding only deletions of items of unknown clients
  throttle_bypass  POST /api/sessions/ with a new X-Forwarded-For each time (429 past the rate)
  cross_site       form posts and foreign Origins on REST writes (403/415) and sockets (refused)
  unknown_ids      2,000 sockets to random unknown session ids (4404 each)

The two attacks of many requests stop after a minute each, so that a server that has
slowed down to a crawl still meets every attack in every cycle.

The attacker speaks from 127.0.0.2 when the machine lets it (its own address for the
throttle), else from 127.0.0.1. On stdout, one JSON object a line: {"kind": "busy" |
"idle", "session"} around everything that holds a socket in a session (soak.py leaves
such sessions out of its participant checks), {"kind": "attack", ...} after each attack,
and {"kind": "report", ...} at the end: outcome counts per attack, unexpected ones apart.
"""
import asyncio
import base64
import http.client
import json
import os
import random
import secrets
import socket
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from pycrdt import Array, Doc, Map, Text
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sessions_app.realtime import protocol  # noqa: E402
from sessions_app.realtime.protocol import AwarenessEntry  # noqa: E402

HOST = "127.0.0.1"
DEEP = "[" * 100_000 + "]" * 100_000
HONEST_NAME = "honest"
REFUSED_FULL = "refused too_many_connections, closed 4429"
WINNING_CLIENT_ID = 2**53 - 1  # the largest a Yjs client id can be


def source_address() -> str:
    """127.0.0.2 if this machine routes it (an address of the attacker's own), else 127.0.0.1."""
    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.2", 0))
        return "127.0.0.2"
    except OSError:
        return HOST


def emit(kind: str, **fields):
    print(json.dumps({"kind": kind, **fields}), flush=True)


def awareness_frame(client_id: int, clock: int, state) -> bytes:
    return protocol.awareness(protocol.encode_awareness([AwarenessEntry(client_id, clock, state)]))


def raw_awareness_frame(client_id: int, clock: int, state_text: str) -> bytes:
    """An awareness frame with a state written by hand (encode_awareness would refuse it)."""
    entry = protocol.var_uint(client_id) + protocol.var_uint(clock) + protocol.var_bytes(state_text.encode())
    return protocol.awareness(protocol.var_uint(1) + entry)


def run_entry(stdout: str) -> dict:
    return {"id": secrets.token_hex(4), "by": {"name": "x", "color": "#000000"}, "language": "python",
            "stdout": stdout, "stderr": "", "status": "ok", "duration_ms": 1, "at": "2026-11-26T12:00:00Z"}


def huge_run(doc):
    doc.get("runs", type=Array).append(run_entry("x" * 900_000))


def huge_meta_key(doc):
    doc.get("meta", type=Map)["notes"] = "x" * 900_000


def long_language(doc):
    doc.get("meta", type=Map)["language"] = "x" * 30


def huge_code(doc):
    doc.get("code", type=Text).insert(0, "x" * 600_000)


HUGE_CHANGES = {
    "run of 900 KB": huge_run,
    "meta key of 900 KB": huge_meta_key,
    "meta.language of 30 chars": long_language,
    "code of 600 KB": huge_code,
}


def update_of(change) -> bytes:
    """A Yjs update made by `change(doc)` on a fresh document, by the highest client id there is.

    A map entry set concurrently with an existing one wins only with the higher
    client id; a losing write changes nothing (it is deleted as it arrives), so
    the attacker always wins to make the server judge the value.
    """
    doc = Doc(client_id=WINNING_CLIENT_ID)
    change(doc)
    return doc.get_update()


def state_vector_clients(payload: bytes) -> set[int]:
    """The client ids a Yjs state vector names."""
    reader = protocol.Reader(payload)
    clients = set()
    for _ in range(reader.var_uint()):
        clients.add(reader.var_uint())
        reader.var_uint()  # its clock
    return clients


def user_name(state: dict | None) -> str:
    user = (state or {}).get("user")
    return user.get("name", "") if isinstance(user, dict) else ""


def close_code(exc: ConnectionClosed):
    return exc.rcvd.code if exc.rcvd is not None else None


class Attacker:
    def __init__(self, spec: dict):
        self.port = spec["port"]
        self.honest = spec["honest"]
        self.deadline = time.monotonic() + spec["duration_s"]
        self.source = source_address()
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.unexpected: Counter = Counter()
        self.examples: list[str] = []
        self.seconds: Counter = Counter()
        self.created_at: list[float] = []  # every 201 of this address, for the throttle check
        self.slow_reader_closing_s: list[float] = []  # churning until the server dropped them
        self.slow_reader_ending_s: list[float] = []  # reading them, after that, until the connection ended
        self.own: list[str] = []
        self.busy: Counter = Counter()
        self.http_pool = ThreadPoolExecutor(16)

    # Recording ----------------------------------------------------------------------

    def record(self, attack: str, case: str, outcome: str, *expected: str) -> None:
        """Count `case: outcome` under `attack`; an outcome not among `expected` is counted apart too."""
        key = f"{case}: {outcome}"
        self.counts[attack][key] += 1
        if outcome not in expected:
            self.unexpected[f"{attack}: {key}"] += 1
            if len(self.examples) < 20:
                self.examples.append(f"{time.strftime('%H:%M:%S')} {attack}: {key}")

    @asynccontextmanager
    async def touching(self, session_id: str):
        """Marks a session as holding attacker sockets (soak.py skips it in participant checks)."""
        self.busy[session_id] += 1
        if self.busy[session_id] == 1:
            emit("busy", session=session_id)
        try:
            yield
        finally:
            self.busy[session_id] -= 1
            if self.busy[session_id] == 0:
                del self.busy[session_id]
                emit("idle", session=session_id)

    # Transport ---------------------------------------------------------------------

    def socket_connect(self, path: str, **options):
        return connect(f"ws://{HOST}:{self.port}{path}", local_addr=(self.source, 0), max_size=None,
                       ping_interval=None, open_timeout=20, close_timeout=5, **options)

    def http(self, method: str, path: str, body: bytes | None = None, headers=None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60, source_address=(self.source, 0))
        try:
            connection.request(method, path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    async def http_async(self, *args, **kwargs) -> tuple[int, bytes]:
        return await asyncio.get_running_loop().run_in_executor(self.http_pool, lambda: self.http(*args, **kwargs))

    async def create_session(self, headers=None) -> tuple[int, bytes]:
        status, body = await self.http_async("POST", "/api/sessions/", b"{}", headers)
        if status == 201:
            self.created_at.append(time.monotonic())
        return status, body

    async def participants(self, session_id: str) -> int:
        status, body = await self.http_async("GET", f"/api/sessions/{session_id}/participants")
        return json.loads(body)["connected_users"] if status == 200 else -1

    @staticmethod
    async def next_of_type(sock, kind: str, timeout=15.0) -> dict:
        """The next JSON message of `kind` on a JSON socket, skipping others."""
        async with asyncio.timeout(timeout):
            while True:
                message = json.loads(await sock.recv())
                if message.get("type") == kind:
                    return message

    @staticmethod
    async def next_error(sock, timeout=15.0) -> str:
        """The code of the next error (a text frame) on any socket; 'no error' if none comes."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    frame = await sock.recv()
                    if isinstance(frame, str):
                        message = json.loads(frame)
                        if message.get("type") == "error":
                            return f"error {message.get('code')}"
        except TimeoutError:
            return "no error"
        except ConnectionClosed as exc:
            return f"closed {close_code(exc)}"

    @staticmethod
    async def until_closed(sock, timeout=15.0) -> str:
        try:
            async with asyncio.timeout(timeout):
                while True:
                    await sock.recv()
        except TimeoutError:
            return "still open"
        except ConnectionClosed as exc:
            return f"closed {close_code(exc)}"

    @staticmethod
    async def awareness_states(sock, seconds=1.0) -> dict[int, AwarenessEntry]:
        """Awareness entries the server sends on a Yjs socket within `seconds`, by client id."""
        states = {}
        try:
            async with asyncio.timeout(seconds):
                while True:
                    frame = await sock.recv()
                    if isinstance(frame, bytes):
                        message = protocol.decode(frame)
                        if message.type is protocol.MessageType.AWARENESS:
                            for entry in protocol.decode_awareness(message.payload):
                                states[entry.client_id] = entry
        except TimeoutError:
            pass
        return states

    # Attacks on a session ------------------------------------------------------------

    async def json_hygiene(self, session_id: str):
        path = f"/ws/session/{session_id}/"
        for _ in range(20):
            async with self.socket_connect(path) as sock:
                await sock.send(json.dumps({"type": "ping"}))
            self.record("json_hygiene", "ping and close", "done", "done")
        async with self.socket_connect(path) as sock:
            for _ in range(25):
                await sock.send("{not json")
            self.record("json_hygiene", "25 bad frames", await self.until_closed(sock), "closed 4400")
        async with self.socket_connect(path) as sock:
            await self.next_of_type(sock, "init")
            await sock.send(json.dumps({"type": "update", "language": [1]}))
            outcome = await self.next_error(sock)
            await sock.send(json.dumps({"type": "ping"}))
            await self.next_of_type(sock, "pong")
            self.record("json_hygiene", "language [1]", f"{outcome}, still open", "error invalid, still open")
            await sock.send(DEEP)
            self.record("json_hygiene", "100,000-deep JSON frame", await self.next_error(sock), "error bad_json")
        async with self.socket_connect(f"/ws/yjs/{session_id}") as sock:
            for depth in (100_000, 2_000):
                await sock.send(raw_awareness_frame(random.getrandbits(30), 1, "[" * depth + "]" * depth))
                outcome = await self.next_error(sock)
                self.record("json_hygiene", f"awareness state {depth:,} deep", outcome, "error bad_frame")

    async def huge_document(self, session_id: str):
        async with self.socket_connect(f"/ws/yjs/{session_id}") as sock:
            for name, change in HUGE_CHANGES.items():
                await sock.send(protocol.sync_update(update_of(change)))
                self.record("huge_document", name, await self.next_error(sock), "error invalid", "error too_large")

    async def awareness(self, session_id: str):
        path = f"/ws/yjs/{session_id}"
        async with self.socket_connect(path) as victim, self.socket_connect(path) as attacker:
            victim_id = random.getrandbits(30)
            await victim.send(awareness_frame(victim_id, 1, {"user": {"name": "victim", "color": "#123456"}}))
            await asyncio.sleep(0.3)
            seen = await self.awareness_states(attacker, 0.5)
            targets = {entry.client_id: (entry.clock, user_name(entry.state)) for entry in seen.values()
                       if entry.client_id == victim_id or user_name(entry.state).startswith(HONEST_NAME)}
            mallory = {"user": {"name": "Mallory", "color": "#000000"}}
            for client_id, (clock, _) in targets.items():
                await attacker.send(awareness_frame(client_id, clock + 1, mallory))
                await attacker.send(awareness_frame(client_id, clock, None))
            await attacker.send(raw_awareness_frame(random.getrandbits(30), 1, '{"user":{"name":"N"},"cursor":NaN}'))
            self.record("awareness", "NaN state", await self.next_error(attacker), "error bad_frame")
            if victim_id not in targets:
                self.record("awareness", "victim entry", "not registered")
            await self.check_entries_kept(path, targets, victim_id)
        many = protocol.encode_awareness([AwarenessEntry(n, 1, {"n": n}) for n in range(100_000)])  # before connecting:
        async with self.socket_connect(path) as flooder:  # a second of work would miss the server's pings
            await flooder.send(protocol.awareness(many))  # 1.6 MB, on a socket of its own
            self.record("awareness", "100,000 states in one message", await self.next_error(flooder), "error bad_frame")

    async def check_entries_kept(self, path: str, targets: dict[int, tuple[int, str]], victim_id: int):
        """A fresh watcher must still see every target entry under its own name."""
        async with self.socket_connect(path) as watcher:
            states = await self.awareness_states(watcher, 1.0)
        for client_id, (_, name) in targets.items():
            entry = states.get(client_id)
            if entry is None or entry.state is None:
                outcome = "removed"
            elif user_name(entry.state) != name:
                outcome = f"taken over ({user_name(entry.state)})"
            else:
                outcome = "kept"
            kind = "victim" if client_id == victim_id else "honest"
            self.record("awareness", f"{kind} entry after take-over and removal", outcome, "kept")

    async def presence_storm(self, session_id: str, crowd=110, cap=50):
        room_left = cap - await self.participants(session_id)

        async def one():
            sock = await self.socket_connect(f"/ws/session/{session_id}/")
            first = json.loads(await sock.recv())
            if first.get("type") == "init":
                return sock, "admitted"
            outcome = f"refused {first.get('code')}, {await self.until_closed(sock)}"
            await sock.close()
            return None, outcome

        results = await asyncio.gather(*(one() for _ in range(crowd)), return_exceptions=True)
        admitted = [r[0] for r in results if not isinstance(r, BaseException) and r[0] is not None]
        for result in results:
            outcome = f"exception {type(result).__name__}" if isinstance(result, BaseException) else result[1]
            self.record("presence_storm", "one of the crowd", outcome, "admitted", REFUSED_FULL)
        self.record("presence_storm", "admitted", "as many as there was room for" if len(admitted) == room_left
                    else f"{len(admitted)} with room for {room_left}", "as many as there was room for")
        await asyncio.gather(*(sock.close() for sock in admitted), return_exceptions=True)

    async def slow_readers(self, session_id: str, readers=3, churn_seconds=30.0):
        before = await self.participants(session_id)
        socks = []
        try:
            for _ in range(readers):
                socks.append(await self.raw_slow_reader(f"/ws/yjs/{session_id}"))
            started = time.monotonic()
            async with self.socket_connect(f"/ws/yjs/{session_id}") as churner:
                closed_after = await self.churn_until_gone(churner, session_id, before + 1, churn_seconds)
            outcome = "closed by the server" if closed_after is not None else "not closed in time"
            self.record("slow_readers", "3 readers in the session", outcome, "closed by the server")
            if closed_after is not None:
                self.slow_reader_closing_s.append(round(closed_after - started, 1))
            for outcome in await asyncio.gather(*(self.drain(sock) for sock in socks)):
                self.record("slow_readers", "reader socket, read at last", outcome, "ended")
        finally:
            for sock in socks:
                sock.close()

    async def raw_slow_reader(self, path: str) -> socket.socket:
        """A WebSocket that completes the handshake and then never reads (tiny receive buffer)."""
        loop = asyncio.get_running_loop()
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.bind((self.source, 0))
        sock.setblocking(False)
        await loop.sock_connect(sock, (HOST, self.port))
        key = base64.b64encode(os.urandom(16)).decode()
        await loop.sock_sendall(sock, (
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        async with asyncio.timeout(20):
            while b"\r\n\r\n" not in response:
                response += await loop.sock_recv(sock, 1)
        if b" 101 " not in response.split(b"\r\n")[0]:
            raise ConnectionError(f"handshake refused: {response[:40]!r}")
        return sock

    async def churn_until_gone(self, churner, session_id: str, expected: int, seconds: float) -> float | None:
        """Send ~1.4 MB/s of awareness changes until the session is down to `expected` people.

        The count is polled beside the churn, so a slow answer does not slow the churn down;
        the churner reads everything sent to it (a client that stops reading is dropped).
        """
        churn = asyncio.gather(self.churn(churner), self.discard(churner))
        try:
            async with asyncio.timeout(seconds):
                while await self.participants(session_id) > expected:
                    await asyncio.sleep(1)
                return time.monotonic()
        except TimeoutError:
            return None
        finally:
            churn.cancel()
            await asyncio.gather(churn, return_exceptions=True)

    @staticmethod
    async def discard(sock):
        async for _ in sock:
            pass

    @staticmethod
    async def churn(churner):
        """Four awareness states of 3.4 KB each, renewed a hundred times a second."""
        ids = [random.getrandbits(30) for _ in range(4)]
        padding = "x" * 3400
        for clock in range(1, 1_000_000):
            entries = [AwarenessEntry(i, clock, {"user": {"name": "churn", "color": "#abcdef"}, "pad": padding})
                       for i in ids]
            await churner.send(protocol.awareness(protocol.encode_awareness(entries)))
            await asyncio.sleep(0.01)

    async def drain(self, sock: socket.socket, seconds=30.0) -> str:
        """Read what the server left for a slow reader: 'ended' if the connection ends meanwhile."""
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        try:
            async with asyncio.timeout(seconds):
                while await loop.sock_recv(sock, 1 << 20):
                    pass
        except (ConnectionResetError, BrokenPipeError):
            pass
        except TimeoutError:
            return "still open"
        self.slow_reader_ending_s.append(round(time.monotonic() - started, 1))
        return "ended"

    async def pending_deletes(self, session_id: str, frames=20, ranges=30_000):
        async with self.socket_connect(f"/ws/yjs/{session_id}") as sock:
            first = protocol.decode(await sock.recv())
            known = state_vector_clients(first.payload) if first.sync_type is protocol.SyncType.STEP1 else set()
            spans = b"".join(protocol.var_uint(n * 3) + protocol.var_uint(1) for n in range(ranges))
            for _ in range(frames):
                client_id = random.getrandbits(31)
                while client_id in known:
                    client_id = random.getrandbits(31)
                header = protocol.var_uint(0) + protocol.var_uint(1) + protocol.var_uint(client_id)
                await sock.send(protocol.sync_update(header + protocol.var_uint(ranges) + spans))
            await sock.send(protocol.sync_step1(protocol.var_uint(0)))
            outcome = await self.step2_or_error(sock)
            self.record("pending_deletes", f"{frames} updates of deletions only", outcome, "answered")

    @staticmethod
    async def step2_or_error(sock, timeout=60.0) -> str:
        try:
            async with asyncio.timeout(timeout):
                while True:
                    frame = await sock.recv()
                    if isinstance(frame, str):
                        return f"error {json.loads(frame).get('code')}"
                    if protocol.decode(frame).sync_type is protocol.SyncType.STEP2:
                        return "answered"
        except TimeoutError:
            return "no answer"

    # Attacks on no session ------------------------------------------------------------

    async def throttle_bypass(self, limit=200, enough_refusals=20, budget=60.0):
        sent = refused = 0
        stop = min(self.deadline, time.monotonic() + budget)
        while sent < limit and refused < enough_refusals and time.monotonic() < stop:
            batch = [{"X-Forwarded-For": f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(256)}"}
                     for _ in range(16)]
            statuses = await asyncio.gather(*(self.create_session(headers) for headers in batch))
            for status, _ in statuses:
                self.record("throttle_bypass", "POST with a new X-Forwarded-For", str(status), "201", "429")
                refused += status == 429
            sent += len(batch)

    async def cross_site(self, session_id: str):
        evil, form = "http://evil.example", {"Content-Type": "application/x-www-form-urlencoded"}
        cases = [
            ("form POST from evil.example", "POST", "/api/sessions/", b"title=x", {**form, "Origin": evil}, ["403"]),
            ("form POST without Origin", "POST", "/api/sessions/", b"title=x", form, ["415"]),
            ("JSON POST from evil.example", "POST", "/api/sessions/", b"{}", {"Origin": evil}, ["403"]),
            ("PATCH from evil.example", "PATCH", f"/api/sessions/{session_id}/", b'{"title":"x"}', {"Origin": evil},
             ["401", "403"]),
        ]
        for name, method, path, body, headers, expected in cases:
            status, _ = await self.http_async(method, path, body, headers)
            self.record("cross_site", name, str(status), *expected)
        other_site = f"http://{HOST}:{self.port + 1}"
        for path in (f"/ws/yjs/{session_id}", f"/ws/session/{session_id}/"):
            kind = path.split("/")[2]
            try:
                async with self.socket_connect(path, origin=other_site):
                    outcome = "accepted"
            except InvalidStatus as exc:
                outcome = f"refused {exc.response.status_code}"
            self.record("cross_site", f"{kind} socket from another port", outcome, "refused 403")

    async def unknown_ids(self, count=2000, concurrency=50, budget=60.0):
        gate = asyncio.Semaphore(concurrency)
        stop = min(self.deadline, time.monotonic() + budget)

        async def one(n):
            path = f"/ws/yjs/{secrets.token_urlsafe(16)}" if n % 2 else f"/ws/session/{secrets.token_urlsafe(16)}/"
            async with gate:
                if time.monotonic() > stop:
                    self.record("unknown_ids", "socket to an unknown id", "not tried (out of time)",
                                "not tried (out of time)")
                    return
                try:
                    async with self.socket_connect(path) as sock:
                        outcome = await self.until_closed(sock)
                except (OSError, InvalidHandshake, TimeoutError) as exc:
                    outcome = f"exception {type(exc).__name__}"
                self.record("unknown_ids", "socket to an unknown id", outcome, "closed 4404")

        await asyncio.gather(*(one(n) for n in range(count)))

    # The cycles ---------------------------------------------------------------------

    async def attack(self, name: str, coroutine_function, *args):
        started = time.monotonic()
        try:
            await coroutine_function(*args)
        except Exception as exc:
            self.record(name, "attack", f"failed: {type(exc).__name__}: {str(exc)[:80]}")
        self.seconds[name] += time.monotonic() - started
        emit("attack", name=name, target=args[0] if args else None, seconds=round(time.monotonic() - started, 1))

    async def on_session(self, name: str, coroutine_function, session_id: str):
        async with self.touching(session_id):
            await self.attack(name, coroutine_function, session_id)

    async def run(self) -> dict:
        for _ in range(2):
            status, body = await self.create_session()
            if status != 201:
                raise RuntimeError(f"could not create a session of its own: {status} {body[:200]!r}")
            self.own.append(json.loads(body)["id"])
        session_attacks = [
            ("json_hygiene", self.json_hygiene), ("huge_document", self.huge_document),
            ("awareness", self.awareness), ("presence_storm", self.presence_storm),
            ("slow_readers", self.slow_readers), ("pending_deletes", self.pending_deletes),
            ("cross_site", self.cross_site),
        ]
        cycles = 0
        while time.monotonic() < self.deadline:
            for name, function in session_attacks:
                for target in (self.own[cycles % 2], random.choice(self.honest)):
                    if time.monotonic() < self.deadline:
                        await self.on_session(name, function, target)
            for name, function in (("throttle_bypass", self.throttle_bypass), ("unknown_ids", self.unknown_ids)):
                if time.monotonic() < self.deadline:
                    await self.attack(name, function)
            cycles += 1
        return self.report(cycles)

    def report(self, cycles: int) -> dict:
        return {
            "source": self.source,
            "cycles": cycles,
            "own_sessions": self.own,
            "counts": {attack: dict(outcomes) for attack, outcomes in self.counts.items()},
            "unexpected": dict(self.unexpected),
            "examples": self.examples,
            "seconds": {name: round(value, 1) for name, value in self.seconds.items()},
            "created_max_per_60s": max_in_window(self.created_at, 60.0),
            "slow_reader_closing_s": self.slow_reader_closing_s,
            "slow_reader_ending_s": self.slow_reader_ending_s,
        }


def max_in_window(times: list[float], window: float) -> int:
    """The most events within any `window` seconds."""
    best = start = 0
    for end in range(len(times)):
        while times[end] - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def main():
    attacker = Attacker(json.loads(sys.argv[1]))
    report = asyncio.run(attacker.run())
    attacker.http_pool.shutdown(wait=False)
    emit("report", **report)


if __name__ == "__main__":
    main()
