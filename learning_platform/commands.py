"""Argument types shared by the management commands: bad values fail with a clear message."""

from argparse import ArgumentTypeError
from datetime import UTC, datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


def between(minimum: int, maximum: int):
    """A whole number from `minimum` to `maximum`: the upper bound keeps a stray digit from
    becoming a database overflow or a day-long run."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not minimum <= value <= maximum:
            raise ArgumentTypeError(f"must be from {minimum:,} to {maximum:,}, got {value:,}")
        return value

    parse.__name__ = f"whole number from {minimum} to {maximum}"
    return parse


def moment(text: str) -> datetime:
    """An ISO date (midnight, in the site's time zone) or datetime (naive: the site's zone)."""
    try:
        value = parse_datetime(text)
        if value is None and (day := parse_date(text)) is not None:
            value = datetime.combine(day, time.min)
    except ValueError:  # well-formed but impossible, e.g. 2025-02-30
        value = None
    if value is None:
        raise ArgumentTypeError(
            f"expected an ISO date or date-time such as 2025-03-01 or 2025-03-01T10:00Z, "
            f"got {text!r}"
        )
    if timezone.is_naive(value):
        value = _local(value, text)
    return value


def _local(value: datetime, text: str) -> datetime:
    """A wall-clock time in the site's time zone, refused (as Django's forms refuse it) where
    a change to or from summer time makes it not exist or occur twice."""
    zone = timezone.get_current_timezone()
    first, second = value.replace(tzinfo=zone), value.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        exists = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == value
        problem = "occurs twice" if exists else "does not exist"
        raise ArgumentTypeError(
            f"{text!r} {problem} in the time zone {zone}: give the time with its offset, "
            "e.g. 2025-03-30T02:30+01:00"
        )
    return first


def yes_or_no(text: str) -> bool:
    answers = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
    try:
        return answers[text.lower()]
    except KeyError:
        raise ArgumentTypeError(f"expected true or false, got {text!r}") from None
