"""Whether a browser request comes from this site: one rule for WebSockets and REST writes.

A browser names the page that made a request in its `Origin` header. A request is
from this site when that origin is the host the request was sent to (scheme-less
`host:port`, exactly: another port of the same machine is another site), or one
the settings trust (CORS_ALLOWED_ORIGINS, CSRF_TRUSTED_ORIGINS). A request without
an Origin does not come from a web page (scripts, curl) and is not judged here.
"""
from urllib.parse import urlsplit

from django.conf import settings


def trusted_origins() -> set[str]:
    return {origin.rstrip("/").lower() for origin in (*settings.CORS_ALLOWED_ORIGINS, *settings.CSRF_TRUSTED_ORIGINS)}


def is_allowed(origin: str | None, host: str | None) -> bool:
    """True when `origin` (the Origin header) may act on this server reached as `host`."""
    if origin is None:
        return True
    origin = origin.strip().rstrip("/").lower()
    if origin in trusted_origins():
        return True
    netloc = urlsplit(origin).netloc
    return bool(netloc and host and netloc == host.strip().lower())
