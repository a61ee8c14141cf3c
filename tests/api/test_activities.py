"""GET /api/v1/activities/: the seed's common queries for the signed-in learner."""

import pytest

from activities.models import UserActivity
from activities.services import assign_task, complete_task
from tests.api.conftest import client_for
from tests.factories import (
    StaffFactory,
    TaskFactory,
    UserFactory,
    VirtualClassFactory,
    start_class,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/activities/"


@pytest.fixture
def history(learner):
    """The learner hosts two classes and joined one, whose task they completed."""
    VirtualClassFactory(booked_by=learner, title="Hosted one")
    VirtualClassFactory(booked_by=learner, title="Hosted two")
    joined = VirtualClassFactory(title="Joined and done", participants=[learner])
    task = TaskFactory(title="Ser or estar", solved_content="**Es** la solución.")
    assign_task(virtual_class=joined, task=task)
    start_class(joined)
    complete_task(user=learner, task=task)
    return learner


def class_ids(response) -> set[str]:
    return {record["classId"] for record in response.json()["results"]}


def titles(**filters) -> set[str]:
    return set(UserActivity.objects.filter(**filters).values_list("virtual_class_id", flat=True))


def test_the_list_is_the_learners_own_newest_first(as_learner, history):
    VirtualClassFactory(title="Someone else's")

    records = as_learner.get(URL).json()["results"]

    assert {r["userId"] for r in records} == {history.pk}
    assert len(records) == 3
    assert [r["createdAt"] for r in records] == sorted(
        (r["createdAt"] for r in records), reverse=True
    )


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ({"completed": "true"}, {"completed": True}),
        ({"completed": "false"}, {"completed": False}),
        ({"rol": "anfitrion"}, {"rol": "anfitrion"}),
        ({"rol": "participante"}, {"rol": "participante"}),
        ({"rol": "anfitrion", "completed": "true"}, {"rol": "anfitrion", "completed": True}),
    ],
)
def test_the_seeds_common_queries_filter_the_list(as_learner, history, query, filters):
    response = as_learner.get(URL, query)

    assert class_ids(response) == titles(user=history, **filters)


@pytest.mark.parametrize(
    "query",
    [{"completed": "maybe"}, {"rol": "teacher"}, {"include": "task,user"}, {"userId": "x"}],
)
def test_a_bad_filter_is_a_400_naming_the_field(as_learner, history, query):
    response = as_learner.get(URL, query)

    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_include_embeds_the_task_and_the_class(as_learner, history):
    records = as_learner.get(URL, {"include": "task,class"}).json()["results"]

    done = next(r for r in records if r["completed"])
    assert done["task"]["title"] == "Ser or estar"
    assert done["task"]["solvedContent"] == "**Es** la solución."
    assert done["class"]["title"] == "Joined and done"
    assert done["class"]["participantsIds"] == [history.pk]
    hosted = next(r for r in records if r["rol"] == "anfitrion")
    assert hosted["task"] is None
    assert hosted["class"]["bookedById"] == history.pk


def test_an_embedded_task_hides_its_solution_until_completed(as_host, virtual_class, learner):
    task = TaskFactory(solved_content="secret")
    assign_task(virtual_class=virtual_class, task=task)

    (record,) = as_host.get(URL, {"include": "task"}).json()["results"]

    assert record["task"]["solvedContent"] is None
    assert record["task"]["content"] == task.content


def test_without_include_nothing_is_embedded(as_learner, history):
    record = as_learner.get(URL).json()["results"][0]

    assert "task" not in record and "class" not in record


def test_pages_follow_the_cursor_to_the_end(as_learner, history):
    seen = []
    url = URL + "?pageSize=2"
    while url:
        body = as_learner.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["next"]

    assert len(seen) == len(set(seen)) == 3


def test_a_bad_cursor_is_a_404(as_learner, history):
    response = as_learner.get(URL, {"cursor": "not-a-cursor"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid cursor"}


def test_staff_read_any_learners_activities(history):
    response = client_for(StaffFactory()).get(URL, {"userId": history.pk})

    assert class_ids(response) == titles(user=history)


def test_a_learner_cannot_read_another_learners_activities(as_host, history):
    response = as_host.get(URL, {"userId": history.pk})

    assert response.status_code == 403
    assert response.json() == {"detail": "Only staff can read another learner's activities."}


def test_a_learner_may_name_themself(as_learner, history):
    response = as_learner.get(URL, {"userId": history.pk})

    assert class_ids(response) == titles(user=history)


def test_staff_asking_for_an_unknown_learner_get_a_404(history):
    response = client_for(StaffFactory()).get(URL, {"userId": "0" * 24})

    assert response.status_code == 404


def test_the_list_needs_a_signed_in_learner(api):
    assert api.get(URL).status_code == 401


@pytest.mark.parametrize("include", ["", "task", "task,class"])
def test_the_query_count_does_not_grow_with_the_history(
    client, learner, django_assert_num_queries, include
):
    def grow(n):
        for _ in range(n):
            virtual_class = VirtualClassFactory(participants=[learner, UserFactory()])
            assign_task(virtual_class=virtual_class, task=TaskFactory())

    client.force_login(learner)
    grow(2)
    # session, user, the page of activities with class and task (+ participants' ids with
    # include=class)
    expected = 4 if "class" in include else 3
    with django_assert_num_queries(expected):
        client.get(URL, {"include": include})
    grow(10)
    with django_assert_num_queries(expected):
        response = client.get(URL, {"include": include})
    assert len(response.json()["results"]) == 12
