"""The linter (ruff, configured in ruff.toml) finds nothing: long lines and unused names do not pile up;
and no model change is missing its migration."""
import subprocess
import sys
from unittest import TestCase

from tests.support.server import ROOT


class LintTests(TestCase):
    def test_ruff_finds_nothing(self):
        result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_every_model_change_has_its_migration(self):
        result = subprocess.run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
                                cwd=ROOT, capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
