"""Throttling: sign-in failures per account and per client address, bookings per learner per day.

The counts live in the cache (django-ratelimit's fixed windows), not in the database, so they
work the same on SQLite, PostgreSQL and MongoDB; with Redis as the cache every worker shares
them. A refusal says how long to wait: until the current window ends.
"""

import ipaddress
import logging
import math

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)

LOGIN_ACCOUNT = "login-account"
LOGIN_ADDRESS = "login-address"
BOOKING = "booking"
UNKNOWN_ADDRESS = "0.0.0.0"


def client_address(request: HttpRequest) -> str:
    """The client's IP address: the one the trusted proxy saw (the last X-Forwarded-For entry,
    which nginx appends), or the connection's own. Never a value a client can choose alone."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.TRUSTED_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        address = forwarded.rsplit(",", 1)[-1].strip() or address
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return UNKNOWN_ADDRESS


def login_wait(request: HttpRequest, username: str) -> int | None:
    """Seconds to wait before this account may try to sign in from this address, or None."""
    waits = [
        _wait(request, group, value, rate)
        for group, value, rate in _login_counters(request, username)
    ]
    waits = [wait for wait in waits if wait is not None]
    return max(waits) if waits else None


def record_login_failure(request: HttpRequest, username: str) -> None:
    for group, value, rate in _login_counters(request, username):
        _usage(request, group, value, rate, increment=True)


def booking_wait(request: HttpRequest) -> int | None:
    """Seconds until the learner may book again, or None while under the day's limit."""
    rate = _booking_rate()
    return rate and _wait(request, BOOKING, str(request.user.pk), rate)


def booking_refusal(request: HttpRequest) -> tuple[str, int] | None:
    """Why the learner may not book now and the seconds to wait, or None while under the day's
    limit. Every way to book (the page, the API) asks here first and calls record_booking after
    a booking is made, so both count against the one limit and refuse in the same words."""
    if wait := booking_wait(request):
        limit = settings.BOOKINGS_PER_DAY
        message = ngettext(
            "You have booked %(count)d class today, the most a day.",
            "You have booked %(count)d classes today, the most a day.",
            limit,
        ) % {"count": limit}
        return f"{message} {wait_message(wait)}", wait
    return None


def record_booking(request: HttpRequest) -> None:
    if rate := _booking_rate():
        _usage(request, BOOKING, str(request.user.pk), rate, increment=True)


def wait_message(seconds: int) -> str:
    if seconds < 60:
        text = ngettext("Try again in %(n)d second.", "Try again in %(n)d seconds.", seconds)
        return text % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        text = ngettext("Try again in %(n)d minute.", "Try again in %(n)d minutes.", minutes)
        return text % {"n": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("Try again in %(n)d hour.", "Try again in %(n)d hours.", hours) % {"n": hours}


def _login_counters(request: HttpRequest, username: str) -> list[tuple[str, str, str]]:
    return [
        (LOGIN_ACCOUNT, username.strip().casefold(), settings.LOGIN_FAILURES_PER_ACCOUNT),
        (LOGIN_ADDRESS, client_address(request), settings.LOGIN_FAILURES_PER_ADDRESS),
    ]


def _booking_rate() -> str | None:
    # 0 turns the limit off.
    return f"{settings.BOOKINGS_PER_DAY}/d" if settings.BOOKINGS_PER_DAY > 0 else None


def _wait(request: HttpRequest, group: str, value: str, rate: str) -> int | None:
    usage = _usage(request, group, value, rate, increment=False)
    # A limit of 0 is django-ratelimit saying the cache failed: counted as nothing.
    if usage is None or usage["limit"] == 0 or usage["count"] < usage["limit"]:
        return None
    return max(usage["time_left"], 1)


def _usage(request: HttpRequest, group: str, value: str, rate: str, *, increment: bool):
    try:
        return get_usage(
            request, group=group, key=lambda _group, _request: value, rate=rate, increment=increment
        )
    except Exception:
        # A cache that is down must not lock everyone out of the site: count nothing, say so.
        logger.exception("Throttling skipped: the cache is not answering")
        return None
