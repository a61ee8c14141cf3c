"""The admin obeys the class rules: new classes are bookings, seat changes promote the line."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classes.models import VirtualClass
from classes.services import join_waitlist
from tests.admin.forms import form_data
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:classes_virtualclass_add")


def _new_class(host, starts_at, **extra):
    return {
        "title": "Added by staff",
        "class_type": VirtualClass.Type.GRUPAL,
        "starts_at_0": timezone.localtime(starts_at).strftime("%Y-%m-%d"),
        "starts_at_1": timezone.localtime(starts_at).strftime("%H:%M:%S"),
        "ends_at_0": timezone.localtime(starts_at).strftime("%Y-%m-%d"),
        "ends_at_1": (timezone.localtime(starts_at) + timedelta(hours=1)).strftime("%H:%M:%S"),
        "booked_by": host.pk,
        "max_participants": 4,
        "activities-TOTAL_FORMS": 0,
        "activities-INITIAL_FORMS": 0,
        "waitlist_entries-TOTAL_FORMS": 0,
        "waitlist_entries-INITIAL_FORMS": 0,
        **extra,
    }


def test_a_class_added_in_the_admin_starts_as_a_booking(staff_client, host, settings):
    settings.BOOKINGS_NEED_CONFIRMATION = True
    starts_at = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)

    response = staff_client.post(
        ADD, _new_class(host, starts_at, status="completed", task=TaskFactory().pk)
    )

    assert response.status_code == 302
    added = VirtualClass.objects.get(title="Added by staff")
    # Status and task are not the add page's to set: the booking rules and assign_task are.
    assert (added.status, added.task_id) == (VirtualClass.Status.PENDING, None)
    assert added.activities.get().user == host


def test_a_class_added_in_the_past_is_refused(staff_client, host):
    starts_at = (timezone.now() - timedelta(days=2)).replace(minute=0, second=0, microsecond=0)

    response = staff_client.post(ADD, _new_class(host, starts_at))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_at"] == [
        "A class can only be booked to start in the future."
    ]
    assert not VirtualClass.objects.filter(title="Added by staff").exists()


def test_seats_added_in_the_admin_promote_the_waiting_learners(staff_client, host):
    virtual_class = VirtualClassFactory(
        booked_by=host, max_participants=2, participants=[UserFactory()]
    )
    waiting = UserFactory()
    join_waitlist(user=waiting, virtual_class=virtual_class)
    change = reverse("admin:classes_virtualclass_change", args=[virtual_class.pk])
    page = staff_client.get(change)
    assert waiting.username in page.text  # the waiting list, shown to staff
    data = form_data(page.text, "virtualclass_form")
    data["max_participants"] = ["3"]

    response = staff_client.post(change, data)

    assert response.status_code == 302
    virtual_class.refresh_from_db()
    assert virtual_class.participants.filter(pk=waiting.pk).exists()
    assert virtual_class.current_participants == 3
    assert not virtual_class.waitlist_entries.exists()


def test_seats_below_those_taken_are_refused_in_the_admin(staff_client, host):
    virtual_class = VirtualClassFactory(
        booked_by=host, max_participants=4, participants=UserFactory.create_batch(2)
    )
    change = reverse("admin:classes_virtualclass_change", args=[virtual_class.pk])
    data = form_data(staff_client.get(change).text, "virtualclass_form")
    data["max_participants"] = ["2"]

    response = staff_client.post(change, data)

    assert response.status_code == 200
    assert VirtualClass.objects.get(pk=virtual_class.pk).max_participants == 4
