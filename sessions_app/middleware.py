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
