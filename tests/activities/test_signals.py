"""The activity rules ride on signals, so they must hold from a plain ORM call too."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities import services
from activities.models import UserActivity
from activities.services import ActivityError, assign_task, complete_task
from classes.models import VirtualClass
from classes.services import ClassError, join_class
from tests.factories import UserFactory, VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db


def _unsaved_class(host, **fields):
    starts_at = timezone.now() + timedelta(days=1)
    return VirtualClass(
        booked_by=host,
        title="Created in the shell",
        class_type=VirtualClass.Type.GRUPAL,
        max_participants=3,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        **fields,
    )


def _new_class(host, **fields):
    virtual_class = _unsaved_class(host, **fields)
    virtual_class.save()
    return virtual_class


def test_objects_create_gives_the_host_exactly_one_activity(host):
    virtual_class = _new_class(host)

    activities = UserActivity.objects.filter(virtual_class=virtual_class)
    assert list(activities.values_list("user_id", "rol", "task_id", "completed")) == [
        (host.pk, UserActivity.Rol.ANFITRION, None, False)
    ]


def test_saving_the_class_again_creates_no_second_activity(host):
    virtual_class = _new_class(host)

    virtual_class.title = "Renamed"
    virtual_class.save()

    assert UserActivity.objects.filter(virtual_class=virtual_class).count() == 1


def test_a_class_created_with_a_task_gives_it_to_the_host(host, task):
    virtual_class = _new_class(host, task=task)

    assert UserActivity.objects.get(virtual_class=virtual_class).task == task


def test_participants_add_creates_activities_and_moves_the_seat_count(virtual_class):
    first, second = UserFactory.create_batch(2)

    virtual_class.participants.add(first, second)

    assert virtual_class.current_participants == 3
    assert VirtualClass.objects.get(pk=virtual_class.pk).current_participants == 3
    joined = UserActivity.objects.filter(virtual_class=virtual_class, rol="participante")
    assert set(joined.values_list("user_id", flat=True)) == {first.pk, second.pk}


def test_adding_someone_already_in_the_class_changes_nothing(virtual_class, learner):
    virtual_class.participants.add(learner)

    virtual_class.participants.add(learner)

    assert VirtualClass.objects.get(pk=virtual_class.pk).current_participants == 2
    assert UserActivity.objects.filter(user=learner).count() == 1


def test_adding_from_the_learners_side_works_the_same(virtual_class, learner):
    learner.joined_classes.add(virtual_class)

    assert VirtualClass.objects.get(pk=virtual_class.pk).current_participants == 2
    assert UserActivity.objects.get(user=learner).rol == UserActivity.Rol.PARTICIPANTE


def test_adding_past_capacity_is_refused_and_rolled_back(host):
    virtual_class = VirtualClassFactory(booked_by=host, max_participants=2)

    with pytest.raises(ClassError, match="full"), transaction.atomic():
        virtual_class.participants.add(*UserFactory.create_batch(2))

    assert not virtual_class.participants.exists()
    assert VirtualClass.objects.get(pk=virtual_class.pk).current_participants == 1
    assert UserActivity.objects.filter(virtual_class=virtual_class).count() == 1


def test_adding_the_host_as_participant_is_refused(virtual_class, host):
    with pytest.raises(ClassError, match="host"), transaction.atomic():
        virtual_class.participants.add(host)

    assert not virtual_class.participants.exists()
    assert UserActivity.objects.filter(user=host).count() == 1


def test_participants_remove_deletes_the_activity_and_frees_the_seat(virtual_class, learner):
    virtual_class.participants.add(learner)

    virtual_class.participants.remove(learner)

    assert VirtualClass.objects.get(pk=virtual_class.pk).current_participants == 1
    assert not UserActivity.objects.filter(user=learner).exists()


def test_removing_someone_not_in_the_class_changes_nothing(virtual_class, learner):
    virtual_class.participants.add(learner)

    virtual_class.participants.remove(UserFactory())

    assert VirtualClass.objects.get(pk=virtual_class.pk).current_participants == 2


def test_participants_clear_removes_everyone_but_the_host(virtual_class):
    virtual_class.participants.add(*UserFactory.create_batch(3))

    virtual_class.participants.clear()

    assert VirtualClass.objects.get(pk=virtual_class.pk).current_participants == 1
    activities = UserActivity.objects.filter(virtual_class=virtual_class)
    assert list(activities.values_list("rol", flat=True)) == [UserActivity.Rol.ANFITRION]


def test_clearing_from_the_learners_side_frees_each_seat(host, learner):
    classes = VirtualClassFactory.create_batch(2, booked_by=host, participants=[learner])

    learner.joined_classes.clear()

    assert {c.current_participants for c in VirtualClass.objects.all()} == {1}
    assert not UserActivity.objects.filter(user=learner).exists()
    assert UserActivity.objects.filter(virtual_class__in=classes).count() == 2


def test_removing_a_participant_who_completed_is_refused(virtual_class, learner, task):
    virtual_class.participants.add(learner)
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)
    complete_task(user=learner, task=task)

    with pytest.raises(ActivityError), transaction.atomic():
        virtual_class.participants.clear()

    assert virtual_class.participants.filter(pk=learner.pk).exists()
    assert VirtualClass.objects.get(pk=virtual_class.pk).current_participants == 2


def test_bulk_insert_of_classes_skips_the_signal(host):
    """bulk_create sends no post_save: nothing may create classes that way but seed tooling,
    which must then create the activities itself."""
    VirtualClass.objects.bulk_create([_unsaved_class(host)])

    assert not UserActivity.objects.exists()


def test_the_database_refuses_a_second_activity_for_the_same_class(virtual_class, host):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserActivity.objects.create(
            user=host, virtual_class=virtual_class, rol=UserActivity.Rol.PARTICIPANTE
        )


def test_a_join_racing_the_same_task_given_elsewhere_skips_the_learner_instead_of_failing(
    learner, task
):
    elsewhere = VirtualClassFactory(participants=[learner])
    assign_task(virtual_class=elsewhere, task=task)
    joined = VirtualClassFactory()
    assign_task(virtual_class=joined, task=task)
    real = services._task_holders
    reads = []

    def stale_first(**kwargs):
        # The first read of the holders was made before assign_task gave the learner the task.
        reads.append(kwargs)
        return set() if len(reads) == 1 else real(**kwargs)

    with mock.patch.object(services, "_task_holders", side_effect=stale_first):
        join_class(user=learner, virtual_class=joined)

    assert UserActivity.objects.get(user=learner, virtual_class=joined).task_id is None
    assert UserActivity.objects.get(user=learner, virtual_class=elsewhere).task_id == task.pk
    assert VirtualClass.objects.get(pk=joined.pk).current_participants == 2
