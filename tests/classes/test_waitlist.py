"""The waiting list: who may wait, the order of promotion, and every path that frees a seat."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import UserActivity
from activities.services import assign_task
from classes.models import VirtualClass, WaitlistEntry
from classes.services import (
    ClassError,
    cancel_class,
    join_class,
    join_waitlist,
    leave_class,
    leave_waitlist,
    promote_waiting,
    update_class,
    waitlist_position,
)
from tests.factories import UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(host, learner):
    """Two seats: the host and the learner."""
    return VirtualClassFactory(booked_by=host, max_participants=2, participants=[learner])


def _waiting(virtual_class):
    return list(
        WaitlistEntry.objects.filter(virtual_class=virtual_class)
        .order_by("created_at", "pk")
        .values_list("user__username", flat=True)
    )


def _refused(user, virtual_class, message):
    before = _waiting(virtual_class)
    with pytest.raises(ClassError) as error:
        join_waitlist(user=user, virtual_class=virtual_class)
    assert error.value.messages == [message]
    assert _waiting(virtual_class) == before


def test_a_learner_refused_only_because_the_class_is_full_may_wait(full):
    waiting = UserFactory(username="wanda")

    join_waitlist(user=waiting, virtual_class=full)

    assert _waiting(full) == ["wanda"]
    assert waitlist_position(user=waiting, virtual_class=full) == 1


def test_places_in_line_follow_the_order_of_arrival(full):
    first, second, third = UserFactory.create_batch(3)
    for user in (first, second, third):
        join_waitlist(user=user, virtual_class=full)

    assert [waitlist_position(user=u, virtual_class=full) for u in (first, second, third)] == [
        1,
        2,
        3,
    ]
    assert waitlist_position(user=UserFactory(), virtual_class=full) is None


def test_waiting_twice_is_refused(full):
    waiting = UserFactory()
    join_waitlist(user=waiting, virtual_class=full)

    _refused(waiting, full, "You are already on the waiting list.")


def test_the_host_and_a_participant_cannot_wait(full, host, learner):
    _refused(host, full, "You are the host of this class.")
    _refused(learner, full, "You have already joined this class.")


def test_a_class_with_a_free_seat_has_no_waiting_list(virtual_class):
    _refused(UserFactory(), virtual_class, "This class has a free seat: join it instead.")


INDIVIDUAL = "An individual class has one seat, taken by its host: it has no waiting list."


def test_an_individual_class_has_no_waiting_list(host):
    individual = VirtualClassFactory(
        booked_by=host, class_type=VirtualClass.Type.INDIVIDUAL, max_participants=1
    )

    _refused(UserFactory(), individual, INDIVIDUAL)


def test_the_page_of_an_individual_class_offers_no_waiting_list(client, host):
    individual = VirtualClassFactory(
        booked_by=host, class_type=VirtualClass.Type.INDIVIDUAL, max_participants=1
    )
    client.force_login(UserFactory())

    page = client.get(reverse("classes:detail", args=[individual.pk]))
    refused = client.post(reverse("classes:join_waitlist", args=[individual.pk]), follow=True)

    assert "Join the waiting list" not in page.text
    assert INDIVIDUAL in refused.text
    assert not individual.waitlist_entries.exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (VirtualClass.Status.CANCELLED, "This class has been cancelled."),
        (VirtualClass.Status.COMPLETED, "This class has already taken place."),
        (VirtualClass.Status.PENDING, "This class is waiting for the school to confirm it."),
    ],
)
def test_a_class_that_is_not_scheduled_has_no_waiting_list(full, status, message):
    VirtualClass.objects.filter(pk=full.pk).update(status=status)

    _refused(UserFactory(), full, message)


def test_a_class_that_has_started_has_no_waiting_list(host, learner):
    started = timezone.now() - timedelta(minutes=1)
    virtual_class = VirtualClassFactory(
        booked_by=host,
        max_participants=2,
        participants=[learner],
        starts_at=started,
        ends_at=started + timedelta(hours=1),
    )

    _refused(UserFactory(), virtual_class, "This class has already started.")


def test_a_leave_promotes_the_earliest_waiting_learner_through_the_join(full, learner, task):
    assign_task(virtual_class=full, task=task)
    first, second = UserFactory(username="first"), UserFactory(username="second")
    join_waitlist(user=first, virtual_class=full)
    join_waitlist(user=second, virtual_class=full)

    leave_class(user=learner, virtual_class=full)

    full.refresh_from_db()
    assert list(full.participants.values_list("username", flat=True)) == ["first"]
    assert full.current_participants == 2
    activity = UserActivity.objects.get(virtual_class=full, user=first)
    # The join signal's work: a participant's activity with the class's task.
    assert (activity.rol, activity.task_id) == (UserActivity.Rol.PARTICIPANTE, task.pk)
    assert _waiting(full) == ["second"]
    assert waitlist_position(user=second, virtual_class=full) == 1


def test_an_admin_style_removal_then_promotion_fills_the_seat(full, learner):
    waiting = UserFactory()
    join_waitlist(user=waiting, virtual_class=full)

    full.participants.remove(learner)
    promoted = promote_waiting(virtual_class=full)

    assert promoted == [waiting.pk]
    assert full.current_participants == 2


def test_added_seats_promote_as_many_waiting_learners(full, host):
    waiting = UserFactory.create_batch(3)
    for user in waiting:
        join_waitlist(user=user, virtual_class=full)

    update_class(virtual_class=full, by=host, max_participants=4)

    assert set(full.participants.values_list("pk", flat=True)) >= {waiting[0].pk, waiting[1].pk}
    assert not full.participants.filter(pk=waiting[2].pk).exists()
    assert full.current_participants == 4
    assert _waiting(full) == [waiting[2].username]


def test_a_learner_may_leave_the_waiting_list_and_is_not_promoted(full, learner):
    waiting = UserFactory()
    join_waitlist(user=waiting, virtual_class=full)

    leave_waitlist(user=waiting, virtual_class=full)
    leave_class(user=learner, virtual_class=full)

    assert not full.participants.filter(pk=waiting.pk).exists()
    assert VirtualClass.objects.get(pk=full.pk).current_participants == 1


def test_leaving_a_waiting_list_one_is_not_on_is_refused(full):
    with pytest.raises(ClassError, match="You are not on the waiting list of this class"):
        leave_waitlist(user=UserFactory(), virtual_class=full)


def test_cancelling_a_class_empties_its_waiting_list(full, host):
    join_waitlist(user=UserFactory(), virtual_class=full)

    cancel_class(virtual_class=full, by=host)

    assert _waiting(full) == []


def test_promotion_stops_when_the_class_starts(full, learner):
    waiting = UserFactory()
    join_waitlist(user=waiting, virtual_class=full)
    full.participants.remove(learner)
    started = timezone.now() - timedelta(minutes=1)
    VirtualClass.objects.filter(pk=full.pk).update(starts_at=started)

    assert promote_waiting(virtual_class=full) == []
    assert not full.participants.filter(pk=waiting.pk).exists()


def test_a_direct_join_takes_the_learner_off_the_waiting_list(full, learner):
    waiting = UserFactory()
    join_waitlist(user=waiting, virtual_class=full)
    # Freed behind the promotion's back (a plain removal), so the seat is open to anyone.
    full.participants.remove(learner)

    join_class(user=waiting, virtual_class=full)

    assert _waiting(full) == []


def test_a_promotion_into_a_class_filled_meanwhile_keeps_the_learner_in_line(full):
    waiting = UserFactory()
    entry = join_waitlist(user=waiting, virtual_class=full)
    stale = VirtualClass.objects.get(pk=full.pk)
    stale.current_participants = 1  # looks like a seat is free; the database says otherwise

    with mock.patch.object(VirtualClass.objects, "get", return_value=stale):
        assert promote_waiting(virtual_class=full) == []

    restored = WaitlistEntry.objects.get(virtual_class=full)
    assert (restored.pk, restored.created_at) == (entry.pk, entry.created_at)
    assert not full.participants.filter(pk=waiting.pk).exists()


@pytest.mark.parametrize("waiting", [1, 12])
def test_the_class_page_of_a_full_class_costs_the_same_however_long_the_line(
    client, django_assert_num_queries, host, waiting
):
    full = VirtualClassFactory(
        booked_by=host, max_participants=3, participants=UserFactory.create_batch(2)
    )
    line = UserFactory.create_batch(waiting)
    for user in line:
        join_waitlist(user=user, virtual_class=full)
    url = reverse("classes:detail", args=[full.pk])

    client.force_login(line[-1])
    # session, user, class with host and task, participants, the viewer's activity,
    # why_cannot_join: already a participant?, the viewer's entry, entries ahead of it
    with django_assert_num_queries(8):
        response = client.get(url)
    assert f"You are number {waiting} in line." in response.text

    client.force_login(UserFactory())
    # the same six, then: the viewer's entry (none), why_cannot_wait: waiting already?,
    # why_cannot_join: already a participant?
    with django_assert_num_queries(9):
        response = client.get(url)
    assert "Join the waiting list" in response.text


def test_a_learner_joins_and_leaves_the_waiting_list_from_the_class_page(client, full):
    waiting = UserFactory()
    client.force_login(waiting)

    joined = client.post(reverse("classes:join_waitlist", args=[full.pk]), follow=True)

    assert "You are on the waiting list of" in joined.text
    assert "You are number 1 in line." in joined.text
    assert "Leave the waiting list" in joined.text

    left = client.post(reverse("classes:leave_waitlist", args=[full.pk]), follow=True)

    assert "You have left the waiting list of" in left.text
    assert "Join the waiting list" in left.text
    assert not full.waitlist_entries.exists()


def test_a_refused_wait_says_why_on_the_page(client, virtual_class):
    client.force_login(UserFactory())

    response = client.post(reverse("classes:join_waitlist", args=[virtual_class.pk]), follow=True)

    assert "This class has a free seat: join it instead." in response.text
    assert not virtual_class.waitlist_entries.exists()


def test_a_visitor_sees_a_full_class_without_the_waiting_list(client, full):
    response = client.get(reverse("classes:detail", args=[full.pk]))

    assert response.status_code == 200
    assert "This class is full." in response.text
    assert "Join the waiting list" not in response.text


@pytest.mark.parametrize("waiting", [1, 10])
def test_the_list_and_the_dashboard_cost_the_same_with_waiting_lists(
    client, django_assert_num_queries, learner, waiting
):
    for _ in range(3):
        full = VirtualClassFactory(max_participants=2, participants=[UserFactory()])
        for user in [learner, *UserFactory.create_batch(waiting - 1)]:
            join_waitlist(user=user, virtual_class=full)
    VirtualClassFactory(booked_by=learner)
    client.force_login(learner)

    # session, user, one page of classes with their hosts, the capped count, the viewer's seats
    with django_assert_num_queries(5):
        client.get(reverse("classes:list"))
    # session, user, a page of the past and the upcoming classes, the counts
    with django_assert_num_queries(5):
        client.get(reverse("activities:dashboard"))
