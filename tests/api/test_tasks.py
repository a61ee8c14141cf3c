"""Tasks through the API: read only by the learners who hold them, the solution only after
completing, and completing once."""

import pytest
from django.urls import reverse

from activities.models import UserActivity
from activities.services import ActivityError, assign_task
from classes.services import join_class
from learning_platform.models import User
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(virtual_class, learner):
    join_class(user=learner, virtual_class=virtual_class)
    task = TaskFactory(content="# Ejercicio", solved_content="# Solución")
    assign_task(virtual_class=virtual_class, task=task)
    return task


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


def test_a_rule_refusing_completion_is_a_409_with_its_message(
    as_learner, learner, held, monkeypatch
):
    def refuse(**kwargs):
        raise ActivityError("This class has not started yet.")

    monkeypatch.setattr("api.views.complete_task", refuse)

    response = as_learner.post(complete(held))

    assert response.status_code == 409
    assert response.json() == {"detail": "This class has not started yet."}
    assert User.objects.get(pk=learner.pk).total_classes == 0


def test_tasks_need_a_signed_in_learner(api, held):
    assert api.get(detail(held)).status_code == 401
    assert api.post(complete(held)).status_code == 401
