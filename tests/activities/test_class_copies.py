"""Each activity keeps a copy of its class's start and of whether it was cancelled (the
dashboard orders and counts by them): every rule that creates an activity, moves its class or
cancels it keeps the copy true."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import UserActivity
from activities.services import restore_activities
from classes.models import VirtualClass
from classes.services import (
    ClassError,
    cancel_class,
    cancel_unconfirmed_classes,
    decline_class,
    join_class,
    join_waitlist,
    leave_class,
    update_class,
)
from tests.factories import StaffFactory, UserFactory, VirtualClassFactory, set_class_times

pytestmark = pytest.mark.django_db


def copies(virtual_class: VirtualClass) -> set[tuple]:
    """The distinct (start, cancelled) copies held by the class's activities."""
    return set(
        UserActivity.objects.filter(virtual_class=virtual_class).values_list(
            "class_starts_at", "class_cancelled"
        )
    )


@pytest.fixture
def joined_class(host, learner):
    virtual_class = VirtualClassFactory(booked_by=host)
    join_class(user=learner, virtual_class=virtual_class)
    return virtual_class


def test_the_hosts_and_a_joiners_activities_copy_the_class(joined_class):
    assert UserActivity.objects.filter(virtual_class=joined_class).count() == 2
    assert copies(joined_class) == {(joined_class.starts_at, False)}


def test_a_class_booked_cancelled_gives_its_host_a_cancelled_copy(host):
    virtual_class = VirtualClassFactory(booked_by=host, status=VirtualClass.Status.CANCELLED)

    assert copies(virtual_class) == {(virtual_class.starts_at, True)}


def test_moving_a_class_moves_its_activities_copy_of_the_start(joined_class, host):
    later = joined_class.starts_at + timedelta(days=2)

    update_class(
        virtual_class=joined_class, by=host, starts_at=later, ends_at=later + timedelta(hours=1)
    )

    assert copies(joined_class) == {(later, False)}


def test_a_refused_move_leaves_the_copies_as_they_were(joined_class, host):
    before = joined_class.starts_at
    later = before + timedelta(days=2)

    with pytest.raises(ClassError):
        # Fewer seats than the two taken: the whole change is refused, the move with it.
        update_class(
            virtual_class=joined_class,
            by=host,
            starts_at=later,
            ends_at=later + timedelta(hours=1),
            max_participants=1,
        )

    assert copies(joined_class) == {(before, False)}


def test_editing_only_the_text_leaves_the_copies(joined_class, host):
    update_class(virtual_class=joined_class, by=host, title="A new title")

    assert copies(joined_class) == {(joined_class.starts_at, False)}


def test_cancelling_a_class_marks_its_activities_cancelled(joined_class, host):
    cancel_class(virtual_class=joined_class, by=host)

    assert copies(joined_class) == {(joined_class.starts_at, True)}


def test_cancelling_one_class_leaves_the_others_activities(joined_class, host):
    other = VirtualClassFactory(booked_by=host)

    cancel_class(virtual_class=joined_class, by=host)

    assert copies(other) == {(other.starts_at, False)}


def test_declining_a_booking_marks_its_hosts_activity_cancelled(host):
    pending = VirtualClassFactory(booked_by=host, status=VirtualClass.Status.PENDING)

    decline_class(virtual_class=pending, by=StaffFactory(), reason="No teacher that day.")

    assert copies(pending) == {(pending.starts_at, True)}


def test_a_booking_left_unconfirmed_past_its_start_marks_its_activity_cancelled(host):
    now = timezone.now()
    overdue = VirtualClassFactory(
        booked_by=host,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(minutes=50),
        status=VirtualClass.Status.PENDING,
    )
    waiting = VirtualClassFactory(booked_by=host, status=VirtualClass.Status.PENDING)

    # What close_past_classes hands it: the classes whose start passed.
    cancel_unconfirmed_classes(classes=VirtualClass.objects.filter(starts_at__lte=now))

    assert copies(overdue) == {(overdue.starts_at, True)}
    assert copies(waiting) == {(waiting.starts_at, False)}


def test_restored_activities_copy_their_class_as_it_is_now(joined_class, learner):
    activity = UserActivity.objects.get(virtual_class=joined_class, user=learner)
    leave_class(user=learner, virtual_class=joined_class)
    later = joined_class.starts_at + timedelta(days=1)
    set_class_times(
        VirtualClass.objects.filter(pk=joined_class.pk),
        starts_at=later,
        ends_at=later + timedelta(hours=1),
    )

    restore_activities([activity])

    restored = UserActivity.objects.get(pk=activity.pk)
    assert (restored.class_starts_at, restored.class_cancelled) == (later, False)


def test_a_learner_promoted_from_the_waiting_list_copies_the_class(host, learner):
    full = VirtualClassFactory(booked_by=host, max_participants=2, participants=[learner])
    waiting = UserFactory()

    join_waitlist(user=waiting, virtual_class=full)
    leave_class(user=learner, virtual_class=full)

    promoted = UserActivity.objects.get(virtual_class=full, user=waiting)
    assert (promoted.class_starts_at, promoted.class_cancelled) == (full.starts_at, False)
