"""Django's test runner, quieter, ending with the slowest test modules and a plain 'N passed, N failed' line."""
import logging
import time
import unittest
from collections import Counter

import channels.db
from django.db import connections
from django.test.runner import DiscoverRunner


def close_old_connections_outside_test_transactions(**kwargs):
    """Channels' `database_sync_to_async` closes "old" connections around each call.

    Inside a TestCase the connection is in the test's atomic block, whose
    autocommit differs from the settings, so Django would close it and the rest
    of the test would fail on PostgreSQL (SQLite's test database is spared
    because it is in memory). Django's test client skips the same clean-up for
    requests; this does it for Channels.
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def timed(base: type[unittest.TestResult]) -> type[unittest.TestResult]:
    """`base` adding up the wall time of each test module, its classes' set-up included
    (what keeps the whole run within CI's budget)."""

    class TimedResult(base):
        def startTestRun(self):
            super().startTestRun()
            self.module_seconds: Counter = Counter()
            self._mark = time.monotonic()

        def startTest(self, test):
            self._count(test)  # since the last test: its class's set-up, or the previous one's tear-down
            super().startTest(test)

        def stopTest(self, test):
            super().stopTest(test)
            self._count(test)

        def _count(self, test):
            now = time.monotonic()
            self.module_seconds[type(test).__module__] += now - self._mark
            self._mark = now

    return TimedResult


class PadTestRunner(DiscoverRunner):
    slowest_shown = 10

    def get_resultclass(self):
        return timed(super().get_resultclass() or unittest.TextTestResult)

    def setup_test_environment(self, **kwargs):
        super().setup_test_environment(**kwargs)
        # Tests send bad requests on purpose; their 4xx log lines are noise.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        self._close_old_connections = channels.db.close_old_connections
        channels.db.close_old_connections = close_old_connections_outside_test_transactions

    def teardown_test_environment(self, **kwargs):
        channels.db.close_old_connections = self._close_old_connections
        super().teardown_test_environment(**kwargs)

    def run_suite(self, suite, **kwargs):
        self.result = super().run_suite(suite, **kwargs)
        return self.result

    def run_tests(self, *args, **kwargs):
        failures = super().run_tests(*args, **kwargs)
        result = self.result
        # A test failing in its body and its tearDown is reported twice, and a
        # class whose setUpClass fails is one entry that is no test: count ids.
        bad = {str(test) for test, _ in result.failures + result.errors}
        bad |= {str(test) for test in result.unexpectedSuccesses}
        skipped = len(result.skipped)
        ran_bad = sum(1 for test in bad if not test.startswith(("setUpClass", "tearDownClass", "setUpModule")))
        passed = max(result.testsRun - ran_bad - skipped - len(result.expectedFailures), 0)
        slowest = getattr(result, "module_seconds", Counter()).most_common(self.slowest_shown)
        if slowest:
            print("Slowest test modules (s): " + ", ".join(f"{name} {seconds:.0f}" for name, seconds in slowest))
        # Printed last, after the test databases are gone.
        print(f"{passed} passed, {len(bad)} failed" + (f", {skipped} skipped" if skipped else ""))
        return failures
