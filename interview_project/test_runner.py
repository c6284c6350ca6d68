"""Django's test runner, quieter, ending with a plain 'N passed, N failed' line."""
import logging

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


class PadTestRunner(DiscoverRunner):
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
        # Printed last, after the test databases are gone.
        print(f"{passed} passed, {len(bad)} failed" + (f", {skipped} skipped" if skipped else ""))
        return failures
