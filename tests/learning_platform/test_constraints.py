"""The database holds the invariants even when code goes around the services."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F, ProtectedError

from activities.models import UserActivity
from activities.services import assign_task
from classes.models import VirtualClass
from learning_platform.models import User
from tests.factories import VirtualClassFactory

pytestmark = pytest.mark.django_db

# MongoDB has no check constraints: there the services alone keep these (the seat count moves
# only through conditional updates), as the rule and race tests show.
check_constraint = pytest.mark.skipif(
    not connection.features.supports_table_check_constraints,
    reason="this database enforces no check constraints",
)


def _refused(queryset, **changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**changes)


@check_constraint
def test_an_individual_class_cannot_have_more_seats(host):
    virtual_class = VirtualClassFactory(booked_by=host, individual=True)

    _refused(VirtualClass.objects.filter(pk=virtual_class.pk), max_participants=2)


@check_constraint
def test_a_group_class_cannot_have_one_seat(virtual_class):
    _refused(VirtualClass.objects.filter(pk=virtual_class.pk), max_participants=1)


@check_constraint
def test_seats_taken_cannot_exceed_seats(virtual_class):
    _refused(VirtualClass.objects.filter(pk=virtual_class.pk), current_participants=5)


@check_constraint
def test_seats_taken_cannot_drop_below_the_host(virtual_class):
    _refused(VirtualClass.objects.filter(pk=virtual_class.pk), current_participants=0)


@check_constraint
def test_a_class_cannot_end_before_it_starts(virtual_class):
    _refused(VirtualClass.objects.filter(pk=virtual_class.pk), ends_at=F("starts_at"))


@check_constraint
def test_a_class_status_outside_the_seed_values_is_refused(virtual_class):
    _refused(VirtualClass.objects.filter(pk=virtual_class.pk), status="postponed")


@check_constraint
def test_a_role_outside_the_seed_values_is_refused(virtual_class):
    _refused(UserActivity.objects.all(), rol="teacher")


@check_constraint
def test_a_completed_activity_needs_a_task(virtual_class):
    _refused(UserActivity.objects.all(), completed=True)


@check_constraint
def test_total_classes_cannot_go_negative(host):
    _refused(User.objects.filter(pk=host.pk), total_classes=-1)


def test_a_learner_holds_a_task_in_one_activity_only(host, task):
    first = VirtualClassFactory(booked_by=host)
    second = VirtualClassFactory(booked_by=host)
    assign_task(virtual_class=first, task=task)

    _refused(UserActivity.objects.filter(virtual_class=second), task=task)


def test_deleting_a_host_is_refused_while_their_classes_exist(virtual_class, host):
    with pytest.raises(ProtectedError), transaction.atomic():
        host.delete()

    assert VirtualClass.objects.filter(pk=virtual_class.pk).exists()


def test_deleting_a_class_with_activities_is_refused(virtual_class):
    with pytest.raises(ProtectedError), transaction.atomic():
        virtual_class.delete()

    assert UserActivity.objects.filter(virtual_class=virtual_class).exists()


def test_deleting_a_task_in_use_is_refused(virtual_class, task):
    assign_task(virtual_class=virtual_class, task=task)

    with pytest.raises(ProtectedError), transaction.atomic():
        task.delete()
