"""A small healthy school, and ways to break it behind the rules' back (plain QuerySet writes,
no services, no signals), each with the breaches the audit must report."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from activities import integrity
from activities.integrity import Breach
from activities.models import UserActivity
from activities.services import assign_task, complete_task
from classes.models import VirtualClass, WaitlistEntry
from learning_platform.models import User
from tasks.models import Task
from tests.factories import (
    TaskFactory,
    UserFactory,
    VirtualClassFactory,
    set_class_times,
    start_class,
)

Membership = VirtualClass.participants.through


@dataclass
class School:
    host: User
    learner: User  # joined the class and completed its task
    other: User  # joined it, task pending; hosts the duo
    outsider: User
    task: Task
    virtual_class: VirtualClass  # 4 seats: host + learner + other
    duo: VirtualClass  # 2 seats: other + learner

    def activity(self, user: User, virtual_class: VirtualClass | None = None) -> UserActivity:
        return UserActivity.objects.get(
            user=user, virtual_class=virtual_class or self.virtual_class
        )


def build_school() -> School:
    host, learner, other, outsider = UserFactory.create_batch(4)
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner, other])
    task = TaskFactory()
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)
    complete_task(user=learner, task=task)
    duo = VirtualClassFactory(booked_by=other, max_participants=2, participants=[learner])
    return School(host, learner, other, outsider, task, virtual_class, duo)


@contextmanager
def check_constraint_off(table: str, name: str):
    """Let a row break a check constraint, to prove the audit would still see it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:  # dropped inside the test's transaction: the rollback brings it back
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    try:
        yield
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")


def inflate_total_classes(s: School) -> list[Breach]:
    User.objects.filter(pk=s.learner.pk).update(total_classes=5)
    return [Breach(integrity.TOTAL_CLASSES, user_id=s.learner.pk, found=5, expected=1)]


def miscount_seats(s: School) -> list[Breach]:
    VirtualClass.objects.filter(pk=s.virtual_class.pk).update(current_participants=1)
    return [
        Breach(integrity.CURRENT_PARTICIPANTS, class_id=s.virtual_class.pk, found=1, expected=3)
    ]


def overfill(s: School) -> list[Breach]:
    Membership.objects.create(virtualclass=s.duo, user=s.outsider)
    return [
        Breach(integrity.OVER_CAPACITY, class_id=s.duo.pk, found=3, expected="<= 2"),
        Breach(integrity.MISSING_PARTICIPANT_ACTIVITY, user_id=s.outsider.pk, class_id=s.duo.pk),
    ]


def drop_host_activity(s: School) -> list[Breach]:
    UserActivity.objects.filter(pk=s.activity(s.host).pk).delete()
    return [Breach(integrity.MISSING_HOST_ACTIVITY, user_id=s.host.pk, class_id=s.virtual_class.pk)]


def drop_participant_activity(s: School) -> list[Breach]:
    UserActivity.objects.filter(pk=s.activity(s.other).pk).delete()
    return [
        Breach(
            integrity.MISSING_PARTICIPANT_ACTIVITY,
            user_id=s.other.pk,
            class_id=s.virtual_class.pk,
        )
    ]


def add_stray_activity(s: School) -> list[Breach]:
    stray = UserActivity.objects.create(
        user=s.outsider,
        virtual_class=s.virtual_class,
        rol=UserActivity.Rol.PARTICIPANTE,
        **UserActivity.class_copies(s.virtual_class),
    )
    ids = {"activity_id": stray.pk, "user_id": s.outsider.pk, "class_id": s.virtual_class.pk}
    return [Breach(integrity.STRAY_ACTIVITY, **ids)]


def mark_host_as_participant(s: School) -> list[Breach]:
    return _mislabel(s, s.host, UserActivity.Rol.PARTICIPANTE, UserActivity.Rol.ANFITRION)


def mark_participant_as_host(s: School) -> list[Breach]:
    return _mislabel(s, s.other, UserActivity.Rol.ANFITRION, UserActivity.Rol.PARTICIPANTE)


def complete_without_task(s: School) -> list[Breach]:
    activity = s.activity(s.other)
    with check_constraint_off(UserActivity._meta.db_table, "activity_completed_has_task"):
        UserActivity.objects.filter(pk=activity.pk).update(completed=True, task=None)
    ids = {"activity_id": activity.pk, "user_id": s.other.pk, "class_id": s.virtual_class.pk}
    return [Breach(integrity.COMPLETED_WITHOUT_TASK, **ids)]


def cancel_after_completion(s: School) -> list[Breach]:
    VirtualClass.objects.filter(pk=s.virtual_class.pk).update(status=VirtualClass.Status.CANCELLED)
    UserActivity.objects.filter(virtual_class=s.virtual_class).update(class_cancelled=True)
    ids = _ids(s, s.learner)
    return [Breach(integrity.COMPLETED_CANCELLED, **ids)]


def complete_before_start(s: School) -> list[Breach]:
    later = timezone.now() + timedelta(days=1)
    set_class_times(
        VirtualClass.objects.filter(pk=s.virtual_class.pk),
        starts_at=later,
        ends_at=later + timedelta(hours=1),
    )
    return [Breach(integrity.COMPLETED_NOT_STARTED, **_ids(s, s.learner))]


def move_an_activitys_copy_of_the_start(s: School) -> list[Breach]:
    starts = f"starts {s.virtual_class.starts_at.isoformat()}"
    earlier = s.virtual_class.starts_at - timedelta(hours=2)
    UserActivity.objects.filter(pk=s.activity(s.other).pk).update(class_starts_at=earlier)
    found = f"starts {earlier.isoformat()}"
    return [Breach(integrity.STALE_CLASS_COPY, **_ids(s, s.other), found=found, expected=starts)]


def cancel_an_activitys_copy_of_its_class(s: School) -> list[Breach]:
    UserActivity.objects.filter(pk=s.activity(s.host).pk).update(class_cancelled=True)
    starts = f"starts {s.virtual_class.starts_at.isoformat()}"
    return [
        Breach(
            integrity.STALE_CLASS_COPY,
            **_ids(s, s.host),
            found=f"{starts}, cancelled",
            expected=starts,
        )
    ]


def give_another_task(s: School) -> list[Breach]:
    other_task = TaskFactory()
    UserActivity.objects.filter(pk=s.activity(s.other).pk).update(task=other_task)
    return [
        Breach(integrity.TASK_MISMATCH, **_ids(s, s.other), found=other_task.pk, expected=s.task.pk)
    ]


def seat_host_as_participant(s: School) -> list[Breach]:
    Membership.objects.create(virtualclass=s.virtual_class, user=s.host)
    VirtualClass.objects.filter(pk=s.virtual_class.pk).update(current_participants=4)
    return [Breach(integrity.HOST_PARTICIPANT, user_id=s.host.pk, class_id=s.virtual_class.pk)]


def wait_as_participant(s: School) -> list[Breach]:
    WaitlistEntry.objects.create(virtual_class=s.duo, user=s.learner)
    return [Breach(integrity.STRAY_WAITLIST_ENTRY, user_id=s.learner.pk, class_id=s.duo.pk)]


def _ids(s: School, user: User) -> dict:
    activity = s.activity(user)
    return {"activity_id": activity.pk, "user_id": user.pk, "class_id": s.virtual_class.pk}


def _mislabel(s: School, user: User, wrong: str, right: str) -> list[Breach]:
    activity = s.activity(user)
    UserActivity.objects.filter(pk=activity.pk).update(rol=wrong)
    ids = {"activity_id": activity.pk, "user_id": user.pk, "class_id": s.virtual_class.pk}
    return [Breach(integrity.WRONG_ROLE, **ids, found=wrong, expected=right)]


FIXABLE = [
    inflate_total_classes,
    miscount_seats,
    drop_host_activity,
    drop_participant_activity,
    mark_host_as_participant,
    mark_participant_as_host,
    wait_as_participant,
    move_an_activitys_copy_of_the_start,
    cancel_an_activitys_copy_of_its_class,
]
UNFIXABLE = [
    overfill,
    add_stray_activity,
    complete_without_task,
    cancel_after_completion,
    complete_before_start,
    give_another_task,
    seat_host_as_participant,
]
ALL = FIXABLE + UNFIXABLE
