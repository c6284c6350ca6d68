from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .. import client_address


class SessionCreateThrottle(SimpleRateThrottle):
    """Limits session creation per client address (SESSION_CREATE_RATE, e.g. "30/min")."""

    scope = "session_create"

    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]

    def get_ident(self, request):
        """The real client address: X-Forwarded-For counts only behind PAD_TRUSTED_PROXIES proxies."""
        return client_address.of_request(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
