"""Running code in the browser: cold and warm run times of every runnable language, and the
bytes each one fetches, over HTTP from the pad's own server.

    .venv/bin/python bench/run_timings.py [--repeats 3] [--warm 5] [--languages python,ruby,...]
                                          [--settle 60] [--server uvicorn|daphne] [--json results.json]

Starts a real server process (SQLite) and headless Chromium. For each language and repeat:

- cold: a fresh browser profile (a new user-data directory on disk: no HTTP cache), a new
  session in that language, then the time from the Run click to the run's entry in the
  output panel for a hello world: the runtime is downloaded from this server, compiled and
  started, then runs;
- bytes: what that cold page fetched over the network for the run (transfer sizes, i.e.
  compressed when the server sent it compressed), and how many requests;
- cache: a second page in the same profile (the runtime's files come from the browser's
  disk cache, but it is compiled and started again), time to the first entry;
- warm: further runs in the first page (runtime loaded): hello world and sum 1..10^6
  (`--warm` times each, median). For C and C++ a run includes compiling. C++ precompiles
  its standard headers in the background after its first run: its warm runs are timed
  after `--settle` seconds of quiet (and, separately, right away).

Also the first page load (before any run) in bytes, to show it does not grow with the
runtimes. Prints a Markdown table of medians. Needs a built frontend (npm --prefix frontend
run build).
"""
import argparse
import json
import statistics
import sys
import tempfile
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

# language -> (hello world, its output, sum 1..10^6, its output)
PROGRAMS = {
    "javascript": ("console.log('hello')", "hello",
                   "let s = 0\nfor (let i = 1; i <= 1e6; i++) s += i\nconsole.log(s)", "500000500000"),
    "typescript": ("const greeting: string = 'hello'\nconsole.log(greeting)", "hello",
                   "let s: number = 0\nfor (let i = 1; i <= 1e6; i++) s += i\nconsole.log(s)", "500000500000"),
    "python": ("print('hello')", "hello", "print(sum(range(1, 10**6 + 1)))", "500000500000"),
    "sql": ("select 'hello' as greeting;", None,
            "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000000)\nselect sum(i) from n;",
            None),
    "postgresql": ("select 'hello' as greeting;", None, "select sum(i) from generate_series(1, 1000000) as i;", None),
    "ruby": ("puts 'hello'", "hello", "puts (1..1_000_000).sum { |i| i }", "500000500000"),
    "lua": ("print('hello')", "hello", "local s = 0\nfor i = 1, 1000000 do s = s + i end\nprint(s)", "500000500000"),
    "php": ("<?php echo \"hello\\n\";", "hello",
            "<?php\n$s = 0;\nfor ($i = 1; $i <= 1000000; $i++) $s += $i;\necho $s, \"\\n\";", "500000500000"),
    "c": ("#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }", "hello",
          "#include <stdio.h>\nint main(void) {\n  long long s = 0;\n"
          "  for (long long i = 1; i <= 1000000; i++) s += i;\n  printf(\"%lld\\n\", s);\n  return 0;\n}",
          "500000500000"),
    "cpp": ("#include <iostream>\nint main() { std::cout << \"hello\" << std::endl; }", "hello",
            "#include <iostream>\nint main() {\n  long long s = 0;\n"
            "  for (long long i = 1; i <= 1000000; i++) s += i;\n  std::cout << s << std::endl;\n}", "500000500000"),
}
# The SQL runs print tables: check a word of them instead.
CHECK = {"sql": ("hello", "500000500000"), "postgresql": ("hello", "500000500000")}

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
        server.url + "/api/sessions/", data=json.dumps({"language": "python"}).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())["id"]


class Traffic:
    """Requests of a browser context, labelled with the phase they were made in, and the
    bytes they transferred (asked once the phase's requests are all done)."""

    def __init__(self, context):
        self.phase = "page"
        self.requests = []
        context.on("request", lambda request: self.requests.append((self.phase, request)))

    def bytes(self, phase):
        total, count = 0, 0
        for label, request in self.requests:
            if label != phase:
                continue
            try:
                sizes = request.sizes()  # waits for the response to finish
            except Exception:  # failed, or its page is gone
                continue
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            count += 1
        return total, count


def open_page(context, server, language):
    page = context.new_page()
    page.goto(f"{server.url}/session/{create_session(server, language)}")
    page.wait_for_selector("[data-testid=editor-ready][data-ready=true]", timeout=60_000)
    if language != "python":
        page.evaluate("(l) => window.__pad.doc.getMap('meta').set('language', l)", language)
        page.wait_for_function(
            "(l) => document.querySelector('[data-testid=language-select]').value === l", arg=language)
    return page


def timed_run(page, code, expected, timeout=180_000):
    page.set_default_timeout(timeout)
    ms = page.evaluate(TIMED_RUN, [ENTRY, code])
    entry = page.locator(ENTRY).first
    status = entry.get_attribute("data-status")
    stdout = entry.get_by_test_id("run-stdout")
    text = stdout.text_content() if stdout.count() else ""
    if status != "ok" or expected not in text:
        parts = [entry.get_by_test_id(f"run-{part}") for part in ("stderr", "message")]
        details = " ".join(repr(part.text_content()) for part in parts if part.count())
        raise RuntimeError(f"unexpected run: {status} {text!r} {details} (wanted {expected!r})")
    return ms


def measure(playwright, server, language, warm_runs, settle):
    hello, hello_out, loop, loop_out = PROGRAMS[language]
    hello_out, loop_out = CHECK.get(language, (hello_out, loop_out))
    profile = tempfile.TemporaryDirectory(prefix="pad-bench-profile-")
    context = playwright.chromium.launch_persistent_context(
        profile.name, executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 800},
    )
    context.add_init_script("localStorage.setItem('pad.displayName', 'Bench')")
    traffic = Traffic(context)
    try:
        page = open_page(context, server, language)
        page.wait_for_timeout(300)
        page_bytes, _ = traffic.bytes("page")
        traffic.phase = "run"
        cold = timed_run(page, hello, hello_out)
        page.wait_for_timeout(300)
        run_bytes, requests = traffic.bytes("run")
        traffic.phase = "warm"
        at_once = None
        if language == "cpp":
            at_once = statistics.median(timed_run(page, hello, hello_out) for _ in range(2))
            page.wait_for_timeout(settle * 1000)
        hellos = [timed_run(page, hello, hello_out) for _ in range(warm_runs)]
        loops = [timed_run(page, loop, loop_out) for _ in range(warm_runs)]
        page.close()
        # The same profile again: the runtime's files come from the HTTP cache.
        traffic.phase = "page again"
        again = open_page(context, server, language)
        traffic.phase = "cached"
        cached = timed_run(again, hello, hello_out)
        again.wait_for_timeout(300)
        cached_bytes, _ = traffic.bytes("cached")
        return {
            "cold_ms": cold, "cached_ms": cached, "warm_hello_ms": statistics.median(hellos),
            "warm_loop_ms": statistics.median(loops), "run_bytes": run_bytes, "run_requests": requests,
            "cached_bytes": cached_bytes, "page_bytes": page_bytes, "warm_at_once_ms": at_once,
        }
    finally:
        context.close()
        profile.cleanup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warm", type=int, default=5, help="warm runs of each program per repeat")
    parser.add_argument("--languages", default=",".join(PROGRAMS))
    parser.add_argument("--settle", type=int, default=60, help="C++: seconds of quiet before its warm runs")
    parser.add_argument("--server", default="uvicorn", choices=("uvicorn", "daphne"))
    parser.add_argument("--json", help="also write the raw figures here")
    args = parser.parse_args()
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        sys.exit("frontend/dist is missing: npm --prefix frontend run build")
    languages = [language.strip() for language in args.languages.split(",") if language.strip()]

    server = ServerProcess(server=args.server).start()
    results = {}
    try:
        with sync_playwright() as playwright:
            for language in languages:
                rounds = []
                for repeat in range(args.repeats):
                    figures = measure(playwright, server, language, args.warm, args.settle)
                    rounds.append(figures)
                    print(f"{language:11} repeat {repeat + 1}: cold {figures['cold_ms']:7.0f} ms"
                          f"  cached {figures['cached_ms']:6.0f} ms  warm hello {figures['warm_hello_ms']:6.0f} ms"
                          f"  warm sum {figures['warm_loop_ms']:6.0f} ms  fetched {figures['run_bytes'] / 1e6:6.2f} MB"
                          f" in {figures['run_requests']} requests"
                          f"  cached run fetched {figures['cached_bytes'] / 1e6:.2f} MB"
                          + (f"  (C++ warm before settling: {figures['warm_at_once_ms']:.0f} ms)"
                             if figures["warm_at_once_ms"] is not None else ""), flush=True)
                results[language] = rounds
    finally:
        server.close()

    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    print()
    print(f"Medians of {args.repeats} (click Run -> entry shown, measured in the page; {args.warm} warm runs each):")
    print()
    print("| language | cold ms | from HTTP cache ms | warm hello ms | warm sum 1..10^6 ms"
          " | fetched by the first run | fetched from the cache's page |")
    print("|---|---|---|---|---|---|---|")
    for language, rounds in results.items():
        def med(key, rounds=rounds):
            return statistics.median(r[key] for r in rounds)
        print(f"| {language} | {med('cold_ms'):.0f} | {med('cached_ms'):.0f} | {med('warm_hello_ms'):.0f}"
              f" | {med('warm_loop_ms'):.0f} | {med('run_bytes') / 1e6:.2f} MB ({med('run_requests'):.0f} requests)"
              f" | {med('cached_bytes') / 1e6:.2f} MB |")
    pages = [r["page_bytes"] for rounds in results.values() for r in rounds]
    print()
    print(f"The session page itself (before any run): {statistics.median(pages) / 1e6:.2f} MB transferred (median).")


if __name__ == "__main__":
    main()
