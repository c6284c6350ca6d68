"""The model, API and socket tests again, on PostgreSQL (psycopg 3) instead of SQLite.

Runs them in a child `manage.py test` with DATABASE_URL pointing at a throwaway
PostgreSQL server (tests/support/services.py): settings are read once per
process, so the database engine cannot change inside this one.
"""
import os
import subprocess
import sys
from unittest import TestCase

from tests.support.server import ROOT
from tests.support.services import shared_postgres

SUITES = [
    "tests.test_api", "tests.test_document", "tests.test_json_socket", "tests.test_yjs_socket", "tests.test_peers",
    "tests.test_hostile_sockets", "tests.test_saving", "tests.test_authority", "tests.test_record",
    "tests.test_questions", "tests.test_migrations",
]


class PostgresSuiteTests(TestCase):
    def test_model_and_api_tests_pass_on_postgresql(self):
        postgres = shared_postgres()
        env = {**os.environ, "DATABASE_URL": postgres.url("pad"), "REDIS_URL": "", "PYTHONUNBUFFERED": "1"}
        result = subprocess.run(
            [sys.executable, "manage.py", "test", "--noinput", *SUITES],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )
        output = result.stdout + result.stderr
        summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "(no summary)"
        self.assertEqual(result.returncode, 0, f"on PostgreSQL: {summary}\n{output[-6000:]}")
        self.assertRegex(summary, r"^\d+ passed, 0 failed$")
