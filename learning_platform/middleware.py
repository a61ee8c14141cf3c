"""Request middleware: the learner's time zone and language, and refusing input no page can use.

The zone a learner chose on their profile wins. Otherwise a few lines of JavaScript
(static/js/site.js) store the browser's IANA zone name in the `tz` cookie; every request after the
first renders (and reads form input) in that zone. Unknown names fall back to the site's
TIME_ZONE, so a bad cookie cannot break a page.
"""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone, translation

from learning_platform.ids import InvalidObjectId

TIME_ZONE_COOKIE = "tz"
NUL = "\x00"


def learner_time_zone(get_response):
    def middleware(request):
        zone = _profile_zone(request) or zone_from_cookie(request)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return get_response(request)

    return middleware


def zone_from_cookie(request) -> ZoneInfo | None:
    return _zone(request.COOKIES.get(TIME_ZONE_COOKIE, ""))


def _profile_zone(request) -> ZoneInfo | None:
    # The pages read the signed-in user anyway (the header shows them): no extra query.
    return profile_zone(request.user)


def profile_zone(user) -> ZoneInfo | None:
    """The zone `user` chose on their profile, or None (none chosen, or not signed in)."""
    return _zone(user.time_zone) if user.is_authenticated else None


def _zone(name: str) -> ZoneInfo | None:
    if not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


class RefuseBadInput:
    """A 400 for input no page can use, before it reaches a view or the database.

    A NUL byte anywhere in the path, the query, the cookies or a form post is refused
    (PostgreSQL cannot store one and fails with an error), and so is a malformed record id that
    reached a lookup some other way than the URL converters (an admin action's selection, say).
    """

    MESSAGE = "Bad request: the request holds a character or an id that is not accepted."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request):
            return self.refusal(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, InvalidObjectId):
            return self.refusal(request)
        return None

    def refusal(self, request):
        # The JSON API's clients read its errors as JSON, as every other API error.
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": self.MESSAGE}, status=400)
        return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain")


def _holds_nul(request) -> bool:
    if NUL in request.path or NUL in request.path_info:
        return True
    if _any_nul(request.GET) or _any_nul(request.COOKIES):
        return True
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return False
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return _any_nul(request.POST)
    # Anything else (JSON, text) is read raw: a NUL byte, or JSON's escape for one.
    return b"\x00" in request.body or b"\\u0000" in request.body


def _any_nul(data) -> bool:
    items = data.lists() if hasattr(data, "lists") else ((k, [v]) for k, v in data.items())
    return any(NUL in key or any(NUL in value for value in values) for key, values in items)


def learner_language(get_response):
    """A signed-in learner's saved language wins over the cookie and the browser's
    Accept-Language, which LocaleMiddleware (earlier in the chain) has already applied."""

    def middleware(request):
        user = getattr(request, "user", None)
        saved = user.language if user is not None and user.is_authenticated else ""
        if saved and saved != request.LANGUAGE_CODE:
            translation.activate(saved)
            request.LANGUAGE_CODE = saved
        return get_response(request)

    return middleware
