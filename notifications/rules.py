"""Who is told what: the one place that turns a log entry into messages.

Each action of the log maps to a function naming the recipients and the kind of message; an
action missing here tells nobody. The messages are written in the caller's transaction (so they
exist exactly when the change does) and tried once it commits.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

from history.models import Action, LogEntry
from notifications import outbox
from notifications.models import Kind, Message


def _host(entry: LogEntry) -> list[str]:
    return [entry.virtual_class.booked_by_id]


def _learner(entry: LogEntry) -> list[str]:
    return [entry.learner_id]


def _members(entry: LogEntry) -> list[str]:
    virtual_class = entry.virtual_class
    return [virtual_class.booked_by_id, *virtual_class.participants.values_list("pk", flat=True)]


def _members_and_waiting(entry: LogEntry) -> list[str]:
    # Whoever empties the waiting list names the learners it held: they are told too.
    return [*_members(entry), *entry.details.get("waiting_learner_ids", [])]


def _task_receivers(entry: LogEntry) -> list[str]:
    return list(entry.details.get("learner_ids", []))


RULES: dict[str, tuple[Callable[[LogEntry], Iterable[str]], str]] = {
    Action.CLASS_BOOKED: (_host, Kind.BOOKING_MADE),
    Action.CLASS_CONFIRMED: (_host, Kind.BOOKING_CONFIRMED),
    Action.CLASS_DECLINED: (_host, Kind.BOOKING_DECLINED),
    Action.CLASS_JOINED: (_learner, Kind.JOINED),
    Action.PARTICIPANT_ADDED: (_learner, Kind.JOINED),
    Action.WAITLIST_PROMOTED: (_learner, Kind.PROMOTED),
    Action.WAITLIST_JOINED: (_learner, Kind.WAITLIST_JOINED),
    Action.WAITLIST_LEFT: (_learner, Kind.WAITLIST_LEFT),
    Action.CLASS_MOVED: (_members, Kind.CLASS_MOVED),
    Action.CLASS_CANCELLED: (_members_and_waiting, Kind.CLASS_CANCELLED),
    Action.TASK_ATTACHED: (_task_receivers, Kind.TASK_ATTACHED),
}


_quiet = ContextVar("quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """Record without telling anyone: demo data is history, not news for its made-up learners."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def messages_for(entry: LogEntry) -> list[Message]:
    """Write the messages `entry` calls for (maybe none) and send them after the commit."""
    if _quiet.get():
        return []
    rule = RULES.get(entry.action)
    if rule is None or entry.virtual_class_id is None:
        return []
    recipients, kind = rule
    # One message per learner, in the order named, whoever is named twice.
    recipient_ids = list(dict.fromkeys(pk for pk in recipients(entry) if pk))
    if not recipient_ids:
        return []
    data = outbox.class_data(entry.virtual_class) | entry.details
    if entry.task_id:
        data["task_title"] = entry.task.title
    now = timezone.now()
    messages = Message.objects.bulk_create(
        Message(
            recipient_id=pk,
            kind=kind,
            virtual_class=entry.virtual_class,
            log_entry=entry,
            data=data,
            next_attempt_at=now,
        )
        for pk in recipient_ids
    )
    outbox.send_after_commit([message.pk for message in messages])
    return messages
