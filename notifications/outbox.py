"""Delivering the outbox: claim a message, render it, send it, record the outcome.

A message is claimed by a conditional update that moves its `next_attempt_at` past the claim
lease: of two senders reading the same due message, only the one whose update changed the row
sends it. A sender that dies mid-send leaves the message to be taken again once the lease ends.
"""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from classes.models import VirtualClass
from notifications.calendar import calendar_file
from notifications.models import Kind, Message

logger = logging.getLogger(__name__)

# Longer than any one send can take (EMAIL_TIMEOUT): a claimed message is left alone this long.
CLAIM_LEASE = timedelta(minutes=5)
# Waits after the 1st, 2nd, ... failure; the last one repeats: a message is never given up.
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 60, 180, 360)]

# Rendered in the recipient's language, like the body.
SUBJECTS = {
    Kind.BOOKING_MADE: _("Booking made: {title}"),
    Kind.BOOKING_CONFIRMED: _("Booking confirmed: {title}"),
    Kind.BOOKING_DECLINED: _("Booking declined: {title}"),
    Kind.JOINED: _("You joined {title}"),
    Kind.PROMOTED: _("A seat is yours: {title}"),
    Kind.WAITLIST_JOINED: _("You are on the waiting list for {title}"),
    Kind.WAITLIST_LEFT: _("You left the waiting list for {title}"),
    Kind.CLASS_MOVED: _("Class moved: {title}"),
    Kind.CLASS_CANCELLED: _("Class cancelled: {title}"),
    Kind.TASK_ATTACHED: _("New task for {title}"),
    Kind.REMINDER: _("Starting soon: {title}"),
}
# The kinds that concern a time carry the class as an .ics attachment.
WITH_CALENDAR = {
    Kind.BOOKING_MADE,
    Kind.BOOKING_CONFIRMED,
    Kind.JOINED,
    Kind.PROMOTED,
    Kind.CLASS_MOVED,
    Kind.CLASS_CANCELLED,
    Kind.REMINDER,
}


def send_after_commit(message_ids: list[str]) -> None:
    """Try the messages once the caller's transaction commits; cron takes what fails."""
    transaction.on_commit(lambda: _send_quietly(message_ids))


def _send_quietly(message_ids: list[str]) -> None:
    # The rule has committed: a mail failure must not reach the learner's page.
    try:
        send_messages(Message.objects.filter(pk__in=message_ids))
    except Exception:
        logger.exception("Sending %d messages after commit failed; cron retries", len(message_ids))


def due(now: datetime | None = None):
    return Message.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now or timezone.now())


def send_messages(messages) -> tuple[int, int]:
    """Claim and send each of `messages` not yet sent; returns (sent, failed)."""
    sent = failed = 0
    connection = None
    try:
        for message in messages.select_related("recipient", "virtual_class"):
            if not claim(message):
                continue
            if connection is None:
                connection = get_connection(fail_silently=False)
            if _send(message, connection):
                sent += 1
            else:
                failed += 1
                connection = None  # a broken connection is not reused
    finally:
        if connection is not None:
            try:
                connection.close()
            except Exception:  # the server went away after the last message; nothing to undo
                logger.warning("Closing the mail connection failed", exc_info=True)
    return sent, failed


def claim(message: Message) -> bool:
    """Take `message` for this sender, unless another sender took it since it was read."""
    now = timezone.now()
    claimed = Message.objects.filter(
        pk=message.pk,
        sent_at__isnull=True,
        next_attempt_at=message.next_attempt_at,
        next_attempt_at__lte=now,
    ).update(next_attempt_at=now + CLAIM_LEASE, attempts=F("attempts") + 1)
    if claimed:
        message.attempts += 1
        message.next_attempt_at = now + CLAIM_LEASE
    return bool(claimed)


def _send(message: Message, connection) -> bool:
    try:
        email = build_email(message)
        email.connection = connection
        email.send()
    except Exception as error:
        wait = BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
        Message.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now() + wait, last_error=f"{type(error).__name__}: {error}"
        )
        logger.warning("Message %s failed (attempt %d): %s", message.pk, message.attempts, error)
        return False
    Message.objects.filter(pk=message.pk).update(sent_at=timezone.now(), last_error="")
    return True


def retry(messages) -> int:
    """Make unsent messages due now (staff's retry); returns how many."""
    return messages.filter(sent_at__isnull=True).update(next_attempt_at=timezone.now())


def recipient_zone(user) -> ZoneInfo:
    name = getattr(user, "time_zone", "") or settings.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def class_url(class_id: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("classes:detail", args=[class_id])


def build_email(message: Message) -> EmailMultiAlternatives:
    """The e-mail for `message`, in its recipient's language and time zone: plain text, HTML,
    maybe .ics."""
    recipient = message.recipient
    if not recipient.email:
        raise ValueError(f"{recipient} has no e-mail address")
    data = message.data
    context = {
        "recipient": recipient,
        "name": recipient.display_name,
        "data": data,
        "class_url": class_url(data["class_id"]),
        "site_url": settings.SITE_URL,
    }
    for field in ("starts_at", "ends_at", "old_starts_at", "old_ends_at"):
        if data.get(field):
            context[field] = datetime.fromisoformat(data[field])
    language = recipient.language or settings.LANGUAGE_CODE
    with timezone.override(recipient_zone(recipient)), translation.override(language):
        context["zone"] = timezone.get_current_timezone_name()
        text = render_to_string(f"notifications/{message.kind}.txt", context)
        html = render_to_string(f"notifications/{message.kind}.html", context)
        subject = str(SUBJECTS[message.kind]).format(title=data["title"])
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[recipient.email],
        headers={"X-Message-Id": message.pk},
    )
    email.attach_alternative(html, "text/html")
    if message.kind in WITH_CALENDAR and message.virtual_class is not None:
        virtual_class = message.virtual_class
        ics = calendar_file(
            [virtual_class], page_url=lambda c: class_url(c.pk), name=virtual_class.title
        )
        email.attach("class.ics", ics, "text/calendar")
    return email


def class_data(virtual_class) -> dict:
    """The class as a message tells it, frozen when the message is written."""
    return {
        "class_id": virtual_class.pk,
        "title": virtual_class.title,
        "starts_at": virtual_class.starts_at.isoformat(),
        "ends_at": virtual_class.ends_at.isoformat(),
        "meeting_url": virtual_class.meeting_url,
        "status": virtual_class.status,
    }


def withdraw_stale_reminders() -> int:
    """Delete unsent reminders whose class was cancelled or moved since they were written (a
    moved class gets a new one for its new start); returns how many. The log keeps the history;
    a reminder is only mail."""
    deleted, _ = (
        Message.objects.filter(kind=Kind.REMINDER, sent_at__isnull=True)
        .exclude(
            virtual_class__status=VirtualClass.Status.SCHEDULED,
            virtual_class__starts_at=F("reminder_for"),
        )
        .delete()
    )
    return deleted


def write_reminders(now: datetime | None = None) -> int:
    """Write the reminders that have come due: one per member per class start, REMINDER_LEAD
    before it. Returns how many were written."""
    now = now or timezone.now()
    classes = VirtualClass.objects.filter(
        status=VirtualClass.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + settings.REMINDER_LEAD,
    ).prefetch_related("participants")
    written = 0
    for virtual_class in classes:
        members = [virtual_class.booked_by_id, *(u.pk for u in virtual_class.participants.all())]
        reminded = set(
            Message.objects.filter(
                kind=Kind.REMINDER,
                virtual_class=virtual_class,
                reminder_for=virtual_class.starts_at,
            ).values_list("recipient_id", flat=True)
        )
        fresh = [
            Message(
                recipient_id=pk,
                kind=Kind.REMINDER,
                virtual_class=virtual_class,
                data=class_data(virtual_class),
                reminder_for=virtual_class.starts_at,
                next_attempt_at=now,
            )
            for pk in members
            if pk not in reminded
        ]
        # ignore_conflicts: a second sender writing the same reminders at once adds nothing.
        Message.objects.bulk_create(fresh, ignore_conflicts=True)
        written += len(fresh)
    return written
