"""Classes as iCalendar (RFC 5545) events, with the `icalendar` library.

One event per class, whatever the calendar it appears in (a single class's `.ics`, a learner's
feed): the UID comes from the class's id and never changes, SEQUENCE is the class's `sequence`
(raised by every change of time or status, so a calendar keeps the newest copy), a cancelled
class stays in the calendar with STATUS:CANCELLED, and times are written in UTC.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from django.db.models import QuerySet
from icalendar import Calendar, Event

from classes.models import VirtualClass
from learning_platform.models import User

PRODID = "-//Hablamos//Live classes//EN"
UID_DOMAIN = "classes.hablamos"
FEED_NAME = "Hablamos classes"
# The feed shows what is coming and what just happened, not a learner's whole history.
FEED_PAST = timedelta(days=30)
# How often a subscribed calendar should fetch the feed again.
FEED_REFRESH = timedelta(hours=1)

STATUS = {
    VirtualClass.Status.SCHEDULED: "CONFIRMED",
    VirtualClass.Status.COMPLETED: "CONFIRMED",
    VirtualClass.Status.PENDING: "TENTATIVE",
    VirtualClass.Status.CANCELLED: "CANCELLED",
}


def class_uid(virtual_class: VirtualClass) -> str:
    return f"{virtual_class.pk}@{UID_DOMAIN}"


def feed_classes(*, user: User, now: datetime) -> QuerySet[VirtualClass]:
    """The classes in a learner's feed: those they host or joined (an activity says so), from
    FEED_PAST ago onward, cancelled ones included. One query."""
    return VirtualClass.objects.filter(
        activities__user=user, starts_at__gte=now - FEED_PAST
    ).order_by("starts_at", "pk")


def class_event(virtual_class: VirtualClass, *, page_url: str) -> Event:
    event = Event()
    event.add("uid", class_uid(virtual_class))
    event.add("sequence", virtual_class.sequence)
    # The last change, not the time of the download: an unchanged class reads the same.
    event.add("dtstamp", _utc(virtual_class.updated_at))
    event.add("created", _utc(virtual_class.created_at))
    event.add("last-modified", _utc(virtual_class.updated_at))
    event.add("dtstart", _utc(virtual_class.starts_at))
    event.add("dtend", _utc(virtual_class.ends_at))
    event.add("summary", virtual_class.title)
    event.add("status", STATUS[virtual_class.status])
    event.add("description", _description(virtual_class, page_url))
    if virtual_class.meeting_url:
        event.add("location", virtual_class.meeting_url)
        event.add("url", virtual_class.meeting_url)
    return event


def calendar_file(
    classes: Iterable[VirtualClass], *, page_url: Callable[[VirtualClass], str], name: str
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", FEED_REFRESH)
    for virtual_class in classes:
        calendar.add_component(class_event(virtual_class, page_url=page_url(virtual_class)))
    return calendar.to_ical()


def _description(virtual_class: VirtualClass, page_url: str) -> str:
    parts = [
        f"Focus: {virtual_class.learning_focus}" if virtual_class.learning_focus else "",
        virtual_class.description,
        f"Meeting link: {virtual_class.meeting_url}" if virtual_class.meeting_url else "",
        f"Class page: {page_url}",
    ]
    return "\n\n".join(part for part in parts if part)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
