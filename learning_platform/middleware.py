"""Show times in the learner's own time zone.

The zone a learner chose on their profile wins. Otherwise a few lines of JavaScript in base.html
store the browser's IANA zone name in the `tz` cookie; every request after the first renders (and
reads form input) in that zone. Unknown names fall back to the site's TIME_ZONE, so a bad cookie
cannot break a page.
"""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

TIME_ZONE_COOKIE = "tz"


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
    user = request.user
    return _zone(user.time_zone) if user.is_authenticated else None


def _zone(name: str) -> ZoneInfo | None:
    if not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
