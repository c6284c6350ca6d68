#!/bin/sh
# The container's entry: refuse to run in production without a secret key, migrate the
# database, then serve with uvicorn on 0.0.0.0:$PORT. Other commands run as given
# (`createinterviewer NAME`, `migrate`, `shell`, ...: any manage.py command).
set -eu

case "${DEBUG:-0}" in
  1|true|yes|on) ;;
  *)
    if [ -z "${SECRET_KEY:-}" ]; then
      echo "SECRET_KEY is not set: refusing to start without one (DEBUG is off)." >&2
      echo "Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'" >&2
      exit 64
    fi ;;
esac

if [ "${1:-serve}" = "serve" ]; then
  python manage.py migrate --noinput
  exec python manage.py serve --server "${SERVER:-uvicorn}" --host 0.0.0.0 --port "${PORT:-8000}"
fi
exec python manage.py "$@"
