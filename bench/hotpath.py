"""What one keystroke costs the server in Python, without sockets or load generator: a steady
figure to judge a change to the per-edit path by, where `compare.py` moves 10-20% run to run.

    .venv/bin/python bench/hotpath.py                  # µs per keystroke, median of 7 passes
    .venv/bin/python bench/hotpath.py --profile        # and cProfile's top functions
    .venv/bin/python bench/hotpath.py --instructions   # instructions per keystroke (valgrind)

Three stock-shaped Yjs clients (pycrdt documents typing one character at a random place,
each seeing the others' keystrokes) make the keystrokes first. Each pass then feeds their
sync frames to a fresh room's real consumers through `YjsConsumer.receive_now`, the path a
keystroke takes on uvicorn: decoding, the rate guard, the gate and its checks, the document,
the log entry and the fan-out to the other two through their outboxes, down to a transport
that only counts bytes (no system call: those cost the same for any server).

`--instructions` counts what the CPU executes instead of timing it, under valgrind's
callgrind (apt-get install valgrind): the same on a busy host as on an idle one, where
the time per keystroke moves by a third from minute to minute here. It runs a pass of 300
and one of 1,500 keystrokes (of the same 1,500) in two processes and divides the difference,
which leaves out the start-up.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/, whose profile.py would shadow the standard library's

import argparse  # noqa: E402
import asyncio  # noqa: E402
import cProfile  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interview_project.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from pycrdt import Doc, Text  # noqa: E402

from sessions_app.realtime import protocol  # noqa: E402
from sessions_app.realtime.changes import ChangeOrigin, Identity  # noqa: E402
from sessions_app.realtime.guard import FrameGuard  # noqa: E402
from sessions_app.realtime.outbox import Outbox  # noqa: E402
from sessions_app.realtime.peers import NoPeers  # noqa: E402
from sessions_app.realtime.room import Room  # noqa: E402
from sessions_app.realtime.update_log import UpdateLog  # noqa: E402
from sessions_app.realtime.yjs_consumer import YjsConsumer  # noqa: E402

ALPHABET = "abcdefghijklmnopqrstuvwxyz (){}=;\n"


def keystrokes(count: int, clients: int = 3, seed: int = 1) -> list[tuple[int, bytes]]:
    """(typist, sync frame) for `count` keystrokes of `clients` documents kept in sync."""
    rng = random.Random(seed)
    docs = [Doc() for _ in range(clients)]
    texts = [doc.get("code", type=Text) for doc in docs]
    frames = []
    for n in range(count):
        typist = n % clients
        before = docs[typist].get_state()
        text = texts[typist]
        text.insert(rng.randint(0, len(text)), rng.choice(ALPHABET))
        update = docs[typist].get_update(before)
        for other, doc in enumerate(docs):
            if other != typist:
                doc.apply_update(update)
        frames.append((typist, protocol.sync_update(update)))
    return frames


class CountingTransport:
    """An asyncio transport that takes every write at once."""

    def __init__(self):
        self.written = 0

    def write(self, data):
        self.written += len(data)

    def get_write_buffer_size(self):
        return 0

    def abort(self):
        pass

    def is_closing(self):
        return False


class Server:
    """The pad's uvicorn protocol as the outbox sees it: a writer of binary frames."""

    def __init__(self):
        self.transport = CountingTransport()

    def write_binary(self, data: bytes) -> bool:
        self.transport.write(data)
        return True

    async def send(self, message):
        raise AssertionError("the hot path never goes through `send`")


def consumer(room: Room, number: int) -> YjsConsumer:
    """A joined Yjs consumer, as `connect` leaves it, writing to a CountingTransport."""
    self = YjsConsumer.__new__(YjsConsumer)
    self.pad = settings.PAD
    self.room = room
    self.ready = self.idle = True
    self.connection_id = f"c{number}"
    self.identity = Identity()
    self.origin = ChangeOrigin("connection", self.identity, self)
    self.guard = FrameGuard(1e9, 1e9)
    self.outbox = Outbox(Server().send, 1 << 30, 1 << 30, lambda code, reason: None, 60.0)
    room.add(self)
    return self


async def one_pass(frames) -> float:
    room = Room("bench", UpdateLog(3600, 10**9), NoPeers, settings.PAD)
    consumers = [consumer(room, n) for n in range(3)]
    receivers = [c.receive_now for c in consumers]
    started = time.perf_counter()
    for typist, frame in frames:
        if not receivers[typist](frame):
            raise SystemExit("a keystroke was declined: the hot path is not what is measured")
    elapsed = time.perf_counter() - started
    if str(room.document.code_text) == "" or not consumers[0].outbox.probe._asyncio.written:
        raise SystemExit("nothing reached the document or the other clients")
    room.gate.close()
    return elapsed / len(frames)


INSTRUCTION_PASSES = (300, 1500)


def instructions_per_keystroke() -> float:
    """Instructions per keystroke: callgrind's total for a pass of 1,500 keystrokes, less one of 300."""
    totals = []
    for count in INSTRUCTION_PASSES:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", "--cache-sim=no", "--callgrind-out-file=/dev/null",
             sys.executable, __file__, "--one-pass", str(count)],
            capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        totals.append(int(re.search(r"Collected : (\d+)", result.stderr).group(1)))
    return (totals[1] - totals[0]) / (INSTRUCTION_PASSES[1] - INSTRUCTION_PASSES[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keystrokes", type=int, default=3000)
    parser.add_argument("--passes", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--one-pass", type=int, help=argparse.SUPPRESS)  # (a pass --instructions counts)
    args = parser.parse_args()
    if args.one_pass:
        asyncio.run(one_pass(keystrokes(max(INSTRUCTION_PASSES))[:args.one_pass]))
        return
    if args.instructions:
        print(f"{instructions_per_keystroke():,.0f} instructions per keystroke")
        return
    frames = keystrokes(args.keystrokes)
    times = [asyncio.run(one_pass(frames)) for _ in range(args.passes)]
    print(f"{statistics.median(times) * 1e6:.1f} µs per keystroke (median of {args.passes} passes of "
          f"{args.keystrokes}; min {min(times) * 1e6:.1f})")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        asyncio.run(one_pass(frames))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
