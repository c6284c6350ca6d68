"""Memory a session's document costs per typed character in the server (pycrdt), in this process.

    .venv/bin/python bench/doc_memory.py [--sessions 100] [--chars 4785] [--random 0.2]

Each session's text is typed keystroke by keystroke by a separate writer document (a fraction
`--random` of keystrokes at a random position, the rest at the end), and each keystroke's
update is applied to the server's copy, as a room applies what its clients send. Reported:
resident memory added per character for one copy. A room holds two copies (its document and
the gate's trial copy), so its cost per character is twice that. The soak (bench/README.md)
types about 478,000 characters into 100 sessions.
"""
import argparse
import gc
import random

from pycrdt import Doc, Text


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--chars", type=int, default=4785)
    parser.add_argument("--random", type=float, default=0.2)
    args = parser.parse_args()
    rng = random.Random(1)
    before = resident_bytes()
    copies = []
    for _ in range(args.sessions):
        copy, writer = Doc(), Doc()
        text = writer.get("code", type=Text)
        updates = []
        writer.observe(lambda event, updates=updates: updates.append(event.update))
        for _ in range(args.chars):
            at = rng.randrange(len(text) + 1) if rng.random() < args.random else len(text)
            text.insert(at, "x")
        for update in updates:
            copy.apply_update(update)
        copies.append(copy)
    gc.collect()
    per_char = (resident_bytes() - before) / (args.sessions * args.chars)
    total = args.sessions * args.chars
    print(f"{args.sessions} sessions x {args.chars:,} characters typed one by one ({args.random:.0%} at random"
          f" places): {per_char:.0f} bytes per character per copy; a room (two copies) {2 * per_char:.0f};"
          f" {total:,} characters in rooms: {2 * per_char * total / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
