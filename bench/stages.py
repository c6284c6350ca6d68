"""CPU per keystroke in the live server, stage by stage: the compiled modules against plain Python.

    .venv/bin/python bench/stages.py                       # S=100 C=3 K=5, 20 s, 3 rounds of each
    .venv/bin/python bench/stages.py --scenario 300x3@5 --rounds 2 --compiled-only

Runs the standard load (bench/load.mjs) against one uvicorn process, in turns with the
per-keystroke modules compiled (scripts/build_native.py) and as Python (PAD_NATIVE=0).
The server times, in the CPU time of the thread that runs them (not wall time: the load
generator shares the machine), the read callback (`data_received`), the keystroke's
handling inside it (`receive_now`: gate, document, log entry, fan-out) and each socket
write (bench/stages_hook). The whole process's CPU is reported beside them, then the cyclic
collector's passes by generation and what the database thread ran, by function. Unlike
bench/hotpath.py, this is the code under the real load, caches shared with the clients.
"""
import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import PadTarget, parse_scenario, raise_open_files_limit, run_load  # noqa: E402


def one_run(native: bool, sessions: int, clients: int, keys: float, duration: float) -> dict:
    out = Path(tempfile.mkstemp(prefix="pad-stages-", suffix=".json")[1])
    saved = dict(os.environ)
    os.environ.update(PAD_NATIVE="1" if native else "0", PAD_STAGES_OUT=str(out),
                      PYTHONPATH=str(ROOT / "bench" / "stages_hook"))
    target = PadTarget(1, "uvicorn").start()
    try:
        pid = target.server_pids()[0]
        result = run_load(target, sessions, clients, keys, duration, workers=2,
                          on_start=lambda: os.kill(pid, signal.SIGUSR1))
        out.write_text("")
        os.kill(pid, signal.SIGUSR2)
        deadline = time.monotonic() + 30
        while not out.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        stages = json.loads(out.read_text())
    finally:
        target.close()
        out.unlink(missing_ok=True)
        os.environ.clear()
        os.environ.update(saved)
    return {**stages, "edits": result["edits"], "p99_ms": result["p99_ms"]}


def row(label: str, rows: list[dict]) -> str:
    """One table row: medians over `rows`."""
    def median(get):
        return statistics.median(get(one) for one in rows)

    def per_edit(name):
        return median(lambda one: 1e6 * one["stages"][name]["cpu_s"] / max(1, one["edits"]))

    def per_call(name):
        return median(lambda one: 1e6 * one["stages"][name]["cpu_s"] / max(1, one["stages"][name]["calls"]))

    return (f"| {label} | {median(lambda one: one['process_s']):.2f} | {median(lambda one: one['main_thread_s']):.2f} "
            f"| {per_edit('PadWebSocketProtocol.data_received'):.1f} | {per_edit('YjsConsumer.receive_now'):.1f} "
            f"| {per_call('PadWebSocketProtocol.write_binary'):.1f} | {median(lambda one: one['p99_ms']):.1f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="100x3@5")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compiled-only", action="store_true", help="skip the plain-Python runs")
    args = parser.parse_args()
    sessions, clients, keys = parse_scenario(args.scenario)
    raise_open_files_limit()
    runs = {True: [], False: []}
    for _ in range(args.rounds):
        for native in (True,) if args.compiled_only else (True, False):
            runs[native].append(one_run(native, sessions, clients, keys, args.duration))
    print(f"S={sessions} C={clients} K={keys}, {args.rounds} rounds each; medians; µs of CPU per keystroke")
    print("| | process CPU s | main thread s | data_received | receive_now | write_binary (per write) | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for native in (True, False):
        if runs[native]:
            print(row("compiled" if native else "Python", runs[native]))
    print("\nprocess CPU s by round:", {("compiled" if k else "Python"): [round(r["process_s"], 2) for r in v]
                                        for k, v in runs.items()})
    print("\nOff the read callback (medians, compiled): CPU s (calls)")
    rows = runs[True]
    for name in sorted({name for one in rows for name in one["stages"]}):
        if name.startswith(("gc ", "thread ")):
            seconds = statistics.median(one["stages"].get(name, {}).get("cpu_s", 0.0) for one in rows)
            calls = statistics.median(one["stages"].get(name, {}).get("calls", 0) for one in rows)
            label = f"collector, generation {name[3:]}" if name.startswith("gc ") else f"database thread: {name[7:]}"
            print(f"- {label}: {seconds:.3f} s ({calls:.0f})")


if __name__ == "__main__":
    main()
