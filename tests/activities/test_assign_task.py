from unittest import mock

import pytest
from django.db.models import QuerySet

from activities.models import UserActivity
from activities.services import ActivityError, assign_task
from classes.models import VirtualClass
from classes.services import cancel_class, join_class
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def test_assigning_a_task_sets_it_on_the_class_and_every_activity(virtual_class, learner, task):
    join_class(user=learner, virtual_class=virtual_class)

    result = assign_task(virtual_class=virtual_class, task=task)

    assert result.assigned == 2
    assert result.skipped_user_ids == []
    assert VirtualClass.objects.get(pk=virtual_class.pk).task == task
    assert set(UserActivity.objects.values_list("task_id", flat=True)) == {task.pk}


def test_a_learner_who_joins_afterwards_gets_the_task(virtual_class, learner, task):
    assign_task(virtual_class=virtual_class, task=task)

    join_class(user=learner, virtual_class=virtual_class)

    assert UserActivity.objects.get(user=learner).task == task


def test_assigning_the_same_task_again_changes_nothing(virtual_class, task):
    assign_task(virtual_class=virtual_class, task=task)

    result = assign_task(virtual_class=virtual_class, task=task)

    assert result.assigned == 0


def test_a_learner_holding_the_task_elsewhere_is_skipped(host, learner, task):
    first = VirtualClassFactory(booked_by=host, participants=[learner])
    second = VirtualClassFactory(booked_by=UserFactory(), participants=[learner])
    assign_task(virtual_class=first, task=task)

    result = assign_task(virtual_class=second, task=task)

    assert result.skipped_user_ids == [learner.pk]
    assert result.assigned == 1  # the second class's host
    assert UserActivity.objects.get(user=learner, virtual_class=second).task is None
    assert UserActivity.objects.filter(user=learner, task=task).count() == 1


def test_a_joiner_holding_the_task_elsewhere_joins_without_it(host, learner, task):
    first = VirtualClassFactory(booked_by=host, participants=[learner])
    second = VirtualClassFactory(booked_by=UserFactory())
    assign_task(virtual_class=first, task=task)
    assign_task(virtual_class=second, task=task)

    join_class(user=learner, virtual_class=second)

    assert UserActivity.objects.get(user=learner, virtual_class=second).task is None


def test_assigning_a_different_task_to_a_class_that_has_one_is_refused(virtual_class, task):
    assign_task(virtual_class=virtual_class, task=task)

    with pytest.raises(ActivityError, match="already has the task"):
        assign_task(virtual_class=virtual_class, task=TaskFactory())

    assert set(UserActivity.objects.values_list("task_id", flat=True)) == {task.pk}


def test_assigning_a_task_to_a_cancelled_class_is_refused(virtual_class, host, task):
    cancel_class(virtual_class=virtual_class, by=host)

    with pytest.raises(ActivityError, match="cancelled"):
        assign_task(virtual_class=virtual_class, task=task)

    assert VirtualClass.objects.get(pk=virtual_class.pk).task is None
    assert not UserActivity.objects.filter(task=task).exists()


def test_a_learner_added_through_a_copy_read_before_the_task_still_gets_it(
    virtual_class, learner, task
):
    # What a join racing with assign_task sees where rows cannot be locked (MongoDB).
    read_before = VirtualClass.objects.get(pk=virtual_class.pk)
    assign_task(virtual_class=virtual_class, task=task)

    read_before.participants.add(learner)

    assert UserActivity.objects.get(user=learner).task == task


def test_a_task_attached_by_someone_else_after_the_read_is_not_overwritten(virtual_class, task):
    # Where rows cannot be locked (MongoDB), another task may land between the read and the write.
    other = TaskFactory()
    real_get = QuerySet.get

    def read_then_other_attaches(queryset, *args, **kwargs):
        found = real_get(queryset, *args, **kwargs)
        if queryset.model is VirtualClass:
            VirtualClass.objects.filter(pk=found.pk).update(task=other)
        return found

    with (
        mock.patch.object(QuerySet, "get", autospec=True, side_effect=read_then_other_attaches),
        pytest.raises(ActivityError, match="already has the task"),
    ):
        assign_task(virtual_class=virtual_class, task=task)

    assert VirtualClass.objects.get(pk=virtual_class.pk).task != task
    assert not UserActivity.objects.filter(task=task).exists()
