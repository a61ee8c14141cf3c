"""Tasks through the API: read only by the learners who hold them, the solution only after
completing, and completing once."""

import pytest
from django.urls import reverse
from django.utils import formats

from activities.models import UserActivity
from activities.services import assign_task
from classes.models import VirtualClass
from classes.services import cancel_class, join_class
from learning_platform.models import User
from tests.api.conftest import client_for
from tests.factories import TaskFactory, VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_early(virtual_class, learner):
    """The learner joined the class, which has a task and has not started yet."""
    join_class(user=learner, virtual_class=virtual_class)
    task = TaskFactory(content="# Ejercicio", solved_content="# Solución")
    assign_task(virtual_class=virtual_class, task=task)
    return task


@pytest.fixture
def held(held_early, virtual_class):
    """The same, once the class has started: its task may be completed."""
    start_class(virtual_class)
    return held_early


def detail(task) -> str:
    return reverse("api:task-detail", args=[task.pk])


def complete(task) -> str:
    return reverse("api:task-complete", args=[task.pk])


def test_a_held_task_reads_without_its_solution_before_completion(as_learner, held):
    record = as_learner.get(detail(held)).json()

    assert record["content"] == "# Ejercicio"
    assert record["solvedContent"] is None


def test_the_solution_shows_after_completion(as_learner, held):
    as_learner.post(complete(held))

    assert as_learner.get(detail(held)).json()["solvedContent"] == "# Solución"


def test_a_task_not_held_is_a_404_whoever_asks(as_learner, virtual_class):
    other = TaskFactory()

    assert as_learner.get(detail(other)).status_code == 404
    assert as_learner.post(complete(other)).status_code == 404


def test_completing_counts_the_class_once_and_a_repeat_answers_the_same(as_learner, learner, held):
    first = as_learner.post(complete(held))
    again = as_learner.post(complete(held))

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["completed"] is True
    assert first.json()["taskId"] == held.pk
    assert User.objects.get(pk=learner.pk).total_classes == 1
    assert as_learner.get(reverse("api:me")).json()["totalClasses"] == 1


def test_a_learner_cannot_complete_the_hosts_task(as_learner, host, held):
    # Both hold the task; each completes only their own activity.
    as_learner.post(complete(held))

    assert not UserActivity.objects.get(user=host).completed
    assert User.objects.get(pk=host.pk).total_classes == 0


def assert_refused(response, message: str, learner) -> None:
    assert response.status_code == 409
    assert response.json() == {"detail": message}
    assert not UserActivity.objects.get(user=learner).completed
    assert User.objects.get(pk=learner.pk).total_classes == 0


def test_completing_before_the_class_starts_is_a_409_with_the_pages_message(
    as_learner, learner, held_early, virtual_class
):
    response = as_learner.post(complete(held_early))

    when = formats.date_format(virtual_class.starts_at, "DATETIME_FORMAT")  # UTC: no zone chosen
    assert_refused(response, f"You can complete this task once the class starts ({when}).", learner)


def test_completing_the_task_of_a_cancelled_class_is_a_409(
    as_learner, learner, host, held_early, virtual_class
):
    cancel_class(virtual_class=virtual_class, by=host)

    response = as_learner.post(complete(held_early))

    assert_refused(response, "This class was cancelled, so its task cannot be completed.", learner)


def test_completing_the_task_of_a_pending_class_is_a_409(settings, learner):
    settings.BOOKINGS_NEED_CONFIRMATION = True
    pending = VirtualClassFactory(booked_by=learner, status=VirtualClass.Status.PENDING)
    task = TaskFactory()
    assign_task(virtual_class=pending, task=task)
    start_class(pending)

    response = client_for(learner).post(complete(task))

    assert_refused(
        response, "This class has not been confirmed by the school yet; its task can wait.", learner
    )


def test_a_completed_task_answers_200_even_after_its_class_is_cancelled_later(
    as_learner, learner, held
):
    # Nothing to refuse on a repeat: the record is what it was.
    first = as_learner.post(complete(held))
    VirtualClass.objects.update(status=VirtualClass.Status.CANCELLED)

    again = as_learner.post(complete(held))

    assert again.status_code == 200
    assert again.json() == first.json()


def test_tasks_need_a_signed_in_learner(api, held):
    assert api.get(detail(held)).status_code == 401
    assert api.post(complete(held)).status_code == 401
