# interview pad, for self-hosting: `docker compose up` (compose.yaml) or on its own, e.g.
#   docker build -t interview-pad .
#   docker run -e SECRET_KEY=... -e DATABASE_URL=postgres://... -p 8000:8000 interview-pad
#   docker build --target runner -t interview-pad-runner .   (server-side languages)
# Stages: the frontend built with Node, the Python packages installed into a virtual
# environment (and the per-keystroke modules compiled beside them), then two slim images holding only those results, Python and the app: the web
# server (the default), and a runner that also has the sandbox and the toolchains.
# Behind a TLS-intercepting proxy, give the build its CA bundle: mount it (podman build -v) and
# name it with --build-arg NODE_EXTRA_CA_CERTS=... --build-arg PIP_CERT=... (tests/test_container.py).

# --- 1. the frontend (Vite needs Node 20.19+; Debian 12 has 18, so its npm fetches Node 22) ---
FROM docker.io/library/debian:bookworm-slim AS frontend
ARG NODE_EXTRA_CA_CERTS
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && npm install -g --no-audit --no-fund node@22.23.3 \
 && node --version
WORKDIR /build/frontend
# Dependencies first: a code change rebuilds from the COPY of the sources, not from npm ci.
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
RUN npm run build --silent

# --- 2. the Python packages (binary wheels), and the per-keystroke modules compiled with mypyc
# (scripts/build_native.py; the compiler stays in this stage) ---
FROM docker.io/library/debian:bookworm-slim AS python
ARG PIP_CERT
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv python3-dev gcc libc6-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/requirements.txt
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check -r /tmp/requirements.txt \
 && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} +
COPY scripts/build_native.py /build/scripts/
COPY sessions_app/ /build/sessions_app/
RUN cd /build && /opt/venv/bin/python scripts/build_native.py

# --- 3. what the web and runner images start from: Python and the app's user ---
FROM docker.io/library/debian:bookworm-slim AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* \
 && useradd --system --create-home --home-dir /home/pad --uid 10001 pad
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DEBUG=0 \
    PORT=8000 \
    PAD_FRONTEND_DIST=/app/frontend/dist
WORKDIR /app
ENTRYPOINT ["pad-entrypoint"]

# --- 4. the web server: the app and its built frontend ---
FROM base AS web
COPY --from=python /opt/venv /opt/venv
COPY --from=frontend /build/frontend/dist /app/frontend/dist
COPY --from=python /build/build/native /app/build/native
COPY manage.py ./
COPY interview_project/ interview_project/
COPY sessions_app/ sessions_app/
COPY docker/entrypoint.sh /usr/local/bin/pad-entrypoint
USER pad
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/health\", timeout=2)"]
CMD ["serve"]

# --- 5. a runner (build with --target runner): the app (no frontend), bubblewrap and the
# toolchains of the languages that run on the server. Its packages come before the app, so a
# change to the code reuses them. Each program runs in a fresh bubblewrap sandbox inside the container, which
# must allow that (compose.yaml: security_opt).
FROM base AS runner
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap default-jdk-headless golang-go rustc \
      mono-mcs mono-runtime kotlin \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/*
COPY --from=python /opt/venv /opt/venv
COPY --from=python /build/build/native /app/build/native
COPY manage.py ./
COPY interview_project/ interview_project/
COPY sessions_app/ sessions_app/
COPY docker/entrypoint.sh /usr/local/bin/pad-entrypoint
USER pad
CMD ["runworker", "--layer", "runners", "pad-runner"]

# The default target: the web server.
FROM web
