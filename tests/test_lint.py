"""The linter (ruff, configured in ruff.toml) finds nothing: long lines and unused names do not pile up."""
import subprocess
import sys
from unittest import TestCase

from tests.support.server import ROOT


class LintTests(TestCase):
    def test_ruff_finds_nothing(self):
        result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
