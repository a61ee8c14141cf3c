from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import UserActivity
from classes.models import VirtualClass
from classes.services import ClassError, cancel_class, complete_classes, join_class
from tests.factories import StaffFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def test_the_host_can_cancel_and_activities_are_kept(virtual_class, host, learner):
    join_class(user=learner, virtual_class=virtual_class)

    cancel_class(virtual_class=virtual_class, by=host)

    assert virtual_class.status == VirtualClass.Status.CANCELLED
    assert UserActivity.objects.filter(virtual_class=virtual_class).count() == 2


def test_staff_can_cancel_a_class(virtual_class):
    cancel_class(virtual_class=virtual_class, by=StaffFactory())

    assert VirtualClass.objects.get(pk=virtual_class.pk).status == VirtualClass.Status.CANCELLED


def test_a_participant_cannot_cancel(virtual_class, learner):
    join_class(user=learner, virtual_class=virtual_class)

    with pytest.raises(ClassError, match="Only the host or staff"):
        cancel_class(virtual_class=virtual_class, by=learner)

    assert VirtualClass.objects.get(pk=virtual_class.pk).status == VirtualClass.Status.SCHEDULED


def test_cancelling_raises_the_calendar_sequence_once(virtual_class, host):
    cancel_class(virtual_class=virtual_class, by=host)
    with pytest.raises(ClassError):
        cancel_class(virtual_class=virtual_class, by=host)

    assert virtual_class.sequence == 1
    assert VirtualClass.objects.get(pk=virtual_class.pk).sequence == 1


def test_cancelling_twice_is_refused(virtual_class, host):
    cancel_class(virtual_class=virtual_class, by=host)

    with pytest.raises(ClassError, match="already cancelled"):
        cancel_class(virtual_class=virtual_class, by=host)


def test_cancelling_a_completed_class_is_refused(virtual_class, host):
    complete_classes(classes=VirtualClass.objects.filter(pk=virtual_class.pk))

    with pytest.raises(ClassError, match="already completed"):
        cancel_class(virtual_class=virtual_class, by=host)

    assert VirtualClass.objects.get(pk=virtual_class.pk).status == VirtualClass.Status.COMPLETED


def test_completing_classes_leaves_cancelled_ones_alone(host):
    open_class = VirtualClassFactory(booked_by=host)
    cancelled = VirtualClassFactory(booked_by=host, status=VirtualClass.Status.CANCELLED)

    changed = complete_classes(classes=VirtualClass.objects.all())

    assert changed == 1
    statuses = dict(VirtualClass.objects.values_list("pk", "status"))
    assert statuses == {
        open_class.pk: VirtualClass.Status.COMPLETED,
        cancelled.pk: VirtualClass.Status.CANCELLED,
    }


def test_completing_classes_twice_changes_nothing_the_second_time(virtual_class):
    complete_classes(classes=VirtualClass.objects.all())

    assert complete_classes(classes=VirtualClass.objects.all()) == 0


def test_nobody_can_join_a_cancelled_class(virtual_class, host):
    cancel_class(virtual_class=virtual_class, by=host)

    with pytest.raises(ClassError, match="cancelled"):
        join_class(user=UserFactory(), virtual_class=virtual_class)


def test_a_class_that_already_took_place_cannot_be_cancelled(host):
    past = timezone.now() - timedelta(hours=2)
    took_place = VirtualClassFactory(booked_by=host, starts_at=past, ends_at=past + timedelta(1))

    with pytest.raises(ClassError, match="only classes yet to start can be cancelled"):
        cancel_class(virtual_class=took_place, by=host)

    assert VirtualClass.objects.get(pk=took_place.pk).status == VirtualClass.Status.SCHEDULED
