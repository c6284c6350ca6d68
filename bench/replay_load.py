"""Opening the replay of a long interview in Chromium: how soon it is scrubbable.

    .venv/bin/python bench/replay_load.py [--updates 20000] [--minutes 60] [--runs 5] [--seeks 10] [--cached]

Starts a server (uvicorn, SQLite in a temp dir), creates a session and writes a realistic
interview straight into its database (tests/support/interviews.py: a candidate typing keystroke
by keystroke with corrections and pastes, an interviewer's comments, runs, a language change,
focus losses): `--updates` logged updates over `--minutes`. Then, `--runs` times, a fresh
browser context (empty cache and storage: a first visit) opens the replay page through the
interviewer's secret link (`/session/<id>/replay#key=...`: the key is traded for the role cookie,
then the replay's data is fetched) and waits for `window.__replay.ready`: the code is shown (as
plain text coloured by author) and any moment can be sought; then for Monaco to take over.
Reported, on the page's clock from navigation start (performance.timeOrigin):

- scrubbable: navigation start -> `window.__replay.ready` (the code shown, any moment can be
  sought), and the moments on the way (the page's `performance.mark`s: the request for the data,
  its answer and its indexing in a worker, the page's own code evaluated), then Monaco in place;
- seek: `window.__replay.seekSeconds(t)` for `--seeks` random moments, each timed in the page
  (the code, the authorship colours and the controls updated before it returns), in the plain
  text view and again once Monaco shows the code;
- the bytes of the GET /api/sessions/<id>/replay answer (uncompressed, as served) and its time
  from a script, and the time of GET .../record.
"""
import argparse
import random
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.support import launch_chromium  # noqa: E402
from tests.support.interviews import write_interview  # noqa: E402
from tests.support.server import ServerProcess, create_session  # noqa: E402

# Moments the page marks on its clock (performance.mark), in the order they happen.
MARKS = {
    "replay:request": "the data requested (index.html's inline script, before the app's code loads)",
    "replay:fetched": "the /replay answer received (streamed to the indexing worker)",
    "replay:indexed": "every step indexed (in the worker)",
    "replay:chunk": "the replay page's code evaluated (without Monaco)",
    "replay:ready": "**scrubbable**: code shown as text coloured by author (`__replay.ready`)",
    "replay:editor": "Monaco in place of the text (highlighting, a caret), same position",
}
SEEK = ("(moments) => moments.map((s) => { const t = performance.now(); window.__replay.seekSeconds(s);"
        " window.__replay.code(); return performance.now() - t })")


def timed_get(server, path, key, repeats=5):
    """(median ms, bytes) of a GET as a script would make it (no browser)."""
    times, size = [], 0
    for _ in range(repeats):
        request = urllib.request.Request(f"{server.url}{path}", headers={"Authorization": f"Bearer {key}"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            size = len(response.read())
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), size


def measure(browser, url, seeks, rng, context=None):
    """One opening of the replay, in `context` (kept open) or in a fresh one (closed after)."""
    fresh = context is None
    if fresh:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        wall_start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => !!(window.__replay && window.__replay.ready)", timeout=60_000, polling="raf")
        wall = (time.perf_counter() - wall_start) * 1000
        span = page.evaluate("() => window.__replay.duration()")
        text_seeks = page.evaluate(SEEK, [rng.uniform(0, span) for _ in range(seeks)])
        page.wait_for_function("() => window.__replay.view() === 'monaco'", timeout=60_000, polling="raf")
        marks = page.evaluate(
            "(names) => Object.fromEntries(names.map((n) => [n, performance.getEntriesByName(n)[0]?.startTime]))",
            list(MARKS),
        )
        seek_ms = page.evaluate(SEEK, [rng.uniform(0, span) for _ in range(seeks)])
        # The ended interview's record loads after the replay: let it finish, so that the next
        # run starts against an idle server.
        page.wait_for_selector("[data-testid=record]", timeout=120_000)
        if errors:
            raise RuntimeError(f"the page threw: {errors}")
        steps = page.evaluate("() => window.__replay.steps")
        result = {"marks": marks, "wall": wall, "seeks": seek_ms, "text_seeks": text_seeks, "steps": steps}
        page.close()
        return result
    finally:
        if fresh:
            context.close()


def stats(values):
    return f"{statistics.median(values):.0f} | {min(values):.0f} | {max(values):.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seeks", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cached", action="store_true",
                        help="one browser context for every run, opened once before: the app's files come from"
                        " its cache (an interviewer who has just used the pad); the replay's data is fetched each time")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    server = ServerProcess(server="uvicorn").start()
    try:
        session_id, key = create_session(server, title="Replay benchmark")
        started = time.perf_counter()
        written = write_interview(server, session_id, updates=args.updates, minutes=args.minutes, seed=args.seed)
        print(f"wrote {written['updates']:,} updates, {written['events']} events, final code"
              f" {written['final_code_chars']:,} characters ({time.perf_counter() - started:.1f} s)")
        replay_ms, size = timed_get(server, f"/api/sessions/{session_id}/replay", key)
        record_ms, _ = timed_get(server, f"/api/sessions/{session_id}/record", key)
        url = f"{server.url}/session/{session_id}/replay#key={key}"
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900}) if args.cached else None
                # Warm-up: the server's first answers (and, with --cached, the browser's cache).
                measure(browser, url, 1, rng, context)
                runs = [measure(browser, url, args.seeks, rng, context) for _ in range(args.runs)]
            finally:
                browser.close()
    finally:
        server.close()

    seeks = [ms for run in runs for ms in run["seeks"]]
    text_seeks = [ms for run in runs for ms in run["text_seeks"]]
    print()
    how = "one browser context, the app's files cached" if args.cached else "a fresh browser context each"
    print(f"Replay of a {args.minutes:g}-minute interview of {runs[0]['steps']:,} logged steps, opened"
          f" {args.runs} times through the interviewer link, {how};"
          " ms on the page's clock from navigation start:")
    print()
    print("| from navigation start to | median | min | max |")
    print("|---|---|---|---|")
    for name, label in MARKS.items():
        print(f"| {label} | {stats([run['marks'][name] for run in runs])} |")
    print(f"| ready seen by the test driver (wall clock from `goto`) | {stats([run['wall'] for run in runs])} |")
    print()
    for view, values in (("plain text", text_seeks), ("Monaco", seeks)):
        print(f"Seeking to a random moment in {view} ({len(values)} seeks: code, authorship colours and controls"
              f" updated): median {statistics.median(values):.1f} ms, min {min(values):.1f} ms,"
              f" max {max(values):.1f} ms.")
    print(f"GET /replay: {size:,} bytes, {replay_ms:.0f} ms (median of 5, no browser);"
          f" GET /record (loaded after the replay, for an ended interview): {record_ms:.0f} ms.")


if __name__ == "__main__":
    main()
