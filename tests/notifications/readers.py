"""Three readers of an iCalendar file, so the tests do not trust the writer's own library alone:
`icalendar` (which writes the files), `recurring-ical-events` (the events a calendar program
shows in a time range, on top of icalendar's parser), and `ical` (a parser of its own)."""

from datetime import UTC, datetime

import icalendar
import recurring_ical_events
from ical.calendar_stream import IcsCalendarStream

FAR_PAST = datetime(2000, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


def events_by_icalendar(content: bytes) -> list[dict]:
    calendar = icalendar.Calendar.from_ical(content)
    return _in_order(_from_icalendar(event) for event in calendar.walk("VEVENT"))


def events_by_recurring_ical_events(content: bytes) -> list[dict]:
    calendar = icalendar.Calendar.from_ical(content)
    events = recurring_ical_events.of(calendar, skip_bad_series=False).between(FAR_PAST, FAR_FUTURE)
    return _in_order(_from_icalendar(event) for event in events)


def events_by_ical(content: bytes) -> list[dict]:
    calendar = IcsCalendarStream.calendar_from_ics(content.decode())
    return _in_order(
        {
            "uid": event.uid,
            "sequence": event.sequence,
            "start": event.dtstart,
            "end": event.dtend,
            "summary": event.summary,
            "status": event.status.value if event.status else None,
            "location": event.location,
            "url": event.url,
        }
        for event in calendar.events
    )


def events(content: bytes) -> list[dict]:
    """The events of `content`, after checking that all three readers read the same ones."""
    by_icalendar = events_by_icalendar(content)
    assert events_by_recurring_ical_events(content) == by_icalendar
    assert events_by_ical(content) == by_icalendar
    return by_icalendar


def _from_icalendar(event) -> dict:
    return {
        "uid": str(event["UID"]),
        "sequence": int(event.get("SEQUENCE", 0)),
        "start": event.decoded("DTSTART"),
        "end": event.decoded("DTEND"),
        "summary": str(event["SUMMARY"]),
        "status": str(event["STATUS"]) if "STATUS" in event else None,
        "location": str(event["LOCATION"]) if "LOCATION" in event else None,
        "url": str(event["URL"]) if "URL" in event else None,
    }


def _in_order(events) -> list[dict]:
    return sorted(events, key=lambda event: (event["start"], event["uid"]))
