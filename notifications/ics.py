"""The class as an iCalendar file (RFC 5545), for the messages that concern a time.

A minimal writer with a stable UID per class; SEQUENCE follows the class's `sequence` where
the model has one.
"""

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from classes.models import VirtualClass

STAMP = "%Y%m%dT%H%M%SZ"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    # Lines longer than 75 octets continue on the next line after a space.
    raw = line.encode()
    if len(raw) <= 75:
        return [line]
    parts, current = [], ""
    for char in line:
        if len((current + char).encode()) > (75 if not parts else 74):
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return [parts[0], *(" " + part for part in parts[1:])]


def class_ics(virtual_class) -> bytes:
    url = settings.SITE_URL.rstrip("/") + reverse("classes:detail", args=[virtual_class.pk])
    cancelled = virtual_class.status == VirtualClass.Status.CANCELLED
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Learning platform//Classes//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:{virtual_class.pk}@learning-platform",
        f"SEQUENCE:{getattr(virtual_class, 'sequence', 0) or 0}",
        f"DTSTAMP:{timezone.now().astimezone(UTC).strftime(STAMP)}",
        f"DTSTART:{virtual_class.starts_at.astimezone(UTC).strftime(STAMP)}",
        f"DTEND:{virtual_class.ends_at.astimezone(UTC).strftime(STAMP)}",
        f"SUMMARY:{_escape(virtual_class.title)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"URL:{url}",
    ]
    if virtual_class.description:
        lines.append(f"DESCRIPTION:{_escape(virtual_class.description)}")
    if virtual_class.meeting_url:
        lines.append(f"LOCATION:{_escape(virtual_class.meeting_url)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    folded = [part for line in lines for part in _fold(line)]
    return ("\r\n".join(folded) + "\r\n").encode()
