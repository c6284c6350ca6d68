# Shared set-up for start-dev.sh and run-tests.sh: install only what is missing or stale.
# Sourced, not run: it sets PYTHON for the caller.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="$VENV/bin/python"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# A stamp records the hash of the inputs a step last ran with, so the step re-runs
# exactly when they change.
stamp_matches() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
hash_files() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }

python_env() {
  local requirements="$1"
  if [ ! -x "$PYTHON" ]; then
    say "Creating the virtual environment in .venv"
    python3 -m venv "$VENV"
  fi
  local want
  want="$(hash_files "$ROOT/requirements.txt" "$ROOT/$requirements")"
  if ! stamp_matches "$VENV/.installed-$requirements" "$want"; then
    say "Installing Python packages ($requirements)"
    "$PYTHON" -m pip install --quiet --upgrade pip
    "$PYTHON" -m pip install --quiet -r "$ROOT/$requirements"
    echo "$want" > "$VENV/.installed-$requirements"
  fi
}

frontend_packages() {
  command -v npm >/dev/null || { echo "npm (Node.js 20+) is required" >&2; exit 1; }
  local want
  want="$(hash_files "$ROOT/frontend/package.json" "$ROOT/frontend/package-lock.json")"
  if ! stamp_matches "$ROOT/frontend/node_modules/.installed" "$want"; then
    say "Installing frontend packages (npm ci)"
    (cd "$ROOT/frontend" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$ROOT/frontend/node_modules/.installed"
  fi
}

frontend_build() {
  local want
  want="$(cd "$ROOT/frontend" && find src public index.html vite.config.ts tsconfig*.json package-lock.json \
    -type f 2>/dev/null | sort | xargs cat 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if ! stamp_matches "$ROOT/frontend/dist/.built" "$want" || [ ! -f "$ROOT/frontend/dist/index.html" ]; then
    say "Building the frontend"
    (cd "$ROOT/frontend" && npm run build --silent)
    echo "$want" > "$ROOT/frontend/dist/.built"
  fi
}

migrate() {
  say "Applying database migrations"
  (cd "$ROOT" && "$PYTHON" manage.py migrate --noinput -v0)
}

# The per-keystroke modules compiled with mypyc (sessions_app/realtime/native.py); the
# script does nothing when the build for the current sources exists. Without a C
# compiler the server runs them as Python, except in CI, where that is a failure.
native_build() {
  if ! "$PYTHON" "$ROOT/scripts/build_native.py"; then
    if [ "${CI:-}" = true ]; then
      echo "compiling the per-keystroke modules failed (CI=true)" >&2
      exit 1
    fi
    say "Could not compile the per-keystroke modules (is a C compiler installed?): they run as Python"
  fi
}
