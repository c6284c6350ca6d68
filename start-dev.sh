#!/usr/bin/env bash
# Fresh machine -> running app: installs what is missing, builds the frontend,
# migrates, and serves on http://127.0.0.1:$PORT with SQLite and the in-memory
# channel layer (set DATABASE_URL / REDIS_URL to use PostgreSQL / Redis).
#
# It serves with uvicorn (SERVER=daphne for daphne), bound to 127.0.0.1 unless
# HOST says otherwise. Django's debug pages (DEBUG=1, which also reloads on code
# changes) show settings and source: they are refused on any address but loopback.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/bootstrap.sh

PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"
SERVER="${SERVER:-uvicorn}"
export DEBUG="${DEBUG:-0}"
# The first run has no accounts: anyone may create an interview (and gets its secret
# interviewer link). Set PAD_OPEN_CREATION=0 to require signing in.
export PAD_OPEN_CREATION="${PAD_OPEN_CREATION:-1}"
case "$DEBUG" in
  1|true|yes|on)
    case "$HOST" in
      127.*|localhost|::1) ;;
      *) echo "DEBUG=1 shows Django's debug pages: serve it on 127.0.0.1 only (HOST=$HOST refused)" >&2; exit 2 ;;
    esac
    RELOAD=(--reload) ;;
  *) RELOAD=() ;;
esac

python_env requirements.txt
native_build
frontend_packages
frontend_build
migrate

# Java, Go, Rust, C# and Kotlin run on a sandboxed runner: inside the server with the
# in-memory channel layer, or one `runworker` process beside it with Redis.
"$PYTHON" manage.py runner_languages
SERVE=("$PYTHON" manage.py serve --server "$SERVER" --host "$HOST" --port "$PORT" "${RELOAD[@]}")
say "interview pad is starting at http://$HOST:$PORT/  (admin: http://$HOST:$PORT/admin/, API docs: http://$HOST:$PORT/api/docs/)"
if [ -n "${REDIS_URL:-}" ] && "$PYTHON" manage.py runner_languages --check >/dev/null; then
  "$PYTHON" manage.py runworker --layer runners pad-runner &
  RUNNER_PID=$!
  trap 'kill "$RUNNER_PID" 2>/dev/null || true' EXIT
  say "a runner is running beside the server (pid $RUNNER_PID)"
  "${SERVE[@]}"
else
  exec "${SERVE[@]}"
fi
