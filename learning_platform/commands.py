"""What the project's management commands share: they speak the site's language, and their
argument types fail on bad values with a clear message."""

from argparse import ArgumentTypeError
from datetime import UTC, datetime, time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _


class Command(BaseCommand):
    """A command whose help, messages and errors are in `settings.LANGUAGE_CODE`, whatever
    language is active where it is called from (`call_command` in a request or a test)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            parser = super().create_parser(prog_name, subcommand, **kwargs)
            if parser.description is not None:  # argparse needs a str, not a lazy translation
                parser.description = str(parser.description)
            return parser

    def run_from_argv(self, argv):
        with translation.override(settings.LANGUAGE_CODE):
            return super().run_from_argv(argv)

    def execute(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)


def between(minimum: int, maximum: int):
    """A whole number from `minimum` to `maximum`: the upper bound keeps a stray digit from
    becoming a database overflow or a day-long run."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ArgumentTypeError(
                _("expected a whole number, got %(value)r") % {"value": text}
            ) from None
        if not minimum <= value <= maximum:
            raise ArgumentTypeError(
                _("must be from %(minimum)s to %(maximum)s, got %(value)s")
                % {"minimum": f"{minimum:,}", "maximum": f"{maximum:,}", "value": f"{value:,}"}
            )
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
            _(
                "expected an ISO date or date-time such as 2025-03-01 or 2025-03-01T10:00Z, "
                "got %(value)r"
            )
            % {"value": text}
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
        message = (
            _(
                "%(value)r occurs twice in the time zone %(zone)s: give the time with its "
                "offset, e.g. 2025-03-30T02:30+01:00"
            )
            if exists
            else _(
                "%(value)r does not exist in the time zone %(zone)s: give the time with its "
                "offset, e.g. 2025-03-30T02:30+01:00"
            )
        )
        raise ArgumentTypeError(message % {"value": text, "zone": zone})
    return first


def yes_or_no(text: str) -> bool:
    answers = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
    try:
        return answers[text.lower()]
    except KeyError:
        raise ArgumentTypeError(
            _("expected true or false, got %(value)r") % {"value": text}
        ) from None
