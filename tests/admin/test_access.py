"""Every admin page: open to staff, a login redirect for visitors, refused to learners."""

import pytest
from django.urls import reverse

from activities.services import assign_task
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(staff):
    learner = UserFactory(username="ana")
    virtual_class = VirtualClassFactory(participants=[learner])
    task = TaskFactory()
    assign_task(virtual_class=virtual_class, task=task)
    return {
        "user": learner,
        "virtual_class": virtual_class,
        "task": task,
        "activity": learner.activities.get(),
    }


PAGES = {
    "index": ("admin:index", None),
    "user list": ("admin:learning_platform_user_changelist", None),
    "user add": ("admin:learning_platform_user_add", None),
    "user change": ("admin:learning_platform_user_change", "user"),
    "class list": ("admin:classes_virtualclass_changelist", None),
    "class add": ("admin:classes_virtualclass_add", None),
    "class change": ("admin:classes_virtualclass_change", "virtual_class"),
    "task list": ("admin:tasks_task_changelist", None),
    "task add": ("admin:tasks_task_add", None),
    "task change": ("admin:tasks_task_change", "task"),
    "activity list": ("admin:activities_useractivity_changelist", None),
    "activity change": ("admin:activities_useractivity_change", "activity"),
}


def url_of(page: str, records) -> str:
    name, record = PAGES[page]
    return reverse(name, args=[records[record].pk] if record else [])


@pytest.mark.parametrize("page", PAGES)
def test_staff_can_open_every_admin_page(client, staff, records, page):
    client.force_login(staff)

    assert client.get(url_of(page, records)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_visitors_are_sent_to_the_admin_login(client, records, page):
    url = url_of(page, records)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_learners_are_refused(client, records, page):
    client.force_login(records["user"])

    response = client.get(url_of(page, records))

    assert response.status_code == 403
    assert "The admin is for staff only." in response.text


def test_a_learner_cannot_change_anything_through_the_admin(client, records):
    virtual_class = records["virtual_class"]
    client.force_login(records["user"])

    response = client.post(
        reverse("admin:classes_virtualclass_changelist"),
        {"action": "cancel_classes", "_selected_action": [virtual_class.pk]},
    )

    assert response.status_code == 403
    virtual_class.refresh_from_db()
    assert virtual_class.status == virtual_class.Status.SCHEDULED


def test_there_is_no_page_to_add_an_activity_by_hand(staff_client):
    response = staff_client.get(reverse("admin:activities_useractivity_add"))

    assert response.status_code == 403
