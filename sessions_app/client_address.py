"""The address a request really came from, for throttles and connection caps.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only
as far as `PAD_TRUSTED_PROXIES` says: with N proxies in front of the server, the
client is the N-th address from the right (each proxy appends the address it saw).
With 0 (the default) the header is ignored and the socket's peer address is used.
"""
from django.conf import settings


def from_forwarded(peer: str, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The client address given the socket peer, the X-Forwarded-For header and the proxy count."""
    if trusted_proxies <= 0 or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if not hops:
        return peer
    return hops[-min(trusted_proxies, len(hops))]


def of_request(request) -> str:
    """The client address of a Django (or DRF) request."""
    return from_forwarded(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.PAD["TRUSTED_PROXIES"],
    )


def of_scope(scope) -> str:
    """The client address of an ASGI connection scope."""
    client = scope.get("client") or ("", 0)
    forwarded = None
    for name, value in scope.get("headers", ()):
        if name == b"x-forwarded-for":
            forwarded = value.decode("latin-1")
    return from_forwarded(client[0] or "", forwarded, settings.PAD["TRUSTED_PROXIES"])
