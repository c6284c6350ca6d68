"""Running code in the browser: Pyodide's first load, a warm Python run, a JavaScript run.

    .venv/bin/python bench/run_timings.py [--repeats 5] [--warm 5]

Starts a real server process (daphne, SQLite) and headless Chromium. Each repeat opens a
Python session in a fresh browser context (empty cache, like a first visit), then times,
inside the page, from the Run click to the new entry in the output panel:

- Python, first run: Pyodide downloaded from this server, compiled and started, then
  `print(sum(range(10)))`;
- Python, warm: the same program again, `--warm` times (median per repeat);
- JavaScript: `console.log(...)` in a fresh worker.

Prints each repeat and the medians. Needs a built frontend (npm --prefix frontend run build).
"""
import argparse
import json
import statistics
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.support.server import ServerProcess  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ENTRY = "[data-testid=output-panel] [data-testid=run-entry]"

# Click Run, resolve with the milliseconds until the panel shows one more entry.
TIMED_RUN = """async ([selector, code]) => {
    window.__pad.editor.getModel().setValue(code)
    const before = document.querySelectorAll(selector).length
    const button = document.querySelector('[data-testid=run-button]')
    while (button.disabled) await new Promise((r) => setTimeout(r, 5))
    return await new Promise((resolve) => {
        const observer = new MutationObserver(() => {
            if (document.querySelectorAll(selector).length > before) {
                observer.disconnect()
                resolve(performance.now() - start)
            }
        })
        observer.observe(document.body, { childList: true, subtree: true })
        const start = performance.now()
        button.click()
    })
}"""


def create_session(server, language):
    request = urllib.request.Request(
        server.url + "/api/sessions/", data=json.dumps({"language": language}).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())["id"]


def timed_run(page, code, expected):
    ms = page.evaluate(TIMED_RUN, [ENTRY, code])
    stdout = page.locator(ENTRY).first.get_by_test_id("run-stdout").text_content()
    if stdout.strip() != expected:
        raise RuntimeError(f"unexpected output {stdout!r} (wanted {expected!r})")
    return ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warm", type=int, default=5, help="warm Python runs per repeat")
    args = parser.parse_args()
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        sys.exit("frontend/dist is missing: npm --prefix frontend run build")

    server = ServerProcess().start()
    cold, warm, js = [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            for repeat in range(args.repeats):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.add_init_script("localStorage.setItem('pad.displayName', 'Bench')")
                page = context.new_page()
                page.goto(f"{server.url}/session/{create_session(server, 'python')}")
                page.wait_for_selector("[data-testid=editor-ready][data-ready=true]", timeout=30_000)
                first = timed_run(page, "print(sum(range(10)))", "45")
                warms = [timed_run(page, "print(sum(range(10)))", "45") for _ in range(args.warm)]
                page.evaluate("() => window.__pad.doc.getMap('meta').set('language', 'javascript')")
                page.wait_for_function("() => window.__pad.editor.getModel().getLanguageId() === 'javascript'")
                js_ms = timed_run(page, "console.log([1, 2, 3].map((n) => n * 2))", "[ 2, 4, 6 ]")
                cold.append(first)
                warm.append(statistics.median(warms))
                js.append(js_ms)
                print(f"repeat {repeat + 1}: python first {first:7.0f} ms   python warm {warm[-1]:5.0f} ms"
                      f"   javascript {js_ms:5.0f} ms")
                context.close()
            browser.close()
    finally:
        server.close()

    print()
    print(f"median of {args.repeats} (click Run -> entry shown, measured in the page):")
    print(f"  Python, first run (Pyodide load + run): {statistics.median(cold):7.0f} ms")
    print(f"  Python, warm run:                       {statistics.median(warm):7.0f} ms")
    print(f"  JavaScript run (fresh worker):          {statistics.median(js):7.0f} ms")


if __name__ == "__main__":
    main()
