from datetime import timedelta
from unittest import mock

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from activities.models import UserActivity
from activities.services import ActivityError, assign_task, complete_task
from classes.models import VirtualClass
from classes.services import ClassError, join_class, leave_class
from tests.factories import VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db


def test_leaving_removes_the_participant_their_activity_and_their_seat(virtual_class, learner):
    join_class(user=learner, virtual_class=virtual_class)

    left = leave_class(user=learner, virtual_class=virtual_class)

    assert not left.participants.exists()
    assert left.current_participants == 1
    assert not UserActivity.objects.filter(user=learner).exists()
    assert UserActivity.objects.filter(virtual_class=virtual_class).count() == 1  # the host's


def test_a_learner_who_left_can_join_again(virtual_class, learner):
    join_class(user=learner, virtual_class=virtual_class)
    leave_class(user=learner, virtual_class=virtual_class)

    rejoined = join_class(user=learner, virtual_class=virtual_class)

    assert rejoined.current_participants == 2


def test_leaving_after_completing_the_task_is_refused(virtual_class, learner, task):
    join_class(user=learner, virtual_class=virtual_class)
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)
    complete_task(user=learner, task=task)

    with pytest.raises(ClassError, match="completed this class"):
        leave_class(user=learner, virtual_class=virtual_class)

    assert virtual_class.participants.filter(pk=learner.pk).exists()
    assert UserActivity.objects.get(user=learner).completed
    assert VirtualClass.objects.get(pk=virtual_class.pk).current_participants == 2


def test_leaving_a_class_not_joined_is_refused(virtual_class, learner):
    with pytest.raises(ClassError, match="not joined"):
        leave_class(user=learner, virtual_class=virtual_class)


def test_the_host_leaving_is_refused(virtual_class, host):
    with pytest.raises(ClassError, match="cancel it instead"):
        leave_class(user=host, virtual_class=virtual_class)

    assert UserActivity.objects.filter(user=host).exists()


def test_leaving_a_class_that_has_started_is_refused(host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])
    started = timezone.now() - timedelta(minutes=1)
    VirtualClass.objects.filter(pk=virtual_class.pk).update(starts_at=started)

    with pytest.raises(ClassError, match="already started"):
        leave_class(user=learner, virtual_class=virtual_class)

    assert UserActivity.objects.filter(user=learner).exists()


def test_a_completion_landing_between_the_check_and_the_delete_refuses_the_leave(
    virtual_class, learner, task
):
    # Where rows cannot be locked (MongoDB), the learner may complete while the leave runs.
    join_class(user=learner, virtual_class=virtual_class)
    assign_task(virtual_class=virtual_class, task=task)
    real_delete = QuerySet.delete

    def complete_first(queryset):
        if queryset.model is UserActivity:
            UserActivity.objects.filter(user=learner).update(completed=True)
        return real_delete(queryset)

    with (
        mock.patch.object(QuerySet, "delete", autospec=True, side_effect=complete_first),
        pytest.raises(ActivityError, match="completed this class"),
    ):
        leave_class(user=learner, virtual_class=virtual_class)

    assert UserActivity.objects.filter(user=learner, virtual_class=virtual_class).exists()
    assert virtual_class.participants.filter(pk=learner.pk).exists()
    assert VirtualClass.objects.get(pk=virtual_class.pk).current_participants == 2
