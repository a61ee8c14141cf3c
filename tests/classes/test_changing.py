"""Changing a class: what its host or staff may change, and when."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from classes.models import VirtualClass
from classes.services import ClassError, update_class
from tests.factories import StaffFactory, UserFactory, VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db


def _refused(virtual_class, by, match, **changes):
    before = VirtualClass.objects.filter(pk=virtual_class.pk).values().get()
    with pytest.raises(ClassError, match=match):
        update_class(virtual_class=virtual_class, by=by, **changes)
    assert VirtualClass.objects.filter(pk=virtual_class.pk).values().get() == before


def test_the_host_changes_the_text_time_and_seats(virtual_class, host):
    starts_at = timezone.now() + timedelta(days=3)

    update_class(
        virtual_class=virtual_class,
        by=host,
        title="Ordering food",
        meeting_url="https://meet.example.com/food",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
        max_participants=6,
    )

    changed = VirtualClass.objects.get(pk=virtual_class.pk)
    assert (changed.title, changed.meeting_url, changed.max_participants) == (
        "Ordering food",
        "https://meet.example.com/food",
        6,
    )
    assert (changed.starts_at, changed.ends_at) == (starts_at, starts_at + timedelta(minutes=90))


def test_staff_may_change_a_class(virtual_class):
    update_class(virtual_class=virtual_class, by=StaffFactory(), title="Renamed by staff")

    assert VirtualClass.objects.get(pk=virtual_class.pk).title == "Renamed by staff"


def test_another_learner_may_not(virtual_class, learner):
    _refused(virtual_class, learner, "Only the host or staff can change this class.", title="X")


def test_seats_never_go_below_those_taken(host):
    virtual_class = VirtualClassFactory(
        booked_by=host, max_participants=4, participants=UserFactory.create_batch(2)
    )

    _refused(virtual_class, host, "3 seats are taken", max_participants=2)
    update_class(virtual_class=virtual_class, by=host, max_participants=3)
    assert VirtualClass.objects.get(pk=virtual_class.pk).max_participants == 3


def test_an_individual_class_stays_at_one_seat(host):
    individual = VirtualClassFactory(
        booked_by=host, class_type=VirtualClass.Type.INDIVIDUAL, max_participants=1
    )

    _refused(individual, host, "An individual class has exactly one seat.", max_participants=3)


def test_the_time_moves_only_before_the_start(virtual_class, host):
    start_class(virtual_class)
    later = timezone.now() + timedelta(days=1)

    _refused(
        virtual_class,
        host,
        "its time and seats stay",
        starts_at=later,
        ends_at=later + timedelta(1),
    )
    _refused(virtual_class, host, "its time and seats stay", max_participants=8)
    # The text can still change until the class ends.
    update_class(virtual_class=virtual_class, by=host, meeting_url="https://meet.example.com/x")


def test_a_class_that_ended_or_was_cancelled_cannot_change(host):
    ended = VirtualClassFactory(
        booked_by=host,
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    cancelled = VirtualClassFactory(booked_by=host, status=VirtualClass.Status.CANCELLED)

    _refused(ended, host, "This class has ended; it cannot change.", title="Late")
    _refused(cancelled, host, "This class is cancelled; it cannot change.", title="Late")


def test_a_move_into_the_past_is_refused(virtual_class, host):
    past = timezone.now() - timedelta(hours=1)

    _refused(
        virtual_class,
        host,
        "A class can only be moved to start in the future.",
        starts_at=past,
        ends_at=past + timedelta(hours=2),
    )


def test_a_move_keeps_the_booking_bounds(virtual_class, host):
    start = timezone.now() + timedelta(days=1)

    _refused(
        virtual_class,
        host,
        "A class lasts at most twelve hours.",
        starts_at=start,
        ends_at=start + timedelta(hours=13),
    )
    _refused(
        virtual_class,
        host,
        "at most two years ahead",
        starts_at=start + timedelta(days=800),
        ends_at=start + timedelta(days=800, hours=1),
    )


def test_unknown_fields_are_refused(virtual_class, host):
    _refused(virtual_class, host, "These cannot be changed here: status.", status="completed")


def test_the_twelve_hour_limit_counts_real_time_across_a_clock_change(host):
    # The night of 26 October 2025 has 25 hours in Madrid: 20:00 to 08:00 is 13 real hours.
    madrid = ZoneInfo("Europe/Madrid")
    bounds = VirtualClass(
        booked_by=host,
        title="Night owls",
        class_type=VirtualClass.Type.GRUPAL,
        max_participants=4,
        starts_at=timezone.datetime(2025, 10, 25, 20, tzinfo=madrid),
        ends_at=timezone.datetime(2025, 10, 26, 8, tzinfo=madrid),
    )
    with pytest.raises(ValidationError, match="A class lasts at most twelve hours"):
        bounds.clean()

    # In spring the night has 23 hours: 20:00 to 07:30 is 10.5 real hours, allowed.
    bounds.starts_at = timezone.datetime(2025, 3, 29, 20, tzinfo=madrid)
    bounds.ends_at = timezone.datetime(2025, 3, 30, 7, 30, tzinfo=madrid)
    bounds.clean()


# The page


def test_the_host_changes_the_class_on_its_page(client, virtual_class, host):
    client.force_login(host)
    page = client.get(reverse("classes:edit", args=[virtual_class.pk]))
    data = {
        name: value for name, value in page.context["form"].initial.items() if value is not None
    }
    data["starts_at"] = timezone.localtime(virtual_class.starts_at).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = timezone.localtime(virtual_class.ends_at).strftime("%Y-%m-%dT%H:%M")
    data.update(title="Ser and estar", max_participants=6)

    response = client.post(reverse("classes:edit", args=[virtual_class.pk]), data, follow=True)

    changed = VirtualClass.objects.get(pk=virtual_class.pk)
    assert (changed.title, changed.max_participants) == ("Ser and estar", 6)
    assert "“Ser and estar” is changed." in response.text


def test_the_page_shows_a_refusal_on_its_field(client, host):
    virtual_class = VirtualClassFactory(
        booked_by=host, max_participants=4, participants=UserFactory.create_batch(2)
    )
    client.force_login(host)
    data = {
        "title": virtual_class.title,
        "starts_at": timezone.localtime(virtual_class.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(virtual_class.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "max_participants": 2,
    }

    response = client.post(reverse("classes:edit", args=[virtual_class.pk]), data)

    assert response.status_code == 200
    assert "3 seats are taken" in str(response.context["form"].errors["max_participants"])
    assert VirtualClass.objects.get(pk=virtual_class.pk).max_participants == 4


def test_another_learner_is_sent_back_with_the_reason(client, virtual_class, learner):
    client.force_login(learner)

    response = client.get(reverse("classes:edit", args=[virtual_class.pk]), follow=True)

    assert "Only the host or staff can change this class." in response.text


def test_the_class_page_offers_the_change_to_its_host_only(client, virtual_class, host, learner):
    client.force_login(host)
    assert (
        "Change this class" in client.get(reverse("classes:detail", args=[virtual_class.pk])).text
    )
    client.force_login(learner)
    assert (
        "Change this class"
        not in client.get(reverse("classes:detail", args=[virtual_class.pk])).text
    )
