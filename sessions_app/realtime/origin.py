"""Which WebSocket origins may connect."""
from urllib.parse import urlparse

from channels.security.websocket import OriginValidator
from django.conf import settings


class BrowserOriginValidator(OriginValidator):
    """Browsers must come from an allowed host; scripts (no Origin header) may connect.

    Sessions are guarded by their unguessable id, not by cookies, so a missing
    Origin exposes nothing; a foreign one is still refused, as a browser would
    only send it from another site.
    """

    def valid_origin(self, parsed_origin):
        if parsed_origin is None:
            return True
        return super().valid_origin(parsed_origin)


def allowed_origins() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    hosts += [urlparse(origin).netloc or origin for origin in settings.CORS_ALLOWED_ORIGINS]
    return hosts


def origin_validated(application):
    return BrowserOriginValidator(application, allowed_origins())
