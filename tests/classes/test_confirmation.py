"""Bookings the school confirms: pending until staff confirm or decline them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classes.models import VirtualClass
from classes.services import ClassError, book_class, confirm_class, decline_class, join_class
from tests.factories import StaffFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def _book(host):
    starts_at = timezone.now() + timedelta(days=1)
    return book_class(
        host=host,
        title="Tapas vocabulary",
        class_type=VirtualClass.Type.GRUPAL,
        max_participants=4,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
    )


@pytest.fixture
def pending(host):
    return VirtualClassFactory(booked_by=host, status=VirtualClass.Status.PENDING)


@pytest.fixture
def staff():
    return StaffFactory()


def test_bookings_start_scheduled_by_default(host):
    assert _book(host).status == VirtualClass.Status.SCHEDULED


def test_bookings_start_pending_when_the_school_confirms_them(settings, host):
    settings.BOOKINGS_NEED_CONFIRMATION = True

    assert _book(host).status == VirtualClass.Status.PENDING


def test_staff_confirm_a_pending_class_and_learners_can_join(pending, staff, learner):
    confirm_class(virtual_class=pending, by=staff)

    assert VirtualClass.objects.get(pk=pending.pk).status == VirtualClass.Status.SCHEDULED
    join_class(user=learner, virtual_class=pending)
    assert pending.participants.filter(pk=learner.pk).exists()


def test_staff_decline_a_pending_class_with_a_reason(pending, staff):
    decline_class(virtual_class=pending, by=staff, reason="No teacher that day.")

    declined = VirtualClass.objects.get(pk=pending.pk)
    assert declined.status == VirtualClass.Status.CANCELLED
    assert declined.decline_reason == "No teacher that day."


def test_declining_without_a_reason_is_refused(pending, staff):
    with pytest.raises(ClassError, match="Say why the booking is declined"):
        decline_class(virtual_class=pending, by=staff, reason="  ")

    assert VirtualClass.objects.get(pk=pending.pk).status == VirtualClass.Status.PENDING


@pytest.mark.parametrize("decide", ["confirm", "decline"])
def test_only_staff_confirm_or_decline(pending, host, decide):
    with pytest.raises(ClassError, match="Only staff can confirm or decline a booking"):
        if decide == "confirm":
            confirm_class(virtual_class=pending, by=host)
        else:
            decline_class(virtual_class=pending, by=host, reason="No.")

    assert VirtualClass.objects.get(pk=pending.pk).status == VirtualClass.Status.PENDING


@pytest.mark.parametrize(
    "status",
    [VirtualClass.Status.SCHEDULED, VirtualClass.Status.CANCELLED, VirtualClass.Status.COMPLETED],
)
def test_only_a_pending_class_can_be_confirmed_or_declined(staff, status):
    virtual_class = VirtualClassFactory(status=status)

    with pytest.raises(ClassError, match="not pending"):
        confirm_class(virtual_class=virtual_class, by=staff)
    with pytest.raises(ClassError, match="not pending"):
        decline_class(virtual_class=virtual_class, by=staff, reason="No.")

    assert VirtualClass.objects.get(pk=virtual_class.pk).status == status


def test_a_confirmation_after_a_decline_is_refused(pending, staff):
    stale = VirtualClass.objects.get(pk=pending.pk)
    decline_class(virtual_class=pending, by=staff, reason="No room.")

    # The stale copy still says pending: the conditional update has the last word.
    stale.status = VirtualClass.Status.PENDING
    with pytest.raises(ClassError, match="cancelled, not pending"):
        confirm_class(virtual_class=stale, by=staff)


def test_a_pending_class_is_not_listed_to_other_learners(client, pending, learner):
    client.force_login(learner)

    response = client.get(reverse("classes:list"))

    assert pending not in response.context["page"].object_list
    assert client.get(reverse("classes:detail", args=[pending.pk])).status_code == 404


def test_the_host_sees_their_pending_class_waiting_for_confirmation(client, pending, host):
    client.force_login(host)

    response = client.get(reverse("classes:detail", args=[pending.pk]))

    assert response.status_code == 200
    assert "Waiting for confirmation." in response.text


def test_staff_see_a_pending_class(client, pending, staff):
    client.force_login(staff)

    assert client.get(reverse("classes:detail", args=[pending.pk])).status_code == 200


def test_the_host_reads_why_their_booking_was_declined(client, pending, host, staff):
    decline_class(virtual_class=pending, by=staff, reason="No teacher that day.")
    client.force_login(host)

    response = client.get(reverse("classes:detail", args=[pending.pk]))

    assert "Why: No teacher that day." in response.text


def test_joining_a_pending_class_by_post_is_a_404(client, pending, learner):
    client.force_login(learner)

    response = client.post(reverse("classes:join", args=[pending.pk]))

    assert response.status_code == 404
    assert not pending.participants.exists()


def test_the_admin_actions_confirm_and_decline(client, staff):
    to_confirm, to_decline, scheduled = (
        VirtualClassFactory(status=VirtualClass.Status.PENDING),
        VirtualClassFactory(status=VirtualClass.Status.PENDING),
        VirtualClassFactory(),
    )
    client.force_login(staff)
    changelist = reverse("admin:classes_virtualclass_changelist")

    confirmed = client.post(
        changelist,
        {"action": "confirm_classes", "_selected_action": [to_confirm.pk, scheduled.pk]},
        follow=True,
    )
    asked = client.post(
        changelist, {"action": "decline_classes", "_selected_action": [to_decline.pk]}
    )
    declined = client.post(
        changelist,
        {
            "action": "decline_classes",
            "_selected_action": [to_decline.pk],
            "apply": "1",
            "reason": "Fully booked teachers.",
        },
        follow=True,
    )

    messages = [str(m) for m in confirmed.context["messages"]]
    assert messages == [
        "Confirmed 1 class.",
        "Skipped 1 class: This class is scheduled, not pending.",
    ]
    assert asked.status_code == 200 and "Decline bookings" in asked.text
    assert "Declined 1 class." in [str(m) for m in declined.context["messages"]]
    assert VirtualClass.objects.get(pk=to_confirm.pk).status == VirtualClass.Status.SCHEDULED
    declined_class = VirtualClass.objects.get(pk=to_decline.pk)
    assert (declined_class.status, declined_class.decline_reason) == (
        VirtualClass.Status.CANCELLED,
        "Fully booked teachers.",
    )
