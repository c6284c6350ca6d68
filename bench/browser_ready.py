"""Time from navigation to an editable editor in headless Chromium, and the built bundle's size.

    .venv/bin/python bench/browser_ready.py [--runs 5] [--url http://127.0.0.1:8000]

Without --url it starts its own server (daphne, SQLite in a temp dir). Each run uses a
fresh browser context (empty cache and storage: a first visit) on one Chromium, opens a
session page and waits for `[data-testid=editor-ready][data-ready=true]` (editor bound and
first sync done) with `window.__pad.editor` writable. Reported per run:

- ready: the page's own clock, navigation start (performance.timeOrigin) -> the moment the
  ready attribute appeared (a MutationObserver installed before any script runs);
- wall: Python's clock, page.goto() called -> the ready check returned (includes the
  round trips to the browser).

The bundle: total bytes of every file under frontend/dist, and per folder (assets/: what
every page loads from, and the runtimes' hashed files; runtimes/: loaded only when a session
first runs a language) the gzip (level 9) size, file by file, summed. The build's own
pre-compressed copies (.gz, .br) are not counted.
"""
import argparse
import gzip
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.support import READY, launch_chromium  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

DIST = ROOT / "frontend" / "dist"

# Records when the editor becomes ready, on the page's clock, without polling.
WATCH_READY = """
if (location.protocol === 'http:') {
  localStorage.setItem('pad.displayName', 'Bench')
  new MutationObserver((_, observer) => {
    if (document.querySelector('READY')) { window.__readyAt = performance.now(); observer.disconnect() }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] })
}
""".replace("READY", READY)


def create_session(base_url):
    request = urllib.request.Request(base_url + "/api/sessions/", data=json.dumps({"code": "print('hi')\n"}).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["id"]


def measure(browser, url):
    context = browser.new_context()
    try:
        context.add_init_script(WATCH_READY)
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => !!window.__readyAt && !!window.__pad"
                               " && !window.__pad.editor.getOption(window.__pad.monaco.editor.EditorOption.readOnly)")
        wall = time.perf_counter() - start
        ready = page.evaluate("() => window.__readyAt") / 1000
        return ready, wall
    finally:
        context.close()


def folder_size(folder):
    """(bytes, gzip -9 bytes per file summed, {file: gzip bytes})"""
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix not in (".gz", ".br")]
    gz = {p: len(gzip.compress(p.read_bytes(), compresslevel=9)) for p in files}
    return sum(p.stat().st_size for p in files), sum(gz.values()), gz


def summary(label, values):
    ms = [v * 1000 for v in values]
    return f"{label}: median {statistics.median(ms):.0f} ms, min {min(ms):.0f} ms, max {max(ms):.0f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="a running server (default: start one)")
    args = parser.parse_args()

    server = None if args.url else ServerProcess().start()
    base_url = args.url or server.url
    try:
        session_url = f"{base_url}/session/{create_session(base_url)}"
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                measure(browser, session_url)  # warm-up: the server's first responses, not the browser's cache
                runs = [measure(browser, session_url) for _ in range(args.runs)]
            finally:
                browser.close()
    finally:
        if server:
            server.close()

    print(f"navigation -> editable editor, {args.runs} runs, a cold browser context each:")
    for i, (ready, wall) in enumerate(runs, 1):
        print(f"  run {i}: ready {ready * 1000:.0f} ms (page clock), {wall * 1000:.0f} ms (wall)")
    print("  " + summary("ready (page clock)", [r for r, _ in runs]))
    print("  " + summary("wall", [w for _, w in runs]))

    total, total_gz, _ = folder_size(DIST)
    print(f"bundle: frontend/dist {total:,} bytes ({total_gz:,} gzip -9, per file summed)")
    for sub in sorted(p for p in DIST.iterdir() if p.is_dir()):
        raw, gz, per_file = folder_size(sub)
        print(f"  dist/{sub.name}: {raw:,} bytes, {gz:,} gzip")
        for path, size in sorted(per_file.items(), key=lambda kv: -kv[0].stat().st_size)[:4]:
            print(f"    {path.relative_to(DIST)}: {path.stat().st_size:,} bytes, {size:,} gzip")


if __name__ == "__main__":
    main()
