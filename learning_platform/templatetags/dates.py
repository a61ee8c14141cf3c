"""One way to show a moment on every page: `{{ class.starts_at|when }}` writes a <time> element
in the viewer's zone, in the active language's DATETIME_FORMAT (learning_platform/formats/),
zone included; `|when:"time"` writes the time of day only, for an end on the same day.
`written()` gives the same text without the element, for messages built in Python."""

import functools
from datetime import datetime, tzinfo

from django import template
from django.utils import formats, timezone, translation
from django.utils.html import format_html

register = template.Library()

FORMATS = {"": "DATETIME_FORMAT", "time": "TIME_FORMAT", "date": "DATE_FORMAT"}


@register.filter
def when(value: datetime | None, part: str = "") -> str:
    if value is None:
        return ""
    return _when(value, timezone.get_current_timezone(), translation.get_language(), part)


# Formatting a moment costs tens of microseconds, more than the rest of a table row, and pages
# show the same moments again and again (classes start on the hour, for every viewer): each
# text is kept, by moment, zone, language and part (the text depends on nothing else).
@functools.lru_cache(maxsize=4096)
def _when(value: datetime, zone: tzinfo, language: str | None, part: str) -> str:
    local = timezone.localtime(value, zone)
    return format_html(
        '<time datetime="{}">{}</time>',
        local.isoformat(timespec="minutes"),
        formats.date_format(local, FORMATS[part]),
    )


def written(value: datetime, part: str = "", zone: tzinfo | None = None) -> str:
    """`value` in the same format as plain text, for messages: in `zone`, else the active one."""
    return formats.date_format(timezone.localtime(value, zone), FORMATS[part])
