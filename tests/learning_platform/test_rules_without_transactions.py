"""The rules stay all-or-nothing where `transaction.atomic()` does nothing, as on MongoDB.

Simulated on the test database: atomic() and select_for_update() become no-ops and every write
commits at once, so only the rules' own undo steps (learning_platform/db.py) can put things
back. With TEST_MONGODB_URL the whole suite also runs on a real MongoDB server.
"""

from contextlib import nullcontext
from datetime import timedelta
from unittest import mock

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from activities.models import UserActivity
from activities.services import ActivityError, assign_task, complete_task
from classes.models import VirtualClass, WaitlistEntry
from classes.services import (
    ClassError,
    book_class,
    join_class,
    join_waitlist,
    leave_class,
    promote_waiting,
    update_class,
)
from learning_platform.models import User
from tests.factories import UserFactory, VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_transactions():
    with (
        mock.patch("django.db.transaction.atomic", lambda *args, **kwargs: nullcontext()),
        mock.patch.object(QuerySet, "select_for_update", lambda queryset, **kwargs: queryset),
        mock.patch("learning_platform.db.rolls_back", return_value=False),
        # The activity rules ask too: a completion then reads first, as on MongoDB.
        mock.patch("activities.services.rolls_back", return_value=False),
    ):
        yield


def _failing_bulk_create():
    return mock.patch.object(
        UserActivity.objects, "bulk_create", side_effect=RuntimeError("database went away")
    )


def test_a_booking_whose_host_activity_fails_leaves_no_class(host):
    starts_at = timezone.now() + timedelta(days=1)

    with _failing_bulk_create(), pytest.raises(RuntimeError):
        book_class(
            host=host,
            title="Never booked",
            class_type=VirtualClass.Type.GRUPAL,
            max_participants=3,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
        )

    assert not VirtualClass.objects.exists()


def test_a_join_whose_activity_fails_leaves_no_member_and_no_seat_taken(virtual_class, learner):
    with _failing_bulk_create(), pytest.raises(RuntimeError):
        join_class(user=learner, virtual_class=virtual_class)

    unchanged = VirtualClass.objects.get(pk=virtual_class.pk)
    assert unchanged.current_participants == 1
    assert not unchanged.participants.exists()
    assert not UserActivity.objects.filter(user=learner).exists()


def test_an_add_to_a_full_class_leaves_no_member_behind(host):
    # The shell skips join_class's checks, like a learner who lost the race for the last seat.
    full = VirtualClassFactory(booked_by=host, max_participants=2, participants=[UserFactory()])
    late = UserFactory()

    with pytest.raises(ClassError, match="This class is full"):
        full.participants.add(late)

    assert not full.participants.filter(pk=late.pk).exists()
    assert VirtualClass.objects.get(pk=full.pk).current_participants == 2
    assert not UserActivity.objects.filter(user=late).exists()


def test_a_completion_whose_count_fails_leaves_the_activity_as_it_was(virtual_class, learner, task):
    join_class(user=learner, virtual_class=virtual_class)
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)
    before = UserActivity.objects.get(user=learner)
    real_update = QuerySet.update

    def fail_on_user_update(queryset, **kwargs):
        if queryset.model is User:
            raise RuntimeError("database went away")
        return real_update(queryset, **kwargs)

    with (
        mock.patch.object(QuerySet, "update", autospec=True, side_effect=fail_on_user_update),
        pytest.raises(RuntimeError),
    ):
        complete_task(user=learner, task=task)

    after = UserActivity.objects.get(user=learner)
    assert (after.completed, after.updated_at) == (False, before.updated_at)
    assert User.objects.get(pk=learner.pk).total_classes == 0


def test_a_promotion_whose_join_fails_puts_the_learner_back_in_line_as_they_were(host):
    leaver = UserFactory()
    full = VirtualClassFactory(booked_by=host, max_participants=2, participants=[leaver])
    waiting = UserFactory()
    entry = join_waitlist(user=waiting, virtual_class=full)

    with _failing_bulk_create(), pytest.raises(RuntimeError):
        leave_class(user=leaver, virtual_class=full)

    # The leave is done (it was a whole rule of its own); the seat stays free for the next
    # promotion and the learner keeps their place: same entry, same time.
    restored = WaitlistEntry.objects.get(virtual_class=full)
    assert (restored.pk, restored.user_id, restored.created_at) == (
        entry.pk,
        waiting.pk,
        entry.created_at,
    )
    assert not full.participants.filter(pk=waiting.pk).exists()
    assert VirtualClass.objects.get(pk=full.pk).current_participants == 1
    assert not UserActivity.objects.filter(user=waiting).exists()


def test_a_promotion_into_a_class_filled_meanwhile_keeps_the_learner_in_line(host):
    full = VirtualClassFactory(booked_by=host, max_participants=2, participants=[UserFactory()])
    waiting = UserFactory()
    entry = join_waitlist(user=waiting, virtual_class=full)
    # A stale view of the class: it looks like a seat is free, the database says otherwise.
    stale = VirtualClass.objects.get(pk=full.pk)
    stale.current_participants = 1

    with mock.patch.object(VirtualClass.objects, "get", return_value=stale):
        promoted = promote_waiting(virtual_class=full)

    assert promoted == []
    assert WaitlistEntry.objects.get(virtual_class=full).created_at == entry.created_at
    assert VirtualClass.objects.get(pk=full.pk).current_participants == 2
    assert not full.participants.filter(pk=waiting.pk).exists()


def test_a_seat_change_refused_by_a_racing_join_undoes_the_rest_of_the_change(host):
    virtual_class = VirtualClassFactory(
        booked_by=host, max_participants=4, participants=UserFactory.create_batch(2)
    )
    before = VirtualClass.objects.get(pk=virtual_class.pk)
    # Read before two learners joined: the check passes, the conditional update refuses.
    stale = VirtualClass.objects.get(pk=virtual_class.pk)
    stale.current_participants = 1

    with (
        mock.patch("classes.services.lock_class", return_value=stale),
        pytest.raises(ClassError, match="3 seats are taken"),
    ):
        update_class(virtual_class=virtual_class, by=host, title="Renamed", max_participants=2)

    after = VirtualClass.objects.get(pk=virtual_class.pk)
    assert (after.title, after.max_participants, after.updated_at) == (
        before.title,
        4,
        before.updated_at,
    )


@pytest.fixture
def two_classes(learner, task):
    """The learner joined two classes that have started; they completed the later one."""
    now = timezone.now()
    earlier, later = (
        VirtualClassFactory(
            participants=[learner],
            starts_at=now - timedelta(hours=hours),
            ends_at=now + timedelta(hours=1),
        )
        for hours in (2, 1)
    )
    assign_task(virtual_class=later, task=task)
    complete_task(user=learner, task=task)
    return earlier, later


def _state(virtual_classes):
    return (
        sorted(UserActivity.objects.values_list("pk", "user_id", "created_at", "updated_at")),
        [VirtualClass.objects.get(pk=c.pk).current_participants for c in virtual_classes],
        sorted(VirtualClass.participants.through.objects.values_list("virtualclass_id", "user_id")),
    )


def test_leaving_several_classes_at_once_is_refused_before_anything_changes(learner, two_classes):
    before = _state(two_classes)

    with pytest.raises(ActivityError, match="completed this class cannot be removed"):
        learner.joined_classes.clear()

    assert _state(two_classes) == before


def test_a_removal_refused_midway_puts_history_back_exactly_as_it_was(learner, two_classes):
    before = _state(two_classes)

    # As if the completion landed after the check of every class: the second class refuses
    # once the first class's activity is already deleted and its seat freed.
    with (
        mock.patch("activities.services.why_participants_cannot_leave"),
        pytest.raises(ActivityError, match="completed this class cannot be removed"),
    ):
        learner.joined_classes.clear()

    assert _state(two_classes) == before
