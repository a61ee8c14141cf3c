"""Admin lists cost the same number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.services import assign_task
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def add_classes(count: int) -> None:
    """`count` classes, each with its own host, a participant and a task on every activity."""
    for _ in range(count):
        virtual_class = VirtualClassFactory(participants=[UserFactory()])
        assign_task(virtual_class=virtual_class, task=TaskFactory())


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


CHANGELISTS = [
    "admin:learning_platform_user_changelist",
    "admin:classes_virtualclass_changelist",
    "admin:tasks_task_changelist",
    "admin:activities_useractivity_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_a_changelist_costs_the_same_queries_for_3_or_30_classes(staff_client, name):
    url = reverse(name)
    add_classes(3)
    small = queries_for(staff_client, url)

    add_classes(27)
    large = queries_for(staff_client, url)

    assert large == small


def test_a_class_page_costs_the_same_queries_for_1_or_7_participants(staff_client):
    small_class = VirtualClassFactory(participants=[UserFactory()])
    large_class = VirtualClassFactory(max_participants=8, participants=UserFactory.create_batch(7))
    for virtual_class in (small_class, large_class):
        assign_task(virtual_class=virtual_class, task=TaskFactory())

    def change_page(virtual_class):
        return reverse("admin:classes_virtualclass_change", args=[virtual_class.pk])

    staff_client.get(change_page(small_class))  # fills the content-type cache
    small = queries_for(staff_client, change_page(small_class))
    large = queries_for(staff_client, change_page(large_class))

    assert large == small
