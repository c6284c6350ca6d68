"""What the server-side run tests need: the sandbox and toolchains (a failure under CI, a skip elsewhere)."""
import os
import unittest

INSTALL = "./run-tests.sh installs them"


def require_sandbox(*languages: str, also_missing: tuple = ()) -> None:
    """bubblewrap with the toolchains of `languages`, and nothing in `also_missing` (other parts' names)."""
    from sessions_app.runner import toolchains

    missing = list(also_missing)
    lacking = [language for language in languages if language not in toolchains.available()]
    if lacking:
        missing.append(f"the sandbox (bwrap) with {', '.join(lacking)}")
    if missing:
        message = f"server runs need {' and '.join(missing)} ({INSTALL})"
        if os.environ.get("CI") == "true":
            raise AssertionError(message)
        raise unittest.SkipTest(message)
