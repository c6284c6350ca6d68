"""Server-side runs: queue wait and run time of hello world per language, cold and warm; runs per minute.

    .venv/bin/python bench/runner_runs.py [--warm 5] [--burst 40] [--slots 2]

Starts Redis, a server (uvicorn, SQLite in a temp dir, runners out of process) and runner
workers (`manage.py runworker --layer runners pad-runner`), then sends runs over REST
(`POST /api/sessions/<id>/runs`, one session each) and reads the queue's rows: queue wait is
queued -> taken by a runner, run time is taken -> finished (compile, run and clean-up in a
fresh bubblewrap sandbox), end to end is queued -> finished.

1. Per language, with one runner: the first run after the runner started ("cold"), then
   `--warm` more, one at a time (their median).
2. `--burst` Go hello worlds sent at once, with one runner and then with two (each
   `--slots` runs at a time): runs per minute from the first queued to the last finished.
"""
import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.server import ServerProcess, create_session  # noqa: E402
from tests.support.services import shared_redis  # noqa: E402

HELLO = {
    "java": 'public class Main {\n    public static void main(String[] args) {\n'
            '        System.out.println("Hello, World!");\n    }\n}\n',
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("Hello, World!")\n}\n',
    "rust": 'fn main() {\n    println!("Hello, World!");\n}\n',
    "csharp": 'using System;\n\nclass Program {\n    static void Main() {\n'
              '        Console.WriteLine("Hello, World!");\n    }\n}\n',
    "kotlin": 'fun main() {\n    println("Hello, World!")\n}\n',
}


class Bench:
    def __init__(self, slots: int):
        self.slots = slots
        self.server = ServerProcess(
            env={"REDIS_URL": shared_redis().url, "PAD_RUNNER_MAX_QUEUED": "100", "PAD_RUNS_PER_MINUTE": "1000",
                 "PAD_RUNS_PER_MINUTE_PERSON": "1000"},
            server="uvicorn",
        ).start()
        self.db = self.server.env["DATABASE_URL"].removeprefix("sqlite:///")
        self.runners: list[subprocess.Popen] = []

    def query(self, sql, params=()):
        with sqlite3.connect(self.db, timeout=30) as connection:
            return connection.execute(sql, params).fetchall()

    def start_runner(self):
        runner = subprocess.Popen(
            [sys.executable, "manage.py", "runworker", "--layer", "runners", "pad-runner"], cwd=ROOT,
            env={**self.server.env, "PAD_RUNNER_SLOTS": str(self.slots)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.runners.append(runner)
        deadline = time.monotonic() + 60
        while not self.query("SELECT 1 FROM sessions_app_runner WHERE name LIKE ?", (f"%:{runner.pid}",)):
            if time.monotonic() > deadline:
                raise RuntimeError("the runner did not start")
            time.sleep(0.1)

    def stop_runners(self):
        for runner in self.runners:
            runner.terminate()
            runner.wait(20)
        self.runners = []

    def send(self, language: str, run_id: str):
        session_id, key = create_session(self.server, language=language, code=HELLO[language])
        request = urllib.request.Request(
            f"{self.server.url}/api/sessions/{session_id}/runs", data=json.dumps({"id": run_id}).encode(),
            method="POST", headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 202

    def times(self, run_ids: list[str], timeout=300) -> list[dict]:
        """Each run's queue wait, run time and end to end (seconds), once all have finished."""
        marks = ",".join("?" * len(run_ids))
        deadline = time.monotonic() + timeout
        while True:
            rows = self.query(f"SELECT run_id, status, created_at, started_at, finished_at FROM sessions_app_serverrun "
                              f"WHERE run_id IN ({marks}) AND state = 'finished'", run_ids)
            if len(rows) == len(run_ids):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(rows)} of {len(run_ids)} runs finished")
            time.sleep(0.05)
        at = datetime.fromisoformat
        return [{"id": run_id, "status": status, "wait": (at(started) - at(created)).total_seconds(),
                 "run": (at(finished) - at(started)).total_seconds(),
                 "total": (at(finished) - at(created)).total_seconds(),
                 "created": at(created), "finished": at(finished)}
                for run_id, status, created, started, finished in rows]

    def close(self):
        self.stop_runners()
        self.server.close()


def per_language(bench: Bench, warm: int):
    print("| language | cold: wait / run (s) | warm median: wait / run (s) | warm end to end (s) |")
    print("|---|---|---|---|")
    for language in HELLO:
        bench.stop_runners()
        bench.start_runner()  # a fresh runner process: its first run is the cold one
        results = []
        for n in range(warm + 1):
            run_id = f"{language}-{n}"
            bench.send(language, run_id)
            [result] = bench.times([run_id])
            assert result["status"] == "ok", result
            results.append(result)
        cold, rest = results[0], results[1:]
        median = {key: statistics.median(r[key] for r in rest) for key in ("wait", "run", "total")}
        print(f"| {language} | {cold['wait']:.2f} / {cold['run']:.2f} | {median['wait']:.2f} / {median['run']:.2f} "
              f"| {median['total']:.2f} |")


def burst(bench: Bench, runners: int, count: int, tag: str):
    bench.stop_runners()
    for _ in range(runners):
        bench.start_runner()
    run_ids = [f"{tag}-{n}" for n in range(count)]
    for run_id in run_ids:
        bench.send("go", run_id)
    results = bench.times(run_ids)
    assert all(r["status"] == "ok" for r in results), results
    span = (max(r["finished"] for r in results) - min(r["created"] for r in results)).total_seconds()
    waits = sorted(r["wait"] for r in results)
    print(f"| {runners} | {count} | {span:.1f} | {count / span * 60:.0f} | {statistics.median(waits):.2f} "
          f"| {waits[-1]:.2f} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--burst", type=int, default=40)
    parser.add_argument("--slots", type=int, default=2)
    args = parser.parse_args()
    bench = Bench(args.slots)
    try:
        per_language(bench, args.warm)
        print()
        print(f"Go hello worlds sent at once, {args.slots} runs at a time per runner:")
        print("| runners | runs | seconds | runs per minute | median wait (s) | longest wait (s) |")
        print("|---|---|---|---|---|---|")
        burst(bench, 1, args.burst, "one")
        burst(bench, 2, args.burst, "two")
    finally:
        bench.close()


if __name__ == "__main__":
    main()
