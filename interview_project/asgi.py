"""ASGI entry point: HTTP through Django, WebSockets through Channels."""
import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interview_project.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ChannelNameRouter, ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from sessions_app.realtime.origin import origin_validated  # noqa: E402
from sessions_app.realtime.routing import websocket_urlpatterns  # noqa: E402
from sessions_app.runner.worker import RunnerConsumer  # noqa: E402

application = ProtocolTypeRouter({
    "http": django_asgi_app,
    # Same-site pages only. Who a socket is (its account, role cookie or key) is read by
    # the consumer itself (realtime/connection.py), once, from the handshake's headers.
    "websocket": origin_validated(URLRouter(websocket_urlpatterns)),
    # Runs taken off the runner queue by `manage.py runworker` (sessions_app/runner).
    "channel": ChannelNameRouter({settings.PAD_RUNNER["CHANNEL"]: RunnerConsumer.as_asgi()}),
})

# Everything loaded so far lives as long as the process: keep the cyclic collector off it
# (each collection of the oldest generation walked all of Django, Channels and the app).
gc.freeze()
# Collect the youngest generation after 10,000 new objects, not 700. Each keystroke's log
# entry lives until the next flush (a second), so at the default every one was walked by
# the young collections, promoted, and walked again by full ones: at 300 sessions of
# typing, 0.85 s of CPU in 20 s and four full collections of ~90 ms each, stalling every
# socket (bench/README.md, "The collector"). Cyclic garbage waits a little longer.
YOUNGEST_GENERATION_THRESHOLD = 10_000
gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
