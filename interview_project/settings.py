"""Settings for interview pad, read once from the environment.

Every knob is an environment variable with a safe default (see README.md), so
the embedded default (SQLite, in-memory channel layer) needs no configuration
and the scaled-out one (PostgreSQL, Redis) needs no file edits.
"""
import os
import secrets
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# The built frontend; PAD_FRONTEND_DIST points elsewhere (a second build, tested side by side).
FRONTEND_DIST = Path(os.environ.get("PAD_FRONTEND_DIST") or BASE_DIR / "frontend" / "dist")


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def development_secret_key():
    """Generate a secret key once and keep it in a git-ignored file beside the project."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or development_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "sessions_app",  # before channels: its runworker command is the runners' (runner/worker.py)
    "channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sessions_app.middleware.CrossOriginIsolation",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "sessions_app.middleware.ForeignOriginGuard",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "interview_project.urls"
ASGI_APPLICATION = "interview_project.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in WAL mode unless DATABASE_URL names another engine.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Kept open between flushes (a few a second) instead of reconnecting each time.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while the flush writes; IMMEDIATE avoids
        # "database is locked" when two writers upgrade at once.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channel layer: one process in memory, or Redis across processes. Only rooms
# use it (one group member per session per process, see realtime/peers.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
# "pubsub": Redis PUBLISH/SUBSCRIBE, pipelined, and no state left behind by a
# process that dies; "lists": channels_redis' default layer
# (queues with capacity and expiry). Either way peers heal from a lost message.
REDIS_CHANNEL_LAYER = os.environ.get("REDIS_CHANNEL_LAYER", "pubsub")
CHANNEL_CAPACITY = int(os.environ.get("CHANNEL_CAPACITY", "10000"))
if REDIS_URL and REDIS_CHANNEL_LAYER == "pubsub":
    CHANNEL_LAYERS = {
        "default": {
            # channels_redis' Pub/Sub layer, its group sends pipelined (realtime/layers.py).
            "BACKEND": "sessions_app.realtime.layers.BatchedRedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL}]},
        }
    }
elif REDIS_URL and REDIS_CHANNEL_LAYER == "lists":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 times reads out after 5 s by default, exactly the layer's
                # blocking-pop timeout: without this, receives fail every 5 s.
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                "capacity": CHANNEL_CAPACITY,
                "expiry": 30,
                # Rooms renew their membership at every heartbeat, so a
                # process that dies stops receiving group messages soon.
                "group_expiry": int(os.environ.get("CHANNEL_GROUP_EXPIRY", "300")),
            },
        }
    }
elif REDIS_URL:
    raise ValueError("REDIS_CHANNEL_LAYER must be 'pubsub' or 'lists'")
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_CAPACITY},
        }
    }

# The runner queue (sessions_app/runner): a queue, so one runner takes each run. With
# Redis it is channels_redis' list layer (the pad's Pub/Sub layer would hand every run to
# every runner); without Redis the runner lives in the server process (see PAD_RUNNER).
RUNNER_QUEUE_EXPIRY = int(os.environ.get("PAD_RUNNER_QUEUE_TIMEOUT", "60"))
if REDIS_URL:
    CHANNEL_LAYERS["runners"] = {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
            "capacity": 100,
            "expiry": RUNNER_QUEUE_EXPIRY + 10,
            "prefix": "pad-runners:",
        },
    }
else:
    CHANNEL_LAYERS["runners"] = {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 100}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files: the built frontend is served by WhiteNoise straight from its
# build folder, so development needs no collectstatic step.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.is_dir() else []
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Development serves from the build folder; STATIC_ROOT exists only after collectstatic.
warnings.filterwarnings("ignore", message="No directory at")
WHITENOISE_MIMETYPES = {".mjs": "text/javascript", ".wasm": "application/wasm"}
# Cached for good: Vite's content-hashed files and the versioned runtime folders (a URL
# there never changes meaning). The build writes .br and .gz copies; WhiteNoise serves them.
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/static/(assets/.+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9]+|runtimes/[^/]+-\d[^/]*/.+)$"

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")

# Who may create interviews without an account (they get a secret interviewer link), and
# whether anyone may make an account themselves. Accounts: createsuperuser, the admin, or
# `manage.py createinterviewer NAME`.
PAD_OPEN_CREATION = env_bool("PAD_OPEN_CREATION", DEBUG)
PAD_SELF_SIGNUP = env_bool("PAD_SELF_SIGNUP", False)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Accounts sign in with Django's session cookie (CSRF-checked on writes); roles in a
    # session come from sessions_app/access.py and the rules table, view by view.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON only (no form posts from other sites), read strictly (no deep nesting, no NaN).
    "DEFAULT_PARSER_CLASSES": ["sessions_app.api.parsers.StrictJSONParser"],
    "DEFAULT_THROTTLE_RATES": {
        "session_create": os.environ.get("SESSION_CREATE_RATE", "30/min"),
    },
    "EXCEPTION_HANDLER": "sessions_app.api.errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "interview pad API",
    "DESCRIPTION": "Create and inspect collaborative coding-interview sessions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Bundled Swagger UI: the docs page loads nothing from another host.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "sessions_app.languages.LANGUAGE_CHOICES",
        "ServerLanguageEnum": "sessions_app.runner.availability.SERVER_LANGUAGE_CHOICES",
    },
}

# Limits and timings of the pad itself.
KIB, MIB = 1024, 1024 * 1024
# Server-side runs (Java, Go, Rust, C#, Kotlin): limits of each sandboxed run and of the queue.
PAD_RUNNER = {
    # Without Redis no other process can reach the queue: the runner then works inside the
    # server process (each program still in its own sandboxed process).
    "IN_PROCESS": env_bool("PAD_RUNNER_IN_PROCESS", not REDIS_URL),
    "CHANNEL": "pad-runner",
    "SLOTS": int(os.environ.get("PAD_RUNNER_SLOTS", "2")),  # runs at once per runner process
    "WALL_SECONDS": float(os.environ.get("PAD_RUN_WALL_SECONDS", "10")),
    "COMPILE_SECONDS": float(os.environ.get("PAD_RUN_COMPILE_SECONDS", "30")),
    "CPU_SECONDS": int(os.environ.get("PAD_RUN_CPU_SECONDS", "10")),
    "MEMORY_BYTES": int(os.environ.get("PAD_RUN_MEMORY_BYTES", str(512 * 1024 * 1024))),
    "PROCESSES": int(os.environ.get("PAD_RUN_PROCESSES", "64")),
    "OUTPUT_BYTES": 64 * 1024,
    "FILE_BYTES": int(os.environ.get("PAD_RUN_FILE_BYTES", str(16 * 1024 * 1024))),
    # A running run reports this often; silent for 4 beats, its runner is taken for dead.
    "HEARTBEAT": float(os.environ.get("PAD_RUNNER_HEARTBEAT", "1")),
    "QUEUE_TIMEOUT": RUNNER_QUEUE_EXPIRY,
    "MAX_QUEUED": int(os.environ.get("PAD_RUNNER_MAX_QUEUED", "20")),
    "RUNS_PER_MINUTE": int(os.environ.get("PAD_RUNS_PER_MINUTE", "20")),  # per session
    "RUNS_PER_MINUTE_PERSON": int(os.environ.get("PAD_RUNS_PER_MINUTE_PERSON", "10")),
}

PAD = {
    "MAX_CODE_BYTES": int(os.environ.get("PAD_MAX_CODE_BYTES", str(512 * KIB))),
    # The whole shared document (code, runs, meta, CRDT history), encoded: a new
    # client receives it in one frame, so it stays below the frame limit.
    "MAX_DOCUMENT_BYTES": int(os.environ.get("PAD_MAX_DOCUMENT_BYTES", str(2 * MIB))),
    # Largest WebSocket frame, both ways (the ASGI server is given the same limit).
    "MAX_FRAME_BYTES": int(os.environ.get("PAD_MAX_FRAME_BYTES", str(4 * MIB))),
    # Bytes queued for one connection (here and in the server) before it is closed as too slow.
    "MAX_SEND_BUFFER_BYTES": int(os.environ.get("PAD_MAX_SEND_BUFFER_BYTES", str(8 * MIB))),
    # Seconds a connection's socket may take nothing before it is dropped as gone (a stopped reader).
    "MAX_SEND_STALL": float(os.environ.get("PAD_MAX_SEND_STALL", "15")),
    "MAX_RUNS": 50,
    "MAX_RUN_OUTPUT_BYTES": 64 * KIB,  # per stream (stdout, stderr) of one run
    "MAX_RUNS_OUTPUT_BYTES": 1 * MIB,  # all kept runs together
    "AWARENESS_MAX_STATE_BYTES": 4 * KIB,
    "AWARENESS_MAX_STATES": 4,  # per connection (a browser tab has one)
    "MAX_CONNECTIONS_PER_SESSION": int(os.environ.get("PAD_MAX_CONNECTIONS_PER_SESSION", "50")),
    "MAX_CONNECTIONS_PER_ADDRESS": int(os.environ.get("PAD_MAX_CONNECTIONS_PER_ADDRESS", "200")),
    # Proxies in front of the server that append to X-Forwarded-For; 0 ignores the header.
    "TRUSTED_PROXIES": int(os.environ.get("PAD_TRUSTED_PROXIES", "0")),
    "MAX_TITLE_CHARS": 200,
    "FLUSH_INTERVAL": float(os.environ.get("PAD_FLUSH_INTERVAL", "1")),
    "COMPACT_EVERY": int(os.environ.get("PAD_COMPACT_EVERY", "500")),
    "HEARTBEAT_INTERVAL": float(os.environ.get("PAD_HEARTBEAT_INTERVAL", "5")),
    "AWARENESS_RENEW_INTERVAL": float(os.environ.get("PAD_AWARENESS_RENEW_INTERVAL", "15")),
    "JSON_COALESCE_INTERVAL": float(os.environ.get("PAD_JSON_COALESCE_INTERVAL", "0.05")),
    "PRESENCE_INTERVAL": float(os.environ.get("PAD_PRESENCE_INTERVAL", "0.2")),
    # Seconds a dropped connection's person stays listed as "reconnecting" before being removed.
    "PRESENCE_GRACE": float(os.environ.get("PAD_PRESENCE_GRACE", "30")),
    # The server pings every socket this often and drops one that does not answer in time,
    # so a vanished network shows as "reconnecting" within about their sum plus an interval:
    # 1 + 2 keeps that under the promised 5 s (measured 1.3-2.3 s; 3.3-5.8 s with 2 + 3).
    "PING_INTERVAL": float(os.environ.get("PAD_PING_INTERVAL", "1")),
    "PING_TIMEOUT": float(os.environ.get("PAD_PING_TIMEOUT", "2")),
    "MAX_BAD_FRAMES": int(os.environ.get("PAD_MAX_BAD_FRAMES", "20")),
    # Days after an interview ended that its update log (the replay) is kept; 0 keeps it.
    # `manage.py prune_history` deletes older ones (the final code, runs, notes and scorecard stay).
    "HISTORY_RETENTION_DAYS": int(os.environ.get("PAD_HISTORY_RETENTION_DAYS", "0")),
}
# What the server sends must fit in a frame: the whole document in a sync, and the
# code in a JSON message (escaped: control characters take 6 bytes each).
if PAD["MAX_FRAME_BYTES"] < PAD["MAX_DOCUMENT_BYTES"] + 256 * KIB:
    raise ImproperlyConfigured("PAD_MAX_FRAME_BYTES must exceed PAD_MAX_DOCUMENT_BYTES by at least 256 KiB")
if PAD["MAX_DOCUMENT_BYTES"] < PAD["MAX_CODE_BYTES"] + PAD["MAX_RUNS_OUTPUT_BYTES"] // 2:
    raise ImproperlyConfigured("PAD_MAX_DOCUMENT_BYTES is too small for PAD_MAX_CODE_BYTES and the runs")
if PAD["MAX_FRAME_BYTES"] < 6 * PAD["MAX_CODE_BYTES"] + 64 * KIB:
    raise ImproperlyConfigured("PAD_MAX_FRAME_BYTES must be at least 6 x PAD_MAX_CODE_BYTES (JSON escaping)")
if PAD["MAX_SEND_BUFFER_BYTES"] < 2 * PAD["MAX_FRAME_BYTES"]:
    raise ImproperlyConfigured("PAD_MAX_SEND_BUFFER_BYTES must be at least twice PAD_MAX_FRAME_BYTES")
# The ASGI server's own WebSocket message limit (daphne's runserver reads this; pass
# --websocket-max-message-size to daphne and --ws-max-size to uvicorn likewise).
TRANSPORT_MAX_MESSAGE_BYTES = PAD["MAX_FRAME_BYTES"] + 64 * KIB
DAPHNE_WEBSOCKET_MAX_MESSAGE_SIZE = TRANSPORT_MAX_MESSAGE_BYTES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"daphne": {"level": "WARNING"}, "django.channels.server": {"level": "WARNING"}},
}

TEST_RUNNER = "interview_project.test_runner.PadTestRunner"
