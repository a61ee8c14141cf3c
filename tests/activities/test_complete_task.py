from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from activities.models import UserActivity
from activities.services import ActivityError, assign_task, complete_task
from classes.models import VirtualClass
from classes.services import join_class
from history.models import Action, LogEntry
from learning_platform.models import User
from tests.factories import TaskFactory, VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(virtual_class, learner, task):
    join_class(user=learner, virtual_class=virtual_class)
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)
    return UserActivity.objects.get(user=learner)


def test_completing_marks_the_activity_and_counts_the_class(assigned, learner, task):
    newly_completed = complete_task(user=learner, task=task)

    assert newly_completed is True
    assigned.refresh_from_db()
    assert assigned.completed
    assert learner.total_classes == 1
    assert User.objects.get(pk=learner.pk).total_classes == 1


def test_completing_twice_counts_once(assigned, learner, task):
    complete_task(user=learner, task=task)

    newly_completed = complete_task(user=learner, task=task)

    assert newly_completed is False
    assert User.objects.get(pk=learner.pk).total_classes == 1


def test_completing_a_task_not_assigned_is_refused(learner):
    with pytest.raises(ActivityError, match="not assigned to you"):
        complete_task(user=learner, task=TaskFactory())

    assert User.objects.get(pk=learner.pk).total_classes == 0


def test_completing_someone_elses_task_is_refused(assigned, host, task, learner):
    outsider = User.objects.create_user("outsider")

    with pytest.raises(ActivityError):
        complete_task(user=outsider, task=task)

    assigned.refresh_from_db()
    assert not assigned.completed
    assert User.objects.get(pk=outsider.pk).total_classes == 0


def test_only_the_completing_learner_is_counted(assigned, learner, host, task):
    complete_task(user=learner, task=task)

    assert User.objects.get(pk=host.pk).total_classes == 0
    assert not UserActivity.objects.get(user=host).completed


@pytest.mark.django_db(transaction=True)  # no test transaction: each write stands as it would
def test_a_log_entry_that_cannot_be_written_leaves_the_activity_pending_and_uncounted(
    assigned, learner, task
):
    # An actor kind the log's check constraint refuses: the last write fails in the database.
    with (
        mock.patch("history.services.actor_kind", return_value="nobody"),
        pytest.raises(IntegrityError),
    ):
        complete_task(user=learner, task=task)

    assigned.refresh_from_db()
    assert not assigned.completed
    assert User.objects.get(pk=learner.pk).total_classes == 0
    assert not LogEntry.objects.filter(action=Action.TASK_COMPLETED).exists()


def test_completing_before_the_class_starts_is_refused_and_says_when(learner, task):
    upcoming = VirtualClassFactory(participants=[learner])
    assign_task(virtual_class=upcoming, task=task)

    with pytest.raises(ActivityError, match="You can complete this task once the class starts"):
        complete_task(user=learner, task=task)

    assert not UserActivity.objects.get(user=learner, virtual_class=upcoming).completed
    assert User.objects.get(pk=learner.pk).total_classes == 0


MOMENT = datetime(2030, 3, 4, 17, 30, tzinfo=UTC)


def test_the_refusal_writes_the_start_in_the_pages_format_in_the_learners_zone(learner, task):
    upcoming = VirtualClassFactory(participants=[learner])
    VirtualClass.objects.filter(pk=upcoming.pk).update(
        starts_at=MOMENT, ends_at=MOMENT + timedelta(hours=1)
    )
    assign_task(virtual_class=upcoming, task=task)
    User.objects.filter(pk=learner.pk).update(time_zone="Asia/Tokyo")
    learner.refresh_from_db()

    with pytest.raises(ActivityError) as refused:
        complete_task(user=learner, task=task)

    assert refused.value.messages == [
        "You can complete this task once the class starts (Tue 5 Mar 2030, 02:30 JST)."
    ]


def test_without_a_chosen_zone_the_refusal_uses_the_active_one(learner, task):
    upcoming = VirtualClassFactory(participants=[learner])
    VirtualClass.objects.filter(pk=upcoming.pk).update(
        starts_at=MOMENT, ends_at=MOMENT + timedelta(hours=1)
    )
    assign_task(virtual_class=upcoming, task=task)

    with (
        timezone.override(ZoneInfo("America/Mexico_City")),
        pytest.raises(ActivityError) as refused,
    ):
        complete_task(user=learner, task=task)

    assert "(Mon 4 Mar 2030, 11:30 CST)" in refused.value.messages[0]


def test_completing_in_a_cancelled_class_is_refused(learner, task):
    cancelled = VirtualClassFactory(participants=[learner])
    assign_task(virtual_class=cancelled, task=task)
    start_class(cancelled)
    VirtualClass.objects.filter(pk=cancelled.pk).update(status=VirtualClass.Status.CANCELLED)

    with pytest.raises(ActivityError, match="This class was cancelled"):
        complete_task(user=learner, task=task)

    assert User.objects.get(pk=learner.pk).total_classes == 0


def test_the_task_page_says_when_instead_of_offering_a_button(client, learner, task):
    upcoming = VirtualClassFactory(participants=[learner])
    assign_task(virtual_class=upcoming, task=task)
    client.force_login(learner)

    response = client.get(reverse("tasks:detail", args=[task.pk]))

    assert "You can complete this task once the class starts" in response.text
    assert "Mark as completed" not in response.text
