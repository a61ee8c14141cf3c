"""Rate limits on the API's writes, counted in Django's cache (CACHES["default"])."""

from rest_framework.exceptions import Throttled
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _Throttle(SimpleRateThrottle):
    def get_rate(self):
        # Read when asked, not at import, so that settings changes (and tests) apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class WriteThrottle(_Throttle):
    """Writes per learner (reads are not limited)."""

    scope = "api-write"

    def get_cache_key(self, request, view):
        if request.method in SAFE_METHODS:
            return None  # not throttled
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenThrottle(_Throttle):
    """Password guesses through the token endpoint, per client address."""

    scope = "api-token"

    def get_cache_key(self, request, view):
        if request.method != "POST":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class DailyLimitReached(Throttled):
    """The learner has booked the day's most classes (learning_platform.throttling, the limit
    the booking page applies): a 429 in the page's words, with Retry-After."""

    def __init__(self, message: str, wait: int):
        super().__init__(detail=message)
        self.wait = wait
