"""The class-life rules, called as every door calls them, write their log entry and tell the
learners concerned: confirming, declining, moving, changing seats, waiting, promoting and
cancelling with a waiting list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from classes import services
from classes.models import VirtualClass
from history.models import Action, LogEntry
from notifications.models import Message
from tests.factories import StaffFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db

Kind = Message.Kind


def told(virtual_class) -> list[tuple[str, str]]:
    """(kind, recipient) of every message about the class, in a stable order."""
    return sorted(
        Message.objects.filter(virtual_class=virtual_class).values_list("kind", "recipient_id")
    )


def logged(virtual_class) -> list[str]:
    return list(
        LogEntry.objects.filter(virtual_class=virtual_class)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def full_class(learner):
    """A group class of two seats: its host and `learner`."""
    return VirtualClassFactory(max_participants=2, participants=[learner])


def test_confirming_tells_the_host(host):
    pending = VirtualClassFactory(booked_by=host, status=VirtualClass.Status.PENDING)
    Message.objects.all().delete()

    services.confirm_class(virtual_class=pending, by=StaffFactory())

    assert logged(pending)[-1] == Action.CLASS_CONFIRMED
    assert told(pending) == [(Kind.BOOKING_CONFIRMED, host.pk)]


def test_declining_tells_the_host_why(host):
    pending = VirtualClassFactory(booked_by=host, status=VirtualClass.Status.PENDING)
    Message.objects.all().delete()

    services.decline_class(virtual_class=pending, by=StaffFactory(), reason="No teacher")

    entry = LogEntry.objects.get(virtual_class=pending, action=Action.CLASS_DECLINED)
    assert entry.details == {"reason": "No teacher"}
    assert told(pending) == [(Kind.BOOKING_DECLINED, host.pk)]


def test_moving_a_class_tells_its_members_and_raises_its_sequence(virtual_class, learner):
    services.join_class(user=learner, virtual_class=virtual_class)
    Message.objects.all().delete()
    old_start = virtual_class.starts_at

    services.update_class(
        virtual_class=virtual_class,
        by=virtual_class.booked_by,
        starts_at=old_start + timedelta(days=1),
        ends_at=virtual_class.ends_at + timedelta(days=1),
    )

    entry = LogEntry.objects.get(virtual_class=virtual_class, action=Action.CLASS_MOVED)
    assert entry.details["old_starts_at"].startswith(old_start.date().isoformat())
    assert told(virtual_class) == sorted(
        [(Kind.CLASS_MOVED, virtual_class.booked_by_id), (Kind.CLASS_MOVED, learner.pk)]
    )
    assert virtual_class.sequence == 1


def test_a_title_change_is_logged_and_tells_nobody(virtual_class):
    Message.objects.all().delete()

    services.update_class(virtual_class=virtual_class, by=virtual_class.booked_by, title="New")

    entry = LogEntry.objects.get(virtual_class=virtual_class, action=Action.CLASS_EDITED)
    assert entry.details == {"fields": ["title"]}
    assert told(virtual_class) == []
    assert virtual_class.sequence == 0


def test_waiting_then_a_freed_seat_promotes_and_tells_the_learner(full_class, learner):
    waiting = UserFactory()
    services.join_waitlist(user=waiting, virtual_class=full_class)

    services.leave_class(user=learner, virtual_class=full_class)

    assert logged(full_class)[-3:] == [
        Action.WAITLIST_JOINED,
        Action.CLASS_LEFT,
        Action.WAITLIST_PROMOTED,
    ]
    assert (Kind.PROMOTED, waiting.pk) in told(full_class)
    assert full_class.participants.filter(pk=waiting.pk).exists()


def test_added_seats_promote_and_the_change_is_logged(full_class):
    waiting = UserFactory()
    services.join_waitlist(user=waiting, virtual_class=full_class)

    services.update_class(virtual_class=full_class, by=full_class.booked_by, max_participants=3)

    seats = LogEntry.objects.get(virtual_class=full_class, action=Action.SEATS_CHANGED)
    assert seats.details == {"old_seats": 2, "seats": 3}
    assert logged(full_class)[-1] == Action.WAITLIST_PROMOTED
    assert (Kind.PROMOTED, waiting.pk) in told(full_class)


def test_leaving_the_waiting_list_is_logged_and_told(full_class):
    waiting = UserFactory()
    services.join_waitlist(user=waiting, virtual_class=full_class)

    services.leave_waitlist(user=waiting, virtual_class=full_class)

    assert logged(full_class)[-2:] == [Action.WAITLIST_JOINED, Action.WAITLIST_LEFT]
    assert (Kind.WAITLIST_LEFT, waiting.pk) in told(full_class)


def test_cancelling_tells_the_learners_who_were_waiting(full_class, learner):
    waiting = UserFactory()
    services.join_waitlist(user=waiting, virtual_class=full_class)
    Message.objects.all().delete()

    services.cancel_class(virtual_class=full_class, by=full_class.booked_by)

    entry = LogEntry.objects.get(virtual_class=full_class, action=Action.CLASS_CANCELLED)
    assert entry.details == {"waiting_learner_ids": [waiting.pk]}
    assert told(full_class) == sorted(
        (Kind.CLASS_CANCELLED, user_id)
        for user_id in (full_class.booked_by_id, learner.pk, waiting.pk)
    )
    assert not full_class.waitlist_entries.exists()


def test_an_unconfirmed_booking_past_its_start_is_cancelled_and_its_host_told(host):
    pending = VirtualClassFactory(booked_by=host, status=VirtualClass.Status.PENDING)
    VirtualClass.objects.filter(pk=pending.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )
    Message.objects.all().delete()

    cancelled = services.cancel_unconfirmed_classes(classes=VirtualClass.objects.all())

    assert cancelled == 1
    assert logged(pending)[-1] == Action.CLASS_DECLINED
    assert told(pending) == [(Kind.BOOKING_DECLINED, host.pk)]
