"""The rules of activities: who holds which task, and completing it.

Activities are created and removed by the class signals (see activities/signals.py) through
the record_* functions here; staff attach tasks with assign_task; learners finish with
complete_task, the only code that raises `total_classes`.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from activities.models import UserActivity
from classes.models import VirtualClass
from learning_platform.models import User
from tasks.models import Task


class ActivityError(ValidationError):
    """An activity rule refused the change; the message is written for the learner or staff."""


@dataclass(frozen=True)
class TaskAssignment:
    assigned: int
    # Learners who already hold the task through another class keep that one activity.
    skipped_user_ids: list[str] = field(default_factory=list)


def record_host(*, virtual_class: VirtualClass) -> UserActivity:
    """The host's activity for a newly created class."""
    (activity,) = _create_activities(
        virtual_class=virtual_class,
        user_ids=[virtual_class.booked_by_id],
        rol=UserActivity.Rol.ANFITRION,
    )
    return activity


def record_participants_joined(
    *, virtual_class: VirtualClass, user_ids: Collection[str]
) -> list[UserActivity]:
    """Activities for learners just added to the class, with the class's task if it has one."""
    return _create_activities(
        virtual_class=virtual_class, user_ids=user_ids, rol=UserActivity.Rol.PARTICIPANTE
    )


def record_participants_left(*, virtual_class: VirtualClass, user_ids: Collection[str]) -> int:
    """Delete the activities of participants about to be removed; refuse if one is completed."""
    activities = UserActivity.objects.filter(
        virtual_class=virtual_class, user_id__in=user_ids, rol=UserActivity.Rol.PARTICIPANTE
    )
    if activities.filter(completed=True).exists():
        raise ActivityError("A participant who completed this class cannot be removed from it.")
    deleted, _ = activities.delete()
    return deleted


def assign_task(*, virtual_class: VirtualClass, task: Task) -> TaskAssignment:
    """Attach `task` to the class and to its activities that have no task yet.

    Safe to repeat: a second call with the same task assigns nothing new.
    """
    with transaction.atomic():
        locked = VirtualClass.objects.select_for_update().get(pk=virtual_class.pk)
        if locked.status == VirtualClass.Status.CANCELLED:
            raise ActivityError("This class has been cancelled; no task can be attached to it.")
        if locked.task_id not in (None, task.pk):
            raise ActivityError(f"This class already has the task “{locked.task}”.")
        now = timezone.now()
        if locked.task_id is None:
            VirtualClass.objects.filter(pk=locked.pk).update(task=task, updated_at=now)
        pending = UserActivity.objects.filter(virtual_class=locked, task__isnull=True)
        holders = sorted(
            UserActivity.objects.filter(
                task=task, user_id__in=pending.values("user_id")
            ).values_list("user_id", flat=True)
        )
        try:
            with transaction.atomic():
                assigned = pending.exclude(user_id__in=holders).update(task=task, updated_at=now)
        except IntegrityError as exc:  # the same learner got the task elsewhere meanwhile
            raise ActivityError("The task was being attached elsewhere; please try again.") from exc
    virtual_class.task = task
    return TaskAssignment(assigned=assigned, skipped_user_ids=holders)


def complete_task(*, user: User, task: Task) -> bool:
    """Mark the learner's activity for `task` completed and count the class, once.

    Returns True if this call completed it, False if it was already completed.
    """
    activity = UserActivity.objects.filter(user=user, task=task).only("pk").first()
    if activity is None:
        raise ActivityError("This task is not assigned to you.")
    with transaction.atomic():
        # Conditional update: of twenty simultaneous clicks exactly one changes the row.
        changed = UserActivity.objects.filter(pk=activity.pk, completed=False).update(
            completed=True, updated_at=timezone.now()
        )
        if changed:
            # F() avoids a lost update when completions of different tasks race.
            User.objects.filter(pk=user.pk).update(total_classes=F("total_classes") + 1)
    if changed:
        user.refresh_from_db(fields=["total_classes"])
    return bool(changed)


def _create_activities(
    *, virtual_class: VirtualClass, user_ids: Collection[str], rol: str
) -> list[UserActivity]:
    task_id = virtual_class.task_id
    holders = set()
    if task_id is not None:  # one activity per learner per task: holders get none here
        holders = set(
            UserActivity.objects.filter(task_id=task_id, user_id__in=user_ids).values_list(
                "user_id", flat=True
            )
        )
    return UserActivity.objects.bulk_create(
        UserActivity(
            user_id=user_id,
            virtual_class=virtual_class,
            rol=rol,
            task_id=None if user_id in holders else task_id,
        )
        for user_id in user_ids
    )
