from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class SessionCreateThrottle(SimpleRateThrottle):
    """Limits session creation per client address (SESSION_CREATE_RATE, e.g. "30/min")."""

    scope = "session_create"

    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
