"""Helpers for the run-code browser tests: put a program in the editor, run it, read the
shared output panel (frontend/README.md, "Running code")."""
from playwright.sync_api import expect

# Pyodide's first load is ~3 s here; a loaded 2-core CI machine can take much longer.
PYTHON_TIMEOUT_MS = 60_000
RUN_TIMEOUT_MS = 30_000
# The C/C++ compiler is ~100 MB to load and compile, and C++'s headers take seconds to parse.
COMPILER_TIMEOUT_MS = 240_000

ENTRY = "[data-testid=output-panel] [data-testid=run-entry]"


def set_code(page, code: str):
    """Exact text through the Monaco model (typing would be auto-indented)."""
    page.evaluate("(code) => window.__pad.editor.getModel().setValue(code)", code)
    page.wait_for_function(
        "(code) => window.__pad.doc.getText('code').toString() === code", arg=code, timeout=RUN_TIMEOUT_MS
    )


def entry_count(page) -> int:
    return page.locator(ENTRY).count()


def wait_for_entries(page, count: int, timeout=RUN_TIMEOUT_MS):
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length >= n", arg=[ENTRY, count], timeout=timeout
    )


def newest(page):
    """The newest run entry (the panel lists newest first)."""
    return page.locator(ENTRY).first


def click_run(page):
    button = page.get_by_test_id("run-button")
    expect(button).to_be_enabled(timeout=RUN_TIMEOUT_MS)
    button.click()


def set_stdin(page, text: str):
    """The program's input (the Input box next to Run)."""
    box = page.get_by_test_id("stdin-input")
    if not box.count():
        page.get_by_test_id("stdin-toggle").click()
    box.fill(text)


def run(page, code: str, timeout=RUN_TIMEOUT_MS, others=(), stdin=None):
    """Set the code (and the input, if given), press Run, wait for the new entry here and on the
    other pages; returns it."""
    set_code(page, code)
    if stdin is not None:
        set_stdin(page, stdin)
    before = [(p, entry_count(p)) for p in (page, *others)]
    click_run(page)
    for p, n in before:
        wait_for_entries(p, n + 1, timeout=timeout)
    return newest(page)


def entry_text(entry, part: str) -> str:
    """`stdout`, `stderr` or `message` of an entry ('' when it has none), final newline dropped."""
    locator = entry.get_by_test_id(f"run-{part}")
    return locator.text_content().rstrip("\n") if locator.count() else ""
