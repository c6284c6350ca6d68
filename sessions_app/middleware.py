"""Request guards that apply to every view."""
from django.core.exceptions import DisallowedHost
from django.http import JsonResponse

from . import web_origin

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class ForeignOriginGuard:
    """Refuses state-changing API calls made by pages of other sites (403, JSON).

    Browsers send `Origin` with every cross-site POST, PUT, PATCH and DELETE; a
    request without one (scripts) is judged by its credentials instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS and request.path.startswith("/api/"):
            try:
                host = request.get_host()
            except DisallowedHost:
                host = None
            if not web_origin.is_allowed(request.headers.get("Origin"), host):
                return JsonResponse({"detail": "cross-site request refused: the Origin is not this site"}, status=403)
        return self.get_response(request)


class CrossOriginIsolation:
    """Makes every page cross-origin isolated (COOP + COEP), static files included.

    Isolation gives pages SharedArrayBuffer, which the Python runner uses to interrupt a
    running program (Stop) instead of reloading Pyodide. Everything the app loads comes
    from this server, so `require-corp` costs nothing; each response also says it may be
    embedded by this site only (CORP). Placed before WhiteNoise, which answers static
    files without the middleware after it.
    """

    HEADERS = {
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Embedder-Policy": "require-corp",
        "Cross-Origin-Resource-Policy": "same-origin",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.HEADERS.items():
            response.headers.setdefault(name, value)
        return response
