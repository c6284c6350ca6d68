"""Soak (issue 9): honest Yjs clients keep editing while an attacker cycles through its attacks.

    .venv/bin/python bench/soak.py                                # 600 s, 100 sessions x 3 clients, uvicorn
    .venv/bin/python bench/soak.py --duration 60 --sessions 20    # a short run
    .venv/bin/python bench/soak.py --server daphne

One server is started the way users start it (`manage.py serve --server uvicorn --host
127.0.0.1`) on a fresh SQLite database in a temporary directory, with the per-address
connection cap lifted (the honest clients all come from 127.0.0.1) and session creation
limited to --create-rate per address. Then, for --duration seconds:

- honest load (bench/soak_clients.mjs, one Node process): S sessions x C stock Yjs clients
  (yjs + y-websocket + ws from frontend/node_modules) typing --rate characters a second each,
  each with an awareness state {user: {name, color}}; edit latency measured as in
  bench/load.mjs; every character typed is kept in a ledger;
- the attacker (bench/soak_attacker.py, a separate process, from 127.0.0.2 where the machine
  allows): every attack of issue 9, in cycles, on its own sessions and on honest ones;
- this process: every 10 s the server's RSS (VmRSS) and two timed reads, GET /health and
  GET participants of a random honest session (in threads, so a slow answer does not
  stop the sampling); every 30 s the participant counts of up to 10 honest sessions the
  attacker has left alone for 40 s (the server keeps a lost connection's seat for 30),
  against the truth (the honest clients connected there, by their own account), a wrong
  count being asked again 30 s later; the server's log as it grows, lines about saving,
  slow readers and refusals stamped with the time they were seen.

Then: the attacker stops; 40 s later every session's participant count is checked (honest
ones against their clients, the attacker's own against 0); the honest clients stop after a
grace period for their last edits, and every session must empty; the server is stopped and
each honest session's document is read from the database (the cached state plus newer log
rows, merged) and checked against the ledger: every character typed is there, undeleted,
and the code holds nothing else. A Markdown report is printed, and everything is written
to bench/results/soak-<time>.json with the server's log beside it (soak-<time>-server.log).
Times in the report count from the moment the honest clients start typing.
"""
import argparse
import base64
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing
from datetime import datetime
from functools import partial
from pathlib import Path

from pycrdt import merge_updates

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import cpu_seconds  # noqa: E402

from sessions_app.realtime import log_batch  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
SAMPLE_EVERY = 10.0  # RSS, /health and one participants read
CHECK_EVERY = 30.0  # participant counts against the truth
CHECK_SAMPLE = 10  # sessions per participant check
# A connection that ends without a clean close keeps its seat, shown as reconnecting, for
# PAD_PRESENCE_GRACE seconds (30 by default): a session is checked only once that is over.
PRESENCE_GRACE = 30.0
QUIET_AFTER_ATTACK = PRESENCE_GRACE + 10  # seconds since the attacker left a session before it is checked
QUIET_AFTER_RECONNECT = PRESENCE_GRACE + 10  # likewise since an honest client of it connected or disconnected
GRACE = 10.0  # seconds for the last edits to arrive once typing stops
READ_TIMEOUT = 60.0  # seconds a REST read may take before it counts as unanswered
# Log lines kept with the time they were seen (the whole log is saved beside the results).
LOG_KEPT = ("flushed", "failed", "saves again", "reads too slowly", "Service Unavailable", "never retrieved",
            "Too Many Requests")
FLUSH_LINE = re.compile(r"flushed (\d+) sessions \((\d+) updates\) in (\d+) ms")


# The server -----------------------------------------------------------------------

class SoakServer(ServerProcess):
    """`manage.py serve` on 127.0.0.1, said explicitly as a user would."""

    def command(self) -> list[str]:
        return super().command() + ["--host", "127.0.0.1"]

    @property
    def database_path(self) -> Path:
        return Path(self.env["DATABASE_URL"].removeprefix("sqlite:///"))

    def participants_url(self, session_id: str) -> str:
        return f"{self.url}/api/sessions/{session_id}/participants"


def raise_open_files_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def rss_mb(pid: int, field="VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def timed_get(url: str, timeout=READ_TIMEOUT) -> dict:
    """GET a JSON answer: {"status", "ms", "body"}; the status is the error's name when none came."""
    started = time.monotonic()
    body = None
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status, body = response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        status = type(exc).__name__
    return {"status": status, "ms": round((time.monotonic() - started) * 1000, 1), "body": body}


def participants(server: SoakServer, session_id: str) -> int | None:
    """connected_users of a session; None when the server did not answer in time."""
    answer = timed_get(server.participants_url(session_id))
    return answer["body"]["connected_users"] if answer["status"] == 200 else None


def participants_of(server: SoakServer, sessions: list[str]) -> dict[str, int | None]:
    """connected_users of many sessions, read 16 at a time."""
    with ThreadPoolExecutor(16) as pool:
        return dict(zip(sessions, pool.map(partial(participants, server), sessions), strict=True))


def create_sessions(server: SoakServer, count: int) -> list[str]:
    """Create `count` sessions with POST /api/sessions/, waiting out the throttle if it answers 429."""
    def create(_):
        while True:
            request = urllib.request.Request(server.url + "/api/sessions/", data=b"{}", method="POST",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    return json.loads(response.read())["id"]
            except urllib.error.HTTPError as exc:
                if exc.code != 429:
                    raise
                time.sleep(float(exc.headers.get("Retry-After") or 5))

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(create, range(count)))


# The other processes -----------------------------------------------------------------

class LineProcess:
    """A child process that writes JSON lines, each handed to `on_event` by a reader thread."""

    def __init__(self, command: list[str], on_event, stderr_path: Path, stdin=False):
        self.stderr_path = stderr_path
        self.stderr = open(stderr_path, "wb")
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=self.stderr, text=True,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        )
        self.reader = threading.Thread(target=self._read, args=(on_event,), daemon=True)
        self.reader.start()

    def _read(self, on_event):
        for line in self.process.stdout:
            if line.startswith("{"):
                on_event(json.loads(line))

    def send(self, line: str):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def wait(self, timeout: float) -> bool:
        """True once the process has ended and everything it wrote is read."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        self.reader.join(10)
        return True

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            if not self.wait(5):
                self.process.kill()
                self.process.wait()
        self.stderr.close()

    def stderr_tail(self) -> str:
        return self.stderr_path.read_text(errors="replace")[-2000:]


class Watch:
    """What the honest clients and the attacker report, kept as it arrives (from reader threads).

    Times are seconds since the honest clients started typing (their "ready").
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.honest_up: dict[str, set[int]] = defaultdict(set)  # room -> clients connected
        self.honest_changed: dict[str, float] = {}  # room -> when a client last (dis)connected
        self.attacker_in: set[str] = set()  # sessions the attacker holds sockets in
        self.attacker_left: dict[str, float] = {}  # session -> when the attacker last left it
        self.events: dict[str, list[dict]] = defaultdict(list)  # other events by kind

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 1)

    def on_honest(self, event: dict):
        with self.lock:
            if event["kind"] == "conn":
                clients = self.honest_up[event["room"]]
                (clients.add if event["up"] else clients.discard)(event["client"])
                self.honest_changed[event["room"]] = time.monotonic()
            else:
                if event["kind"] == "ready":
                    self.started = time.monotonic()
                self.events["honest " + event["kind"]].append(event)

    def on_attacker(self, event: dict):
        with self.lock:
            if event["kind"] == "busy":
                self.attacker_in.add(event["session"])
            elif event["kind"] == "idle":
                self.attacker_in.discard(event["session"])
                self.attacker_left[event["session"]] = time.monotonic()
            else:
                if event["kind"] == "attack":
                    event["started_s"] = round(self.elapsed() - event["seconds"], 1)
                self.events["attacker " + event["kind"]].append(event)

    def last(self, kind: str) -> dict | None:
        with self.lock:
            return self.events[kind][-1] if self.events[kind] else None

    def all(self, kind: str) -> list[dict]:
        with self.lock:
            return list(self.events[kind])

    def honest_connected(self, room: str) -> int:
        with self.lock:
            return len(self.honest_up[room])

    def quiet(self, sessions: list[str]) -> list[str]:
        """Sessions whose count should be exactly their honest clients now: no attacker, no reconnects."""
        now = time.monotonic()
        with self.lock:
            return [
                s for s in sessions
                if s not in self.attacker_in
                and now - self.attacker_left.get(s, -1e9) > QUIET_AFTER_ATTACK
                and now - self.honest_changed.get(s, -1e9) > QUIET_AFTER_RECONNECT
            ]

    def wait_for(self, kind: str, timeout: float, process: LineProcess) -> dict:
        deadline = time.monotonic() + timeout
        while (event := self.last(kind)) is None:
            if time.monotonic() > deadline or process.process.poll() is not None:
                raise RuntimeError(f"no {kind!r} from {process.process.args[:2]}:\n{process.stderr_tail()}")
            time.sleep(0.2)
        return event


# Watching the server during the run ---------------------------------------------------

class LogTail:
    """The server's log as it grows: lines about saving, slow readers and refusals, stamped when seen."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0
        self.lines: list[tuple[float, str]] = []

    def read(self, t_s: float):
        with open(self.path, "rb") as log:
            log.seek(self.offset)
            data = log.read()
        complete = data[:data.rfind(b"\n") + 1]
        self.offset += len(complete)
        for line in complete.decode(errors="replace").splitlines():
            if any(kept in line for kept in LOG_KEPT) and len(self.lines) < 50_000:
                self.lines.append((t_s, line[:300]))

    def slow_flushes(self) -> list[dict]:
        """Flushes the server logged as slow (over 0.5 s): when, how many sessions and updates, how long."""
        flushes = []
        for t_s, line in self.lines:
            if match := FLUSH_LINE.search(line):
                sessions, updates, ms = map(int, match.groups())
                flushes.append({"t_s": t_s, "sessions": sessions, "updates": updates, "ms": ms})
        return flushes


class Monitor:
    """RSS, timed REST reads, participant counts and the server's log, sampled in a thread until finished."""

    def __init__(self, server: SoakServer, sessions: list[str], watch: Watch):
        self.server = server
        self.sessions = sessions
        self.watch = watch
        self.pool = ThreadPoolExecutor(8)
        self.log = LogTail(server.log_path)
        self.samples: list[dict] = []
        self.checks: list[dict] = []
        self._recheck: list[dict] = []
        self._checking = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self):
        pid = self.server.process.pid
        status = self.watch.last("honest status") or {}
        sample = {
            "t_s": self.watch.elapsed(), "rss_mb": rss_mb(pid), "cpu_s": round(cpu_seconds(pid), 1),
            "load": os.getloadavg()[0], "edits": status.get("edits"), "delivered": status.get("delivered"),
            "pending": status.get("pending"), "attacks": len(self.watch.all("attacker attack")),
        }
        reads = {"health": self.server.url + "/health",
                 "participants_read": self.server.participants_url(random.choice(self.sessions))}
        for key, url in reads.items():
            self.pool.submit(timed_get, url).add_done_callback(partial(self._answered, sample, key))
        self.samples.append(sample)
        self.log.read(sample["t_s"])

    @staticmethod
    def _answered(sample: dict, key: str, future):
        answer = future.result()
        sample[key] = {"status": answer["status"], "ms": answer["ms"]}

    def check_participants(self):
        """Compare a sample of quiet honest sessions with the truth; ask again about earlier wrong counts."""
        quiet = self.watch.quiet(self.sessions)
        for record in self._recheck:
            if record["session"] in quiet:
                record["again"] = {"expected": self.watch.honest_connected(record["session"]),
                                   "got": participants(self.server, record["session"])}
        self._recheck = []
        for session in random.sample(quiet, min(CHECK_SAMPLE, len(quiet))):
            t_s, expected = self.watch.elapsed(), self.watch.honest_connected(session)
            record = {"t_s": t_s, "session": session, "expected": expected, "got": participants(self.server, session)}
            self.checks.append(record)
            if record["got"] != expected:
                self._recheck.append(record)

    def start(self):
        self._thread.start()

    def _run(self):
        """Sample every 10 s and check participants every 30 s, printing a line each time."""
        next_check = time.monotonic() + CHECK_EVERY
        while not self._stopping.is_set():
            tick = time.monotonic()
            self.sample()
            if tick >= next_check:
                next_check += CHECK_EVERY
                if self._checking is None or self._checking.done():
                    self._checking = self.pool.submit(self.check_participants)
                self.progress()
            self._stopping.wait(max(0.0, SAMPLE_EVERY - (time.monotonic() - tick)))

    def finish(self):
        """Stop sampling, wait for the reads still out, read the rest of the log."""
        self._stopping.set()
        self._thread.join()
        self.pool.shutdown(wait=True)
        self.log.read(self.watch.elapsed())

    def progress(self):
        answered = [s for s in self.samples if "health" in s and "participants_read" in s]
        s = answered[-1] if answered else self.samples[-1]
        reads = ", ".join(f"{key} {s[key]['status']} in {s[key]['ms']:.0f} ms"
                          for key in ("health", "participants_read") if key in s)
        wrong = sum(1 for c in self.checks if c["got"] != c["expected"])
        print(f"[{s['t_s']:5.0f} s] RSS {s['rss_mb']} MB, load {s['load']:.1f}; {reads}; honest edits {s['edits']}, "
              f"delivered {s['delivered']}, pending {s['pending']}; attacks {s['attacks']}; "
              f"participant checks {len(self.checks)} ({wrong} wrong)", flush=True)


def final_participants(server: SoakServer, watch: Watch, honest: list[str], own: list[str]) -> list[dict]:
    """Every session's count against the truth; wrong ones are asked again 10 s later."""
    def wrong():
        truth = {s: watch.honest_connected(s) for s in honest} | dict.fromkeys(own, 0)
        counts = participants_of(server, list(truth))
        return [{"session": s, "expected": e, "got": counts[s]} for s, e in truth.items() if counts[s] != e]

    first = wrong()
    if not first:
        return []
    time.sleep(10)
    still = {w["session"]: w for w in wrong()}
    return [{**w, "again": still.get(w["session"])} for w in first]


def wait_until_empty(server: SoakServer, sessions: list[str], timeout=PRESENCE_GRACE + 30) -> dict:
    """How long the sessions took to show nobody after everyone left, and those still not empty.

    Stock clients close without a status code (1005), which the server takes for a lost
    connection: their seats are kept for the grace period first.
    """
    started = time.monotonic()
    while True:
        left = {s: n for s, n in participants_of(server, sessions).items() if n != 0}
        if not left or time.monotonic() - started > timeout:
            return {"seconds": round(time.monotonic() - started, 1), "not_empty": left}
        time.sleep(2)


# The database check -------------------------------------------------------------------

def stored_documents(database: Path, sessions: list[str]) -> dict[str, str]:
    """Each session's document as the database holds it (cached state + newer log rows), base64."""
    documents = {}
    with closing(sqlite3.connect(database)) as db:
        for session in sessions:
            state, state_seq = db.execute(
                "SELECT state, state_seq FROM sessions_app_interviewsession WHERE id = ?", (session,)).fetchone()
            rows = db.execute("SELECT seq, data FROM sessions_app_logbatch WHERE session_id = ? AND last_seq > ?"
                              " ORDER BY seq", (session, state_seq)).fetchall()
            updates = [entry.data for _, entry in log_batch.entries(rows, state_seq)]
            parts = ([bytes(state)] if state else []) + updates
            merged = merge_updates(*parts) if len(parts) > 1 else b"".join(parts)
            documents[session] = base64.b64encode(merged).decode()
    return documents


def verify_ledger(ledger: Path, documents: dict[str, str], work: Path) -> dict:
    updates = work / "stored.json"
    updates.write_text(json.dumps(documents))
    result = subprocess.run(["node", str(BENCH / "soak_clients.mjs"), "verify", str(ledger), str(updates)],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"verify failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def log_problems(log: str) -> dict:
    """Tracebacks and ERROR/CRITICAL lines in the server's log, with the first few as excerpts."""
    lines = log.splitlines()
    bad = [i for i, line in enumerate(lines) if "Traceback" in line or "ERROR" in line or "CRITICAL" in line]
    return {
        "lines": len(lines),
        "tracebacks": sum(1 for line in lines if "Traceback" in line),
        "error_lines": len(bad),
        "excerpts": ["\n".join(lines[i:i + 12]) for i in bad[:3]],
        "slow_readers_closed": sum(1 for line in lines if "reads too slowly" in line),
    }


# Reporting ---------------------------------------------------------------------------

def table(columns: list[str], rows: list[list]) -> str:
    widths = [max(len(str(row[i])) for row in rows + [columns]) for i in range(len(columns))]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join([line(columns), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(r) for r in rows])


def in_minute(records: list[dict], minute: int, key="t_s") -> list[dict]:
    return [r for r in records if minute * 60 <= r[key] < (minute + 1) * 60]


def read_ms(samples: list[dict], key: str) -> list[float]:
    """Times of one kind of read; a read that got no answer counts as the timeout."""
    return [s[key]["ms"] for s in samples if key in s]


def minute_rows(result: dict) -> list[list]:
    rows = []
    for minute, latency in enumerate(result["honest"]["by_minute"]):
        samples = in_minute(result["samples"], minute)
        checks = in_minute(result["participant_checks"], minute)
        flushes = in_minute(result["slow_flushes"], minute)
        attacks = sorted({a["name"].split("_")[0] for a in in_minute(result["attack_timeline"], minute, "started_s")})
        health, reads = read_ms(samples, "health"), read_ms(samples, "participants_read")
        rows.append([
            minute + 1, latency["count"], latency["p50_ms"], latency["p99_ms"], latency["max_ms"],
            samples[-1]["rss_mb"] if samples else "-", max(health, default="-"), max(reads, default="-"),
            max((f["ms"] for f in flushes), default="-"),
            f"{sum(c['got'] == c['expected'] for c in checks)}/{len(checks)}", " ".join(attacks),
        ])
    return rows


def attack_rows(attacker: dict) -> list[list]:
    rows = []
    for attack, outcomes in attacker["counts"].items():
        for outcome, count in outcomes.items():
            unexpected = f"{attack}: {outcome}" in attacker["unexpected"]
            rows.append([attack, outcome, count, "**unexpected**" if unexpected else ""])
    return rows


def close_codes(closes: list) -> str:
    """" (close codes 1011 x 57 at 210-240 s, ...)": the honest clients' lost connections by code and time."""
    if not closes:
        return ""
    by_code = defaultdict(list)
    for t_s, code in closes:
        by_code[code].append(t_s)
    return " (close codes " + ", ".join(
        f"{code} x {len(times)} at {min(times)}-{max(times)} s" for code, times in sorted(by_code.items(), key=str)
    ) + ")"


def latency_line(latency: dict) -> str:
    return (f"{latency['count']} deliveries, p50 {latency['p50_ms']} ms, p99 {latency['p99_ms']} ms, "
            f"max {latency['max_ms']} ms")


def reads_summary(samples: list[dict], key: str) -> str:
    answers = [s[key] for s in samples if key in s]
    ms = sorted(a["ms"] for a in answers)
    failed = sum(1 for a in answers if a["status"] != 200)
    over = sum(1 for x in ms if x > 1000)
    return (f"{len(answers)} reads, {failed} not 200 (none within {READ_TIMEOUT:g} s counts as not 200); "
            f"median {statistics.median(ms)} ms, {over} over 1 s, max {ms[-1]} ms")


def markdown(result: dict) -> str:
    args, honest, attacker, final = result["args"], result["honest"], result["attacker"], result["final"]
    rss, checks = [s["rss_mb"] for s in result["samples"]], result["participant_checks"]
    wrong = [c for c in checks if c["got"] != c["expected"]]
    persistent = [c for c in wrong if c.get("again") and c["again"]["got"] != c["again"]["expected"]]
    verify, log, flushes = final["verify"], result["server_log"], result["slow_flushes"]
    own = len(attacker["own_sessions"])
    slowest_flush = max((f["ms"] for f in flushes), default=0)
    lines = [
        f"## Soak: {args['sessions']} sessions x {args['clients']} honest clients beside an attacker, "
        f"{args['duration']:g} s, {args['server']}",
        "",
        f"Started {result['started']} (server code at {result['commit']}); load average "
        f"{result['load_before']:.1f} before, {result['load_after']:.1f} after; server CPU {result['server_cpu_s']} s.",
        "",
        f"- honest edits: {honest['edits']} made, {honest['delivered']}/{honest['expected']} deliveries, "
        f"{honest['late_or_lost']} late or lost ({honest['over_1s']} over 1 s, {honest['over_5s']} over 5 s); "
        f"{honest['disconnects']} disconnects{close_codes(honest['closes'])}; "
        f"{honest['connected_at_end']}/{honest['clients']} connected at the end; "
        f"{honest['diverged_rooms']} sessions diverged",
        f"- edit latency while the attacker ran: {latency_line(honest['latency_attacked'])}; after it stopped "
        f"(until the honest clients stopped, {len(honest['by_minute'])} min after they started): "
        f"{latency_line(honest['latency_after'])}",
        f"- server RSS (every 10 s): min {min(rss)} MB, max {max(rss)} MB, last {rss[-1]} MB; "
        f"peak (VmHWM) {result['server_peak_rss_mb']} MB",
        f"- GET /health: {reads_summary(result['samples'], 'health')}",
        f"- GET participants (a random honest session): {reads_summary(result['samples'], 'participants_read')}",
        f"- flushes logged as slow (over 0.5 s): {len(flushes)}, the slowest {slowest_flush} ms",
        f"- participant counts of quiet honest sessions (every 30 s): {len(checks) - len(wrong)}/{len(checks)} right; "
        f"{len(persistent)} still wrong 30 s later",
        f"- after the attacker stopped: {len(final['participants_wrong'])} of {args['sessions'] + own} sessions "
        f"with a wrong count; after everyone left: {len(final['emptied']['not_empty'])} sessions not empty "
        f"{final['emptied']['seconds']} s later",
        f"- attacker, from {attacker['source']}: cycles {attacker['cycles']}; "
        f"{sum(sum(o.values()) for o in attacker['counts'].values())} outcomes, "
        f"{sum(attacker['unexpected'].values())} unexpected; session creations with a new X-Forwarded-For each: "
        f"at most {attacker['created_max_per_60s']} in any 60 s (rate {args['create_rate']})",
        f"- **every honest edit is in the database: {verify['found']} of {verify['edits']}** "
        f"({verify['missing']} missing, {verify['deleted']} deleted, {verify['changed']} changed; "
        f"{verify['foreign_chars']} characters in the code that no honest client typed)",
        f"- server log: {log['lines']} lines, {log['tracebacks']} tracebacks, {log['error_lines']} ERROR lines, "
        f"{log['slow_readers_closed']} slow readers closed",
        "",
        f"Per minute of typing (the attacker ran in minutes 1 to {math.ceil(result['attack_ended_s'] / 60)}): "
        "latency of the edits made in it; RSS at its last sample; the slowest /health and participants reads "
        "and flush logged; participant checks right/made; attacks started:",
        "",
        table(["min", "deliveries", "p50 ms", "p99 ms", "max ms", "RSS MB", "/health ms", "participants ms",
               "flush ms", "checks", "attacks"], minute_rows(result)),
        "",
        "Attacks (outcome counts over the run):",
        "",
        table(["attack", "case: outcome", "count", ""], attack_rows(attacker)),
    ]
    return "\n".join(lines)


# The run -----------------------------------------------------------------------------

def parse_rate(text: str) -> list[float]:
    """"2-5" -> [2.0, 5.0]; "4" -> [4.0, 4.0]."""
    low, _, high = text.partition("-")
    return [float(low), float(high or low)]


def start_honest(server, sessions, args, work: Path, watch: Watch) -> LineProcess:
    spec = {
        "url": server.ws_url + "/ws/yjs", "rooms": sessions, "clients": args.clients,
        "rate": parse_rate(args.rate), "grace_s": GRACE, "connect_timeout_s": 30 + len(sessions) * args.clients / 20,
        "ledger_path": str(work / "ledger.json"),
    }
    return LineProcess(["node", str(BENCH / "soak_clients.mjs"), "run", json.dumps(spec)], watch.on_honest,
                       work / "clients.stderr", stdin=True)


def start_attacker(server, sessions, duration: float, work: Path, watch: Watch) -> LineProcess:
    spec = {"port": server.port, "honest": sessions, "duration_s": duration}
    return LineProcess([sys.executable, str(BENCH / "soak_attacker.py"), json.dumps(spec)], watch.on_attacker,
                       work / "attacker.stderr")


def git_commit() -> str:
    """The commit the server runs from, with "+changes" when the working tree differs from it."""
    def git(*arguments):
        return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    changed = git("status", "--porcelain", "--untracked-files=no", "--", "sessions_app", "interview_project")
    return git("rev-parse", "--short", "HEAD") + (" +changes" if changed else "")


def soak(args, work: Path, stack: ExitStack, out_base: Path) -> dict:
    result = {"started": datetime.now().isoformat(timespec="seconds"), "args": vars(args),
              "commit": git_commit(), "load_before": os.getloadavg()[0]}
    server = SoakServer(server=args.server, env={
        "PAD_MAX_CONNECTIONS_PER_ADDRESS": "100000", "SESSION_CREATE_RATE": args.create_rate, "LOG_LEVEL": "INFO",
    })
    stack.callback(server.close)
    stack.callback(lambda: shutil.copyfile(server.log_path, out_base.with_name(out_base.name + "-server.log")))
    server.start()
    cpu_before = cpu_seconds(server.process.pid)
    sessions = create_sessions(server, args.sessions)
    print(f"server {args.server} on {server.url} (pid {server.process.pid}); {len(sessions)} sessions", flush=True)

    watch = Watch()
    honest = start_honest(server, sessions, args, work, watch)
    stack.callback(honest.stop)
    ready = watch.wait_for("honest ready", 60 + args.sessions * args.clients / 10, honest)
    print(f"{ready['synced']}/{ready['clients']} honest clients synced in {ready['connect_ms']} ms; typing", flush=True)

    attacker = start_attacker(server, sessions, args.duration, work, watch)
    stack.callback(attacker.stop)
    monitor = Monitor(server, sessions, watch)
    stack.callback(monitor.finish)
    monitor.start()
    attacker.wait(args.duration + 240)
    attacker.stop()
    honest.send("attack-over")
    result["attack_ended_s"] = watch.elapsed()
    report = watch.last("attacker report")
    if report is None:
        raise RuntimeError(f"the attacker ended without a report:\n{attacker.stderr_tail()}")
    print(f"attacker done: {report['cycles']} cycles, {sum(report['unexpected'].values())} unexpected outcomes",
          flush=True)

    time.sleep(QUIET_AFTER_ATTACK)
    final = {"participants_wrong": final_participants(server, watch, sessions, report["own_sessions"])}
    honest.send("stop")
    if not honest.wait(GRACE + 120):
        raise RuntimeError(f"the honest clients did not finish:\n{honest.stderr_tail()}")
    typed = watch.last("honest report")
    final["emptied"] = wait_until_empty(server, sessions + report["own_sessions"])
    monitor.finish()
    result.update(server_cpu_s=round(cpu_seconds(server.process.pid) - cpu_before, 1),
                  server_peak_rss_mb=rss_mb(server.process.pid, "VmHWM"), load_after=os.getloadavg()[0])

    time.sleep(3 * float(server.env.get("PAD_FLUSH_INTERVAL", 1)))  # the last flush
    server.stop()
    print("server stopped; checking the database against the ledger", flush=True)
    final["verify"] = verify_ledger(work / "ledger.json", stored_documents(server.database_path, sessions), work)
    monitor.log.read(watch.elapsed())
    result.update(
        honest=typed, attacker=report, attack_timeline=watch.all("attacker attack"), samples=monitor.samples,
        participant_checks=monitor.checks, slow_flushes=monitor.log.slow_flushes(), server_log_lines=monitor.log.lines,
        final=final, server_log=log_problems(server.log()),
    )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=600, help="seconds of attack and typing (default 600)")
    parser.add_argument("--sessions", type=int, default=100, help="honest sessions (default 100)")
    parser.add_argument("--clients", type=int, default=3, help="honest clients per session (default 3)")
    parser.add_argument("--rate", default="2-5",
                        help="keystrokes a second per honest client, N or MIN-MAX (default 2-5)")
    parser.add_argument("--server", default="uvicorn", choices=["uvicorn", "daphne"])
    parser.add_argument("--create-rate", default="120/min",
                        help="SESSION_CREATE_RATE of the server, per address (default 120/min)")
    args = parser.parse_args()

    # Ctrl-C and `kill` both end the run through the clean-up below (a shell may hand a
    # background job SIGINT ignored; SIGTERM would otherwise end Python on the spot).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    raise_open_files_limit()
    RESULTS.mkdir(exist_ok=True)
    out_base = RESULTS / f"soak-{datetime.now():%Y%m%d-%H%M%S}"
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pad-soak-")))
        result = soak(args, work, stack, out_base)
    out_path = out_base.with_suffix(".json")
    out_path.write_text(json.dumps(result, indent=1))
    print("\n" + markdown(result) + "\n")
    print(f"Results: {out_path.relative_to(ROOT)} (server log: {out_base.name}-server.log)")


if __name__ == "__main__":
    main()
