"""Which WebSocket origins may connect: the page must be from this site (web_origin.py)."""
from channels.security.websocket import WebsocketDenier

from .. import web_origin


class SameSiteWebsocket:
    """Refuses a WebSocket opened by a page of another site (another host or port).

    Channels' OriginValidator matches host names only, so any port of 127.0.0.1
    counted as this site; here the Origin must match the Host it connected to.
    """

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", ()))
        origin = headers.get(b"origin")
        host = headers.get(b"host")
        allowed = web_origin.is_allowed(
            origin.decode("latin-1") if origin is not None else None,
            host.decode("latin-1") if host is not None else None,
        )
        if not allowed:
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)


def origin_validated(application):
    return SameSiteWebsocket(application)
