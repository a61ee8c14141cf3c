"""Activities in the admin: read-only by hand; completion only through complete_task."""

import pytest
from django.urls import reverse

from activities.models import UserActivity
from activities.services import ActivityError, assign_task
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:activities_useractivity_changelist")


def mark_completed(client, activities):
    data = {"action": "mark_completed", "_selected_action": [a.pk for a in activities]}
    return client.post(CHANGELIST, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def activities(learner):
    """The learner's activity with a task, and the host's activity in a class without one."""
    with_task = VirtualClassFactory(participants=[learner])
    assign_task(virtual_class=with_task, task=TaskFactory())
    start_class(with_task)
    without_task = VirtualClassFactory()
    return [
        UserActivity.objects.get(virtual_class=with_task, user=learner),
        UserActivity.objects.get(virtual_class=without_task),
    ]


def test_marking_completed_completes_through_the_service_and_counts_the_class(
    staff_client, learner, activities
):
    response = mark_completed(staff_client, activities)

    assert messages_of(response) == [
        "Marked 1 activity completed.",
        "Skipped 1 activity: No task is attached yet.",
    ]
    assert [UserActivity.objects.get(pk=a.pk).completed for a in activities] == [True, False]
    learner.refresh_from_db()
    assert learner.total_classes == 1


def test_a_completion_the_rules_refuse_is_reported_not_raised(
    staff_client, learner, activities, monkeypatch
):
    def refuse(**kwargs):
        raise ActivityError("This task is not assigned to you.")

    monkeypatch.setattr("activities.admin.complete_task", refuse)

    response = mark_completed(staff_client, activities[:1])

    assert response.status_code == 200
    assert messages_of(response) == [
        "Marked 0 activities completed.",
        "Skipped 1 activity: This task is not assigned to you.",
    ]


def test_marking_completed_twice_counts_the_class_once(staff_client, learner, activities):
    mark_completed(staff_client, activities[:1])

    response = mark_completed(staff_client, activities[:1])

    assert messages_of(response) == [
        "Marked 0 activities completed.",
        "Skipped 1 activity: Already completed.",
    ]
    learner.refresh_from_db()
    assert learner.total_classes == 1


def test_the_activity_page_says_why_it_cannot_be_edited(staff_client, activities):
    response = staff_client.get(
        reverse("admin:activities_useractivity_change", args=[activities[0].pk])
    )

    assert "Activities are not edited by hand." in response.text
    assert 'name="_save"' not in response.text


def test_completed_cannot_be_set_by_posting_the_form(staff_client, learner, activities):
    activity = activities[0]

    response = staff_client.post(
        reverse("admin:activities_useractivity_change", args=[activity.pk]),
        {"completed": "on", "user": UserFactory().pk},
    )

    assert response.status_code == 403
    activity.refresh_from_db()
    assert (activity.completed, activity.user) == (False, learner)
    learner.refresh_from_db()
    assert learner.total_classes == 0


def test_activities_cannot_be_deleted_from_the_admin(staff_client, activities):
    response = staff_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [activities[0].pk]},
        follow=True,
    )

    assert messages_of(response) == ["No action selected."]  # there is no such action
    assert UserActivity.objects.filter(pk=activities[0].pk).exists()


def test_the_list_filters_by_class_status(staff_client, activities):
    response = staff_client.get(CHANGELIST, {"class_status": "scheduled"})

    assert response.context["cl"].result_count == 3


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("marta", {("marta", "Travel stories"), ("marta", "Job interviews")}),
        ("MARTA@example", {("marta", "Travel stories"), ("marta", "Job interviews")}),
        ("travel", {("marta", "Travel stories"), ("pablo", "Travel stories")}),
        ("marta job", {("marta", "Job interviews")}),  # every word must match
        ("nobody", set()),
    ],
)
def test_the_activity_list_searches_learners_and_class_titles(staff_client, search, expected):
    marta, pablo = UserFactory(username="marta"), UserFactory(username="pablo")
    VirtualClassFactory(title="Travel stories", booked_by=marta, participants=[pablo])
    VirtualClassFactory(title="Job interviews", booked_by=pablo, participants=[marta])

    response = staff_client.get(CHANGELIST, {"q": search})

    shown = {(a.user.username, a.virtual_class.title) for a in response.context["cl"].result_list}
    assert shown == expected
