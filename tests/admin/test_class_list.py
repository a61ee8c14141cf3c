from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:classes_virtualclass_changelist")


def titles(response) -> list[str]:
    return sorted(c.title for c in response.context["cl"].result_list)


@pytest.fixture
def classes_over_time():
    soon = timezone.now() + timedelta(days=2)
    VirtualClassFactory(title="This week", starts_at=soon)
    VirtualClassFactory(title="Next month", starts_at=soon + timedelta(days=30))
    past = VirtualClassFactory(title="Last week", starts_at=soon)
    # Classes are booked for the future; move this one back as time would have.
    type(past).objects.filter(pk=past.pk).update(
        starts_at=soon - timedelta(days=9), ends_at=soon - timedelta(days=9, hours=-1)
    )


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("next_7_days", ["This week"]),
        ("upcoming", ["Next month", "This week"]),
        ("started", ["Last week"]),
    ],
)
def test_the_class_list_filters_by_start(staff_client, classes_over_time, when, expected):
    assert titles(staff_client.get(CHANGELIST, {"starts": when})) == expected


def test_the_class_list_searches_by_host(staff_client):
    VirtualClassFactory(title="Marta's class", booked_by=UserFactory(username="marta"))
    VirtualClassFactory(title="Someone else's")

    assert titles(staff_client.get(CHANGELIST, {"q": "marta"})) == ["Marta's class"]


def test_the_class_list_shows_seats_taken_of_all_seats(staff_client):
    VirtualClassFactory(max_participants=5, participants=UserFactory.create_batch(2))

    response = staff_client.get(CHANGELIST)

    assert '<td class="field-seats">3/5</td>' in response.text
