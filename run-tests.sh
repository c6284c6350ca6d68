#!/usr/bin/env bash
# Fresh machine -> every test run: the same set-up as start-dev.sh, plus the
# system packages the tests need (Chromium for the browser tests, redis-server,
# PostgreSQL and nginx for the scale-out and PostgreSQL runs, podman for the
# container image), then the frontend's unit tests and `python manage.py test`.
# Extra arguments go to the
# Django test runner (e.g. ./run-tests.sh tests.test_api).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/bootstrap.sh

system_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  # The scale-out tests start their own redis-server and PostgreSQL (in temporary
  # directories, on free ports of 127.0.0.1); they fail, never skip, without them.
  command -v redis-server >/dev/null || missing+=(redis-server)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  # nginx in front of two processes (tests/test_nginx.py), started on a free port of 127.0.0.1.
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  # The container image and compose.yaml (tests/test_container.py): podman with runc, and
  # debootstrap for the Debian base image (no image registry is reachable).
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || [ -x /usr/sbin/runc ] || missing+=(runc)
  command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  # Server-side runs (tests/test_sandbox.py): bubblewrap and the Debian toolchains of Java, Go,
  # Rust, C# and Kotlin, by their absolute paths (a rustup rustc elsewhere on PATH is not used).
  [ -x /usr/bin/bwrap ] || missing+=(bubblewrap)
  [ -x /usr/bin/javac ] || missing+=(default-jdk-headless)
  [ -x /usr/bin/go ] || missing+=(golang-go)
  [ -x /usr/bin/rustc ] || missing+=(rustc)
  [ -x /usr/bin/mcs ] || missing+=(mono-mcs)
  [ -x /usr/bin/mono ] || missing+=(mono-runtime)
  [ -x /usr/bin/kotlinc ] || missing+=(kotlin)
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      sudo apt-get update -qq && sudo RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
  fi
}

system_packages
python_env requirements-dev.txt
native_build
frontend_packages
frontend_build
migrate

say "Frontend unit tests (vitest)"
(cd frontend && npm test --silent)

say "Django tests"
exec "$PYTHON" manage.py test "$@"
