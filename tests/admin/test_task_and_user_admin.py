import pytest
from django.urls import reverse

from activities.services import assign_task, complete_task
from learning_platform.models import User
from tests.admin.forms import form_data
from tests.factories import TaskFactory, VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db


def test_the_task_page_previews_the_markdown_as_learners_see_it(staff_client):
    task = TaskFactory(
        content="Choose **one**.\n\n<script>alert('x')</script>",
        solved_content="[answer](javascript:alert(1)) is *estar*",
    )

    response = staff_client.get(reverse("admin:tasks_task_change", args=[task.pk]))

    assert "<p>Choose <strong>one</strong>.</p>" in response.text
    assert "<em>estar</em>" in response.text
    assert "<script>alert" not in response.text
    assert 'href="javascript:' not in response.text


def test_the_task_list_searches_titles(staff_client):
    TaskFactory(title="Past tenses")
    TaskFactory(title="Ordering food")

    response = staff_client.get(reverse("admin:tasks_task_changelist"), {"q": "past"})

    assert [t.title for t in response.context["cl"].result_list] == ["Past tenses"]


@pytest.fixture
def learner_with_a_class(learner):
    task = TaskFactory()
    virtual_class = VirtualClassFactory(participants=[learner])
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)
    complete_task(user=learner, task=task)
    return learner


def test_total_classes_cannot_be_changed_on_the_user_page(staff_client, learner_with_a_class):
    url = reverse("admin:learning_platform_user_change", args=[learner_with_a_class.pk])
    data = form_data(staff_client.get(url).text, "user_form")
    data.update(total_classes="99", first_name="Renamed")

    response = staff_client.post(url, data)

    assert response.status_code == 302
    learner_with_a_class.refresh_from_db()
    assert (learner_with_a_class.first_name, learner_with_a_class.total_classes) == ("Renamed", 1)


def test_the_user_page_links_to_their_activities(staff_client, learner_with_a_class):
    learner = learner_with_a_class
    url = reverse("admin:learning_platform_user_change", args=[learner.pk])

    response = staff_client.get(url)

    activities = reverse("admin:activities_useractivity_changelist")
    assert f'<a href="{activities}?user__id__exact={learner.pk}">1 activity</a>' in response.text
    listed = staff_client.get(activities, {"user__id__exact": learner.pk})
    assert [a.user for a in listed.context["cl"].result_list] == [learner]


def test_the_user_list_filters_by_level_and_staff_status(staff_client, learner):
    learner.level = "avanzado"
    learner.save()

    response = staff_client.get(
        reverse("admin:learning_platform_user_changelist"),
        {"level__exact": "avanzado", "is_staff__exact": "0"},
    )

    assert list(response.context["cl"].result_list) == [learner]


def test_staff_add_a_learner_with_a_level_and_no_classes_yet(staff_client):
    response = staff_client.post(
        reverse("admin:learning_platform_user_add"),
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "level": "inicial",
            "usable_password": "true",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert (user.email, user.level, user.total_classes) == ("newbie@example.com", "inicial", 0)


def test_staff_set_a_learners_time_zone_and_an_unknown_one_is_refused(staff_client, learner):
    url = reverse("admin:learning_platform_user_change", args=[learner.pk])
    data = form_data(staff_client.get(url).text, "user_form")

    refused = staff_client.post(url, {**data, "time_zone": "Mars/Olympus_Mons"})
    accepted = staff_client.post(url, {**data, "time_zone": "America/Bogota"})

    assert "is not a known time zone" in refused.text
    assert accepted.status_code == 302
    assert User.objects.get(pk=learner.pk).time_zone == "America/Bogota"
