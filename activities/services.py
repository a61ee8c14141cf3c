"""The rules of activities: who holds which task, and completing it.

Activities are created and removed by the class signals (see activities/signals.py) through
the record_* functions here; staff attach tasks with assign_task; learners finish with
complete_task, the only rule that raises `total_classes` (the repair and the demo loader
set it too).
"""

from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from activities.models import UserActivity
from classes.models import VirtualClass
from classes.services import lock_class
from learning_platform.db import undo_on_failure
from learning_platform.models import User
from tasks.models import Task


class ActivityError(ValidationError):
    """An activity rule refused the change; the message is written for the learner or staff."""


class TaskNotAssigned(ActivityError):
    """The learner holds no activity for the task."""


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
    activities = _create_activities(
        virtual_class=virtual_class, user_ids=user_ids, rol=UserActivity.Rol.PARTICIPANTE
    )
    if virtual_class.task_id is None:
        # Without a row lock (MongoDB) a task may have been attached since the class was read,
        # after assign_task gave it to the activities it found: these need it too. So does a
        # copy read before the task came, on any database (the admin's form, a shell).
        _give_class_task(virtual_class_id=virtual_class.pk, activities=activities)
    return activities


def record_participants_left(*, virtual_class: VirtualClass, user_ids: Collection[str]) -> int:
    """Delete the activities of participants about to be removed; refuse if one is completed.

    Returns how many this call deleted: the seats to free.
    """
    refusal = "A participant who completed this class cannot be removed from it."
    activities = UserActivity.objects.filter(
        virtual_class=virtual_class, user_id__in=user_ids, rol=UserActivity.Rol.PARTICIPANTE
    )
    leaving = list(activities)
    if any(activity.completed for activity in leaving):
        raise ActivityError(refusal)
    # Only pending activities are deleted, and the seats freed are the ones this call deleted:
    # a completion or a second leave racing with this one (MongoDB has no row lock, and
    # complete_task takes none) can neither lose a completed record nor free a seat twice.
    _, deleted_by_model = activities.filter(completed=False).delete()
    deleted = deleted_by_model.get(UserActivity._meta.label, 0)
    leaving_ids = [activity.pk for activity in leaving]
    if deleted < len(leaving) and activities.filter(pk__in=leaving_ids, completed=True).exists():
        # A completion won the race: put back what was deleted, and refuse the whole change.
        remaining = set(activities.filter(pk__in=leaving_ids).values_list("pk", flat=True))
        UserActivity.objects.bulk_create(a for a in leaving if a.pk not in remaining)
        raise ActivityError(refusal)
    return deleted


def assign_task(*, virtual_class: VirtualClass, task: Task) -> TaskAssignment:
    """Attach `task` to the class and to its activities that have no task yet.

    Safe to repeat: a second call with the same task assigns nothing new.
    """
    with transaction.atomic():
        locked = lock_class(virtual_class.pk)
        if locked.status == VirtualClass.Status.CANCELLED:
            raise ActivityError("This class has been cancelled; no task can be attached to it.")
        if locked.task_id not in (None, task.pk):
            raise ActivityError(f"This class already has the task “{locked.task}”.")
        now = timezone.now()
        if locked.task_id is None:
            # Conditional: without a row lock (MongoDB) another task may have been attached since
            # the read above; only one can be the class's task.
            attached = VirtualClass.objects.filter(pk=locked.pk, task__isnull=True).update(
                task=task, updated_at=now
            )
            if not attached:
                locked.refresh_from_db(fields=["task"])
                if locked.task_id != task.pk:
                    raise ActivityError(f"This class already has the task “{locked.task}”.")
        pending = UserActivity.objects.filter(virtual_class=locked, task__isnull=True)
        holders = sorted(_task_holders(task_id=task.pk, user_ids=pending.values("user_id")))
        try:
            with transaction.atomic():
                assigned = pending.exclude(user_id__in=holders).update(task=task, updated_at=now)
        except IntegrityError as exc:  # the same learner got the task elsewhere meanwhile
            raise ActivityError("The task was being attached elsewhere; please try again.") from exc
    virtual_class.task = task
    return TaskAssignment(assigned=assigned, skipped_user_ids=holders)


def complete_task(*, user: User, task: Task | str) -> bool:
    """Mark the learner's activity for `task` (a task or its id) completed and count the class,
    once.

    Returns True if this call completed it, False if it was already completed; raises
    TaskNotAssigned if the learner holds no activity for the task.

    A first completion is one read and two writes, nothing read back: the read finds the
    activity (and keeps its `updated_at` for an undo), the conditional update decides, and the
    count follows it. The writes run without a transaction (on SQLite its BEGIN and COMMIT would
    double the writes' round trips): if the count fails, the completion is undone by hand, as on
    MongoDB. Only a crash between the two writes can leave `total_classes` one short, which
    check_integrity reports and repair_integrity recounts. The learner's `total_classes` in
    memory moves by one (re-read it for the stored figure).
    """
    task_id = task if isinstance(task, str) else task.pk
    mine = UserActivity.objects.filter(user=user, task_id=task_id)
    found = mine.values_list("pk", "completed", "updated_at").first()
    if found is None:
        raise TaskNotAssigned("This task is not assigned to you.")
    pk, completed, before = found
    if completed:
        return False
    activity = UserActivity.objects.filter(pk=pk)
    with undo_on_failure(always=True) as on_failure:
        # Conditional update of one row (one document on MongoDB): of twenty simultaneous
        # clicks exactly one changes it, with or without a transaction.
        changed = UserActivity.objects.filter(pk=pk, completed=False).update(
            completed=True, updated_at=timezone.now()
        )
        if changed:
            on_failure(lambda: activity.update(completed=False, updated_at=before))
            # F() avoids a lost update when completions of different tasks race.
            User.objects.filter(pk=user.pk).update(total_classes=F("total_classes") + 1)
    if changed:
        user.total_classes += 1
    return bool(changed)


def _create_activities(
    *, virtual_class: VirtualClass, user_ids: Collection[str], rol: str
) -> list[UserActivity]:
    task_id = virtual_class.task_id
    holders = set() if task_id is None else _task_holders(task_id=task_id, user_ids=user_ids)
    return UserActivity.objects.bulk_create(
        UserActivity(
            user_id=user_id,
            virtual_class=virtual_class,
            rol=rol,
            task_id=None if user_id in holders else task_id,
        )
        for user_id in user_ids
    )


def _give_class_task(*, virtual_class_id: str, activities: Collection[UserActivity]) -> None:
    """Set the class's task, if it has one now, on these of its activities that have none."""
    task_id = VirtualClass.objects.filter(pk=virtual_class_id).values_list("task_id", flat=True)[0]
    if task_id is None:
        return
    holders = _task_holders(task_id=task_id, user_ids=[activity.user_id for activity in activities])
    UserActivity.objects.filter(
        pk__in=[activity.pk for activity in activities], task__isnull=True
    ).exclude(user_id__in=holders).update(task_id=task_id, updated_at=timezone.now())


def _task_holders(*, task_id: str, user_ids) -> set[str]:
    """Of these learners, those who already hold the task: one activity per learner per task,
    so they keep the one they have and get no other."""
    return set(
        UserActivity.objects.filter(task_id=task_id, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
