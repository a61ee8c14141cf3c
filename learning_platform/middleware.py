"""Show times in the learner's own time zone, and pages in the learner's language.

A few lines of JavaScript in base.html store the browser's IANA zone name in the `tz` cookie; every
request after the first renders (and reads form input) in that zone. Unknown names fall back to
the site's TIME_ZONE, so a bad cookie cannot break a page.
"""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone, translation

TIME_ZONE_COOKIE = "tz"


def learner_time_zone(get_response):
    def middleware(request):
        zone = _zone(request.COOKIES.get(TIME_ZONE_COOKIE, ""))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return get_response(request)

    return middleware


def _zone(name: str) -> ZoneInfo | None:
    if not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


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
