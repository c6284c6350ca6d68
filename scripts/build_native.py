"""Compile the per-keystroke modules (sessions_app/realtime/native.py: MODULES) with mypyc.

    .venv/bin/python scripts/build_native.py          # start-dev.sh and run-tests.sh run it

Writes build/native/<key>/ (key: the modules' sources and the Python), which the server
uses from then on, and removes older builds. Does nothing when the build for the current
sources exists. Needs mypy (requirements.txt) and a C compiler; without one the server
runs the same modules as Python.
"""
import contextlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ["PAD_NATIVE"] = "0"  # (importing native.py must not load an older build)
sys.path.insert(0, str(ROOT))

from sessions_app.realtime import native  # noqa: E402

# mypy as the compiler sees the code: the modules' own annotations; other packages as Any.
MYPY_OPTIONS = ["--ignore-missing-imports", "--follow-imports=silent", "--disable-error-code=annotation-unchecked"]


def build() -> Path:
    target = native.build_dir()
    if (target / native.COMPLETE).exists():
        print(f"compiled modules are up to date: {target.relative_to(ROOT)}")
        return target
    from mypyc.build import mypycify
    from setuptools import setup

    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    os.chdir(ROOT)  # mypyc names the modules by their paths from here
    with tempfile.TemporaryDirectory(prefix="pad-native-") as work:
        paths = [str(path.relative_to(ROOT)) for path in native.sources()]
        said = io.StringIO()
        try:
            with contextlib.redirect_stdout(said):
                extensions = mypycify(MYPY_OPTIONS + paths, target_dir=work)
        finally:  # (mypy's errors too: it exits with them)
            print(said.getvalue(), end="")
        if ": warning:" in said.getvalue():
            # e.g. "Unsupported default attribute value": the compiled class would lack that
            # class attribute, where Python has it. Annotate it (ClassVar) instead.
            sys.exit("mypyc warned: the compiled modules would not behave as their Python")
        setup(
            name="pad-native",
            ext_modules=extensions,
            script_args=["--quiet", "build_ext", "--build-lib", str(partial), "--build-temp", work],
        )
    (partial / native.COMPLETE).write_text(target.name + "\n")  # (the key the sources had as the build began)
    for old in target.parent.iterdir():
        if old != partial:
            shutil.rmtree(old, ignore_errors=True)
    partial.rename(target)
    print(f"compiled {len(native.MODULES)} modules into {target.relative_to(ROOT)}")
    return target


if __name__ == "__main__":
    build()
