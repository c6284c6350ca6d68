"""Compiled copies of the modules every keystroke runs through, used only while they match the sources.

`scripts/build_native.py` compiles MODULES with mypyc (C, through the machine's C
compiler) into build/native/<key>/, where <key> hashes their sources and the Python
that runs them. `use()` runs as the package is imported: it puts that directory ahead
of the sources only if it exists for the sources as they are now, so an edited module
runs as Python until the next build and a stale build never runs. PAD_NATIVE=0 turns
it off. Compiled code checks the annotations it was built from, so these modules keep
their annotations true (bench/README.md, "Compiled per-keystroke modules").
"""
import hashlib
import importlib
import os
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "sessions_app.realtime"
MODULES = (
    "authority", "changes", "document", "gate", "guard", "limits", "log_batch", "outbox", "protocol",
    "room", "transport", "update_content",
)
COMPLETE = "complete"  # written last by the build: a directory without it is not used


def sources(root: Path = ROOT) -> list[Path]:
    return [root / "sessions_app" / "realtime" / f"{name}.py" for name in MODULES]


def key(root: Path = ROOT) -> str:
    """What a build is valid for: every compiled module's source, the Python version and its ABI."""
    digest = hashlib.sha256(f"{sys.version}|{sysconfig.get_config_var('EXT_SUFFIX')}".encode())
    for path in sources(root):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def build_dir(root: Path = ROOT) -> Path:
    return root / "build" / "native" / key(root)


def use(package_path: list, root: Path = ROOT) -> Path | None:
    """Put the build for the current sources ahead of `package_path`; its directory, or None."""
    if os.environ.get("PAD_NATIVE", "1") == "0":
        return None
    directory = build_dir(root)
    if not (directory / COMPLETE).exists():
        return None
    package_path.insert(0, str(directory / "sessions_app" / "realtime"))
    if str(directory) not in sys.path:
        sys.path.append(str(directory))  # mypyc's shared library of the build is a top-level module
    return directory


def compiled() -> dict[str, bool]:
    """Which of MODULES run compiled in this process (imports them)."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    return {name: importlib.import_module(f"{PACKAGE}.{name}").__file__.endswith(suffix) for name in MODULES}
