"""The compiled per-keystroke modules (sessions_app/realtime/native.py): used when built, never stale."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from sessions_app.realtime import native

ROOT = Path(__file__).resolve().parents[1]


class CompiledModulesTests(unittest.TestCase):
    def test_the_per_keystroke_modules_run_compiled_once_built(self):
        built = (native.build_dir() / native.COMPLETE).exists()
        if not built and os.environ.get("CI") != "true":
            self.skipTest("no build for these sources (scripts/build_native.py)")
        self.assertTrue(built, "run-tests.sh builds the compiled modules (scripts/build_native.py)")
        self.assertEqual([name for name, compiled in native.compiled().items() if not compiled], [])

    def test_a_build_is_used_only_for_the_sources_it_was_built_from(self):
        root = Path(tempfile.mkdtemp(prefix="pad-native-test-"))
        self.addCleanup(shutil.rmtree, root)
        (root / "sessions_app" / "realtime").mkdir(parents=True)
        for source in native.sources():
            shutil.copy(source, root / "sessions_app" / "realtime" / source.name)
        directory = native.build_dir(root)
        directory.mkdir(parents=True)
        self.addCleanup(lambda: str(directory) in sys.path and sys.path.remove(str(directory)))

        path = ["sources"]
        self.assertIsNone(native.use(path, root), "a build without its completion mark")
        (directory / native.COMPLETE).write_text("")
        self.assertEqual(native.use(path, root), directory)
        self.assertEqual(path, [str(directory / "sessions_app" / "realtime"), "sources"])

        gate = root / "sessions_app" / "realtime" / "gate.py"
        gate.write_text(gate.read_text() + "\n# edited\n")
        path = ["sources"]
        self.assertIsNone(native.use(path, root), "the build of a module before its edit")
        self.assertEqual(path, ["sources"])

    def test_PAD_NATIVE_0_runs_them_as_python_and_the_document_tests_pass_so(self):
        env = {**os.environ, "PAD_NATIVE": "0"}
        check = subprocess.run(
            [sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
             "'interview_project.settings'); django.setup(); from sessions_app.realtime import native; "
             "print(sorted(native.compiled().values()))"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )
        self.assertEqual(check.stdout.strip(), "[" + ", ".join(["False"] * len(native.MODULES)) + "]", check.stderr)
        tests = subprocess.run(
            [sys.executable, "manage.py", "test", "tests.test_document", "-v", "0"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
        self.assertEqual(tests.returncode, 0, tests.stderr[-3000:])
