from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import UserActivity
from classes.models import VirtualClass
from classes.services import ClassError, book_class

pytestmark = pytest.mark.django_db


def _book(host, **overrides):
    starts_at = timezone.now() + timedelta(days=2)
    arguments = {
        "host": host,
        "title": "Subjunctive workshop",
        "class_type": VirtualClass.Type.GRUPAL,
        "max_participants": 5,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
    } | overrides
    return book_class(**arguments)


def test_booking_makes_the_learner_host_of_a_scheduled_class(host):
    virtual_class = _book(host)

    assert virtual_class.booked_by == host
    assert virtual_class.status == VirtualClass.Status.SCHEDULED
    assert virtual_class.current_participants == 1


def test_booking_creates_exactly_one_host_activity(host):
    virtual_class = _book(host)

    activity = UserActivity.objects.get(virtual_class=virtual_class)
    assert (activity.user, activity.rol, activity.task, activity.completed) == (
        host,
        UserActivity.Rol.ANFITRION,
        None,
        False,
    )


def test_an_individual_class_gets_one_seat(host):
    virtual_class = _book(host, class_type=VirtualClass.Type.INDIVIDUAL, max_participants=None)

    assert virtual_class.max_participants == 1


def test_an_individual_class_with_more_seats_is_refused(host):
    with pytest.raises(ClassError) as error:
        _book(host, class_type=VirtualClass.Type.INDIVIDUAL, max_participants=3)

    assert "max_participants" in error.value.message_dict
    assert not VirtualClass.objects.exists()


def test_a_group_class_with_one_seat_is_refused(host):
    with pytest.raises(ClassError) as error:
        _book(host, max_participants=1)

    assert "max_participants" in error.value.message_dict
    assert not VirtualClass.objects.exists()


def test_a_class_ending_before_it_starts_is_refused(host):
    starts_at = timezone.now() + timedelta(days=1)

    with pytest.raises(ClassError) as error:
        _book(host, starts_at=starts_at, ends_at=starts_at - timedelta(minutes=1))

    assert "ends_at" in error.value.message_dict
    assert not UserActivity.objects.exists()


def test_a_class_in_the_past_is_refused(host):
    starts_at = timezone.now() - timedelta(hours=1)

    with pytest.raises(ClassError) as error:
        _book(host, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))

    assert "future" in error.value.message_dict["starts_at"][0]
    assert not VirtualClass.objects.exists()


def test_an_unknown_class_type_is_refused(host):
    with pytest.raises(ClassError) as error:
        _book(host, class_type="seminar")

    assert "class_type" in error.value.message_dict
    assert not VirtualClass.objects.exists()


def test_a_class_without_a_title_is_refused(host):
    with pytest.raises(ClassError) as error:
        _book(host, title="")

    assert "title" in error.value.message_dict
    assert not VirtualClass.objects.exists()


def test_more_seats_than_a_class_can_hold_are_refused(host):
    with pytest.raises(ClassError) as error:
        _book(host, max_participants=VirtualClass.MAX_SEATS + 1)

    assert "max_participants" in error.value.message_dict
    assert not VirtualClass.objects.exists()


def test_a_class_longer_than_a_sitting_is_refused(host):
    starts_at = timezone.now() + timedelta(days=2)

    with pytest.raises(ClassError) as error:
        _book(host, starts_at=starts_at, ends_at=starts_at + timedelta(hours=12, minutes=1))

    assert error.value.message_dict["ends_at"] == ["A class lasts at most twelve hours."]
    assert not VirtualClass.objects.exists()
