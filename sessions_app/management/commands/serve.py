"""Serve the app with uvicorn or daphne, configured from the settings (one place for both).

Both servers get the WebSocket message limit the pad's frame limit needs (it
applies to what the server sends too), ping every socket often enough to notice
a vanished network in seconds (PAD_PING_INTERVAL, PAD_PING_TIMEOUT), and neither
believes X-Forwarded-For on its own: the client address is worked out by the app
(PAD_TRUSTED_PROXIES).
"""
import math
import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

APP = "interview_project.asgi:application"
WS_PROTOCOL = "sessions_app.realtime.uvicorn_protocol:PadWebSocketProtocol"  # uvicorn's, tuned for small frames


def server_command(server: str, host: str, port: int, reload: bool = False) -> list[str]:
    """The command line that runs `server` ("uvicorn" or "daphne") on host:port."""
    limit = str(settings.TRANSPORT_MAX_MESSAGE_BYTES)
    ping, timeout = str(settings.PAD["PING_INTERVAL"]), str(settings.PAD["PING_TIMEOUT"])
    if server == "uvicorn":
        command = [
            sys.executable, "-m", "uvicorn", APP, "--host", host, "--port", str(port),
            "--ws", WS_PROTOCOL, "--ws-max-size", limit, "--ws-per-message-deflate", "false", "--no-proxy-headers",
            "--ws-ping-interval", ping, "--ws-ping-timeout", timeout,
            "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--lifespan", "off",
        ]
        if reload:
            command += ["--reload", "--reload-dir", "sessions_app", "--reload-dir", "interview_project"]
        return command
    if server == "daphne":
        # daphne counts whole seconds.
        ping, timeout = (str(max(1, math.ceil(settings.PAD[key]))) for key in ("PING_INTERVAL", "PING_TIMEOUT"))
        return [
            sys.executable, "-m", "daphne", "-b", host, "-p", str(port), "--websocket-max-message-size", limit,
            "--websocket-max-frame-size", limit,
            "--ping-interval", ping, "--ping-timeout", timeout, APP,
        ]
    raise ValueError(f"unknown server {server!r}: uvicorn or daphne")


class Command(BaseCommand):
    help = "Serve interview pad with uvicorn (default) or daphne on HOST:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--server", choices=["uvicorn", "daphne"], default="uvicorn")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--reload", action="store_true", help="restart on code changes (uvicorn only)")

    def handle(self, *args, **options):
        command = server_command(options["server"], options["host"], options["port"], options["reload"])
        sys.stdout.flush()
        os.execv(command[0], command)
