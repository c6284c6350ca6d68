"""Django's test runner, quieter, ending with a plain 'N passed, N failed' line."""
import logging

from django.test.runner import DiscoverRunner


class PadTestRunner(DiscoverRunner):
    def setup_test_environment(self, **kwargs):
        super().setup_test_environment(**kwargs)
        # Tests send bad requests on purpose; their 4xx log lines are noise.
        logging.getLogger("django.request").setLevel(logging.ERROR)

    def run_suite(self, suite, **kwargs):
        self.result = super().run_suite(suite, **kwargs)
        return self.result

    def run_tests(self, *args, **kwargs):
        failures = super().run_tests(*args, **kwargs)
        result = self.result
        failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
        skipped = len(result.skipped)
        passed = result.testsRun - failed - skipped - len(result.expectedFailures)
        # Printed last, after the test databases are gone.
        print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
        return failures
