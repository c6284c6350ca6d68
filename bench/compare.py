"""The pad at an earlier commit beside the pad now and the Yjs reference, taking turns, same load.

    .venv/bin/python bench/compare.py a819c7d                        # S=100, 3 rounds
    .venv/bin/python bench/compare.py a819c7d --scenario 300x3@5

A change to the server is judged by the CPU it costs per delivered edit; on a shared
machine that figure moves by 10-20% from minute to minute, so the three servers run in
turn, round after round, and each is reported against the reference of the same rounds.
The earlier commit is checked out in a temporary git worktree that borrows this
checkout's virtual environment and Node packages, and builds its compiled modules, if it has
any (scripts/build_native.py).
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import parse_scenario, raise_open_files_limit, run_once  # noqa: E402

import tests.support.server as server_support  # noqa: E402

BORROWED = (".venv", "frontend/node_modules", "bench/reference/node_modules")


def worktree(commit: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), commit],
                   check=True, capture_output=True)
    for path in BORROWED:
        if (ROOT / path).exists() and not (where / path).exists():
            (where / path).symlink_to(ROOT / path)
    build = where / "scripts" / "build_native.py"
    if build.exists():  # a commit with compiled modules runs them compiled, as its servers would
        subprocess.run([sys.executable, str(build)], cwd=where, check=True, capture_output=True)
    return where


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commit", help="the earlier commit to compare with")
    parser.add_argument("--scenario", default="100x3@5")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=20)
    args = parser.parse_args()
    sessions, clients, keys = parse_scenario(args.scenario)
    raise_open_files_limit()
    with tempfile.TemporaryDirectory(prefix="pad-compare-") as tmp:
        earlier = worktree(args.commit, Path(tmp) / "tree")
        try:
            runs = [(args.commit, "pad-1", earlier), ("now", "pad-1", ROOT), ("reference", "reference", ROOT)]
            cpu = {label: [] for label, _, _ in runs}
            p99 = {label: [] for label, _, _ in runs}
            for _ in range(args.rounds):
                for label, target, root in runs:
                    server_support.ROOT = root  # where ServerProcess runs manage.py
                    result = run_once(target, sessions, clients, keys, args.duration, 1, "uvicorn")
                    if result["delivered"] != result["expected"]:
                        raise SystemExit(f"{label}: {result['delivered']} of {result['expected']} edits delivered")
                    cpu[label].append(result["server_cpu_s"])
                    p99[label].append(round(result["p99_ms"], 1))
                    print(f"{label:10} CPU {result['server_cpu_s']:6.2f} s (user {result['server_user_s']:.2f},"
                          f" system {result['server_sys_s']:.2f})  p99 {result['p99_ms']:7.1f} ms", flush=True)
        finally:
            server_support.ROOT = ROOT
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(earlier)], check=False)
    reference = sum(cpu["reference"])
    print(f"\nS={sessions} C={clients} K={keys}, {args.rounds} rounds of {args.duration:g} s:")
    for label in cpu:
        ratio = sum(cpu[label]) / reference
        print(f"  {label:10} CPU s {cpu[label]}  p99 ms {p99[label]}  -> {ratio:.2f}x the reference's CPU")


if __name__ == "__main__":
    main()
