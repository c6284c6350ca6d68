#!/usr/bin/env bash
# Fresh machine -> running app: installs what is missing, builds the frontend,
# migrates, and serves on http://127.0.0.1:$PORT with SQLite and the in-memory
# channel layer (set DATABASE_URL / REDIS_URL to use PostgreSQL / Redis).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/bootstrap.sh

python_env requirements.txt
frontend_packages
frontend_build
export DEBUG="${DEBUG:-1}"
migrate

PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"
say "interview pad is starting at http://$HOST:$PORT/  (admin: http://$HOST:$PORT/admin/, API docs: http://$HOST:$PORT/api/docs/)"
exec "$PYTHON" manage.py runserver "$HOST:$PORT"
