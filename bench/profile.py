"""Where the pad's server spends its CPU under load: py-spy samples one process while the
standard load (bench/load.mjs: stock Yjs clients typing) runs against it.

    .venv/bin/pip install py-spy                              # once; not part of the test set-up
    .venv/bin/python bench/profile.py                         # S=100 C=3 K=5 for 20 s, uvicorn
    .venv/bin/python bench/profile.py --server daphne --scenario 300x3@5

Prints the functions with the most CPU, by their own time and including what they call,
and writes py-spy's collapsed stacks to bench/results/profile-<time>.txt (a flame graph
tool reads them).
"""
import argparse
import signal
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import RESULTS, PadTarget, parse_scenario, raise_open_files_limit, run_load  # noqa: E402


def frame_name(frame: str) -> str:
    """`function (path/to/module.py:line)` -> `module.py:function`."""
    function, _, where = frame.partition(" (")
    path = where.split(":")[0]
    return f"{Path(path).name}:{function}"


def top_functions(collapsed: str, count: int = 25) -> tuple[list, list, int]:
    own, total, samples = Counter(), Counter(), 0
    for line in collapsed.splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        frames = [frame_name(frame) for frame in stack.split(";") if frame]
        samples += int(number)
        own[frames[-1]] += int(number)
        for name in set(frames):
            total[name] += int(number)
    return own.most_common(count), total.most_common(count), samples


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="100x3@5")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--server", default="uvicorn", choices=["uvicorn", "daphne"])
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--native", action="store_true",
                        help="every running thread with its native frames (Rust, C, the kernel's calls), not only"
                             " the thread holding the GIL; py-spy then pauses the server for each sample)")
    args = parser.parse_args()
    sessions, clients, keys = parse_scenario(args.scenario)
    raise_open_files_limit()
    RESULTS.mkdir(exist_ok=True)
    output = RESULTS / f"profile-{datetime.now():%Y%m%d-%H%M%S}.txt"
    target = PadTarget(1, args.server).start()
    try:
        spy = None

        def start_spy():  # once the sessions exist: their creation is not the load being measured
            nonlocal spy
            spy = subprocess.Popen(
                [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(target.server_pids()[0]),
                 "--rate", str(args.rate), "--format", "raw", "--output", str(output),
                 *(["--native"] if args.native else ["--nonblocking", "--gil"])],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )

        result = run_load(target, sessions, clients, keys, args.duration, workers=2, on_start=start_spy)
        spy.send_signal(signal.SIGINT)  # py-spy writes its output when interrupted
        _, errors = spy.communicate(timeout=60)
        if not output.exists():
            raise RuntimeError(f"py-spy wrote nothing: {errors.decode()[-2000:]}")
    finally:
        target.close()
    own, total, samples = top_functions(output.read_text())
    print(f"{args.server}, S={sessions} C={clients} K={keys}: p99 {result['p99_ms']:.1f} ms, "
          f"CPU {result['server_cpu_s']} s for {result['delivered']} delivered edits, {samples} samples")
    print("\nown time:")
    for name, n in own:
        print(f"  {100 * n / samples:5.1f}%  {name}")
    print("\nincluding callees:")
    for name, n in total:
        print(f"  {100 * n / samples:5.1f}%  {name}")
    print(f"\ncollapsed stacks: {output}")


if __name__ == "__main__":
    main()
