from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import UserActivity
from classes.models import VirtualClass
from classes.services import ClassError, join_class
from tests.factories import UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def test_joining_adds_the_learner_and_takes_a_seat(virtual_class, learner):
    joined = join_class(user=learner, virtual_class=virtual_class)

    assert list(joined.participants.all()) == [learner]
    assert joined.current_participants == 2
    virtual_class.refresh_from_db()
    assert virtual_class.current_participants == 2


def test_joining_creates_a_participant_activity(virtual_class, learner):
    join_class(user=learner, virtual_class=virtual_class)

    activity = UserActivity.objects.get(user=learner)
    assert (activity.virtual_class, activity.rol, activity.task, activity.completed) == (
        virtual_class,
        UserActivity.Rol.PARTICIPANTE,
        None,
        False,
    )


def test_joining_a_class_with_a_task_gives_the_learner_that_task(virtual_class, learner, task):
    VirtualClass.objects.filter(pk=virtual_class.pk).update(task=task)

    join_class(user=learner, virtual_class=virtual_class)

    assert UserActivity.objects.get(user=learner).task == task


def _assert_refused(user, virtual_class, message):
    before = set(UserActivity.objects.values_list("pk", "user_id", "rol"))
    with pytest.raises(ClassError) as error:
        join_class(user=user, virtual_class=virtual_class)
    assert error.value.messages == [message]
    assert set(UserActivity.objects.values_list("pk", "user_id", "rol")) == before
    return VirtualClass.objects.get(pk=virtual_class.pk)


def test_the_host_joining_their_own_class_is_refused(virtual_class, host):
    unchanged = _assert_refused(host, virtual_class, "You are the host of this class.")

    assert unchanged.current_participants == 1
    assert not unchanged.participants.exists()


def test_joining_twice_is_refused(virtual_class, learner):
    join_class(user=learner, virtual_class=virtual_class)

    unchanged = _assert_refused(learner, virtual_class, "You have already joined this class.")

    assert unchanged.current_participants == 2


def test_joining_a_full_class_is_refused(host):
    virtual_class = VirtualClassFactory(booked_by=host, max_participants=2)
    join_class(user=UserFactory(), virtual_class=virtual_class)

    unchanged = _assert_refused(UserFactory(), virtual_class, "This class is full.")

    assert unchanged.current_participants == 2


def test_joining_an_individual_class_is_refused(host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, individual=True)

    _assert_refused(learner, virtual_class, "This class is full.")


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (VirtualClass.Status.CANCELLED, "This class has been cancelled."),
        (VirtualClass.Status.COMPLETED, "This class has already taken place."),
    ],
)
def test_joining_a_closed_class_is_refused(virtual_class, learner, status, message):
    VirtualClass.objects.filter(pk=virtual_class.pk).update(status=status)

    unchanged = _assert_refused(learner, virtual_class, message)

    assert not unchanged.participants.exists()


def test_joining_a_pending_class_is_refused(virtual_class, learner):
    VirtualClass.objects.filter(pk=virtual_class.pk).update(status=VirtualClass.Status.PENDING)
    virtual_class.refresh_from_db()

    _assert_refused(learner, virtual_class, "This class is waiting for the school to confirm it.")


def test_joining_a_class_that_has_started_is_refused(host, learner):
    started = timezone.now() - timedelta(minutes=5)
    virtual_class = VirtualClassFactory(
        booked_by=host, starts_at=started, ends_at=started + timedelta(hours=1)
    )

    _assert_refused(learner, virtual_class, "This class has already started.")


def test_a_failure_while_recording_the_activity_undoes_the_join(virtual_class, learner):
    with (
        mock.patch.object(
            UserActivity.objects, "bulk_create", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
    ):
        join_class(user=learner, virtual_class=virtual_class)

    unchanged = VirtualClass.objects.get(pk=virtual_class.pk)
    assert unchanged.current_participants == 1
    assert not unchanged.participants.exists()


@pytest.mark.parametrize("action", ["classes:join", "classes:leave"])
def test_joining_or_leaving_a_class_that_does_not_exist_is_a_404(client, learner, action):
    client.force_login(learner)

    response = client.post(reverse(action, args=["0123456789abcdef01234567"]))

    assert response.status_code == 404
