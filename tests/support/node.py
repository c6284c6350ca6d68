"""Running the Node scripts in tests/node with the frontend's real yjs and y-websocket."""
import json
import shutil
import subprocess
from pathlib import Path

from .server import ROOT

NODE_DIR = Path(__file__).resolve().parents[1] / "node"


def require_node():
    """Fail (never skip) when Node or the frontend's packages are missing: ./run-tests.sh installs them."""
    if shutil.which("node") is None:
        raise AssertionError("node is not installed")
    if not (ROOT / "frontend" / "node_modules" / "y-websocket").is_dir():
        raise AssertionError("frontend/node_modules is missing: run ./run-tests.sh (npm ci)")


def start_script(name: str, spec: dict, stdin=False) -> subprocess.Popen:
    """Start a script; with stdin=True the test can write lines to it (e.g. "stop")."""
    require_node()
    return subprocess.Popen(
        ["node", str(NODE_DIR / name), json.dumps(spec)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
    )


def finish(process: subprocess.Popen, timeout=120) -> dict:
    stdout, stderr = process.communicate(timeout=timeout)
    if process.returncode != 0:
        raise AssertionError(f"node script failed ({process.returncode}):\n{stderr}\n{stdout}")
    return json.loads(stdout.strip().splitlines()[-1])


def run_script(name: str, spec: dict, timeout=120) -> dict:
    return finish(start_script(name, spec), timeout)
