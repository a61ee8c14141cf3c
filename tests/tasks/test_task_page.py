import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse

from activities.services import assign_task
from history.models import Action, LogEntry
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])
    task = TaskFactory(
        content="## Fill the gaps\n\nYo ___ cansado.",
        solved_content="Yo **estoy** cansado.",
    )
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)
    return task


def task_page(client, task):
    return client.get(reverse("tasks:detail", args=[task.pk]))


def complete(client, task):
    return client.post(reverse("tasks:complete", args=[task.pk]))


def test_the_task_page_needs_a_signed_in_learner(client, task):
    assert task_page(client, task).status_code == 302


def test_a_learner_holding_the_task_sees_its_content_as_html(client, learner, task):
    client.force_login(learner)

    response = task_page(client, task)

    assert response.status_code == 200
    assert "<h2>Fill the gaps</h2>" in response.text


def test_another_learners_task_is_not_found(client, task):
    client.force_login(UserFactory())

    assert task_page(client, task).status_code == 404


def test_an_unknown_task_is_not_found(client, learner):
    client.force_login(learner)

    assert client.get(reverse("tasks:detail", args=["f" * 24])).status_code == 404


def test_the_task_content_is_sanitised(client, learner, task):
    task.content = (
        '<script>alert(1)</script><a href="#" onclick="x()">a</a> [b](javascript:y()) '
        '<a href="javascript:z()">c</a>'
    )
    task.save()
    client.force_login(learner)

    response = task_page(client, task)

    assert "alert(1)" not in response.text
    assert "onclick" not in response.text
    assert 'href="javascript:' not in response.text


def test_the_solution_is_hidden_before_completion(client, learner, task):
    client.force_login(learner)

    response = task_page(client, task)

    assert "estoy" not in response.text
    assert "Mark as completed" in response.text


def test_completing_the_task_shows_the_solution(client, learner, task):
    client.force_login(learner)

    response = complete(client, task)
    page = task_page(client, task)

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Well done! Task completed; the solution is below."
    ]
    assert "Yo <strong>estoy</strong> cansado." in page.text
    assert "Mark as completed" not in page.text


def test_completing_the_task_counts_one_class(client, learner, task):
    client.force_login(learner)

    complete(client, task)

    learner.refresh_from_db()
    assert learner.total_classes == 1


def test_completing_twice_counts_once_and_says_so(client, learner, task):
    client.force_login(learner)
    client.post(reverse("tasks:complete", args=[task.pk]), follow=True)

    response = complete(client, task)

    learner.refresh_from_db()
    assert learner.total_classes == 1
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You had already completed this task."
    ]


def test_completing_another_learners_task_is_not_found(client, task):
    outsider = UserFactory()
    client.force_login(outsider)

    assert complete(client, task).status_code == 404
    outsider.refresh_from_db()
    assert outsider.total_classes == 0


def test_completing_by_get_leads_to_the_task_page_and_completes_nothing(client, learner, task):
    client.force_login(learner)

    response = client.get(reverse("tasks:complete", args=[task.pk]))

    assert response.status_code == 302
    assert response.url == reverse("tasks:detail", args=[task.pk])
    learner.refresh_from_db()
    assert learner.total_classes == 0
    assert not learner.activities.get().completed


def test_completing_by_get_another_learners_task_is_not_found(client, task):
    client.force_login(UserFactory())

    response = client.get(reverse("tasks:complete", args=[task.pk]), follow=True)

    assert response.status_code == 404


def test_completing_by_put_is_not_allowed(client, learner, task):
    client.force_login(learner)

    assert client.put(reverse("tasks:complete", args=[task.pk])).status_code == 405


@pytest.mark.django_db(transaction=True)  # as in production: no test transaction around it
def test_a_first_completion_costs_at_most_five_queries(
    client, learner, task, django_assert_num_queries
):
    client.force_login(learner)

    # session, user, then the writes: on SQLite the conditional update of the learner's pending
    # activity in a class that counts now, the learner's count and the log entry; on PostgreSQL
    # the three as one statement
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 5):
        response = complete(client, task)

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.total_classes == 1
    assert learner.activities.get(task=task).completed
    entry = LogEntry.objects.get(action=Action.TASK_COMPLETED)
    assert (entry.virtual_class_id, entry.task_id, entry.learner_id, entry.actor_id) == (
        learner.activities.get(task=task).virtual_class_id,
        task.pk,
        learner.pk,
        learner.pk,
    )


@pytest.mark.django_db(transaction=True)
def test_a_repeated_completion_reads_once_to_say_so(
    client, learner, task, django_assert_num_queries
):
    client.force_login(learner)
    complete(client, task)

    # session, user, the conditional update that changes nothing, the read that says why
    with django_assert_num_queries(4):
        response = complete(client, task)

    assert response.status_code == 302
    assert LogEntry.objects.filter(action=Action.TASK_COMPLETED).count() == 1
