"""The rules of activities: who holds which task, and completing it.

Activities are created and removed by the class signals (see activities/signals.py) through
the record_* functions here; staff attach tasks with assign_task; learners finish with
complete_task, the only rule that raises `total_classes` (the repair recounts it from the
activities, and the demo loader writes the count its records imply).
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

import history
from activities.models import UserActivity
from classes.models import VirtualClass
from classes.services import lock_class
from history.models import Action, LogEntry
from learning_platform.db import rolls_back, undo_on_failure
from learning_platform.middleware import profile_zone
from learning_platform.models import User
from learning_platform.templatetags.dates import written
from tasks.models import Task

PARTICIPANT_COMPLETED = "A participant who completed this class cannot be removed from it."


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
    if virtual_class.task_id is None and not getattr(virtual_class, "task_is_current", False):
        # Without a row lock (MongoDB) a task may have been attached since the class was read,
        # after assign_task gave it to the activities it found: these need it too. So does a
        # copy read before the task came, on any database (the admin's form, a shell). A rule
        # that read it under the class lock in this transaction says so (task_is_current).
        _give_class_task(virtual_class_id=virtual_class.pk, activities=activities)
    return activities


def read_leaving(
    *, leaving: Collection[tuple[VirtualClass, Collection[str]]]
) -> list[UserActivity]:
    """The activities of the learners about to leave these classes, read once for all of them;
    the whole removal is refused if a leaving participant completed their class: checked for
    every class before anything is deleted, so a refusal changes nothing."""
    condition = Q()
    for virtual_class, user_ids in leaving:
        condition |= Q(virtual_class=virtual_class, user_id__in=user_ids)
    if not condition:
        return []
    activities = list(UserActivity.objects.filter(condition))
    why_participants_cannot_leave(activities)
    return activities


def why_participants_cannot_leave(activities: Collection[UserActivity]) -> None:
    """Refuse a removal that would delete a participant's completed activity."""
    if any(a.completed and a.rol == UserActivity.Rol.PARTICIPANTE for a in activities):
        raise ActivityError(PARTICIPANT_COMPLETED)


def record_participants_left(
    *,
    virtual_class: VirtualClass,
    user_ids: Collection[str],
    read: Collection[UserActivity] | None = None,
) -> int:
    """Delete the activities of participants about to be removed; refuse if one is completed.
    `read`: these learners' activities in the class, if the caller has just read them.

    Returns how many this call deleted: the seats to free.
    """
    activities = UserActivity.objects.filter(
        virtual_class=virtual_class, user_id__in=user_ids, rol=UserActivity.Rol.PARTICIPANTE
    )
    if read is None:
        leaving = list(activities)
    else:
        leaving = [a for a in read if a.rol == UserActivity.Rol.PARTICIPANTE]
    if any(activity.completed for activity in leaving):
        raise ActivityError(PARTICIPANT_COMPLETED)
    # Only pending activities are deleted, and the seats freed are the ones this call deleted:
    # a completion or a second leave racing with this one (MongoDB has no row lock, and
    # complete_task takes none) can neither lose a completed record nor free a seat twice.
    _, deleted_by_model = activities.filter(completed=False).delete()
    deleted = deleted_by_model.get(UserActivity._meta.label, 0)
    leaving_ids = [activity.pk for activity in leaving]
    if deleted < len(leaving) and activities.filter(pk__in=leaving_ids, completed=True).exists():
        # A completion won the race: put back what was deleted, and refuse the whole change.
        remaining = set(activities.filter(pk__in=leaving_ids).values_list("pk", flat=True))
        restore_activities([a for a in leaving if a.pk not in remaining])
        raise ActivityError(PARTICIPANT_COMPLETED)
    return deleted


def restore_activities(activities: Collection[UserActivity]) -> None:
    """Put deleted activities back exactly as they were: same ids, same timestamps (the insert
    stamps new ones, so they are written back after it), with their class's start and
    cancellation as they are now."""
    if not activities:
        return
    classes = VirtualClass.objects.in_bulk({activity.virtual_class_id for activity in activities})
    for activity in activities:
        for name, value in UserActivity.class_copies(classes[activity.virtual_class_id]).items():
            setattr(activity, name, value)
    # Read first: the insert stamps the instances themselves with the time of the insert.
    stamps = [(activity.pk, activity.created_at, activity.updated_at) for activity in activities]
    UserActivity.objects.bulk_create(activities)
    for pk, created_at, updated_at in stamps:
        UserActivity.objects.filter(pk=pk).update(created_at=created_at, updated_at=updated_at)


def assign_task(
    *, virtual_class: VirtualClass, task: Task, by: User | None = None, dry_run: bool = False
) -> TaskAssignment:
    """Attach `task` to the class and to its activities that have no task yet.

    Safe to repeat: a second call with the same task assigns nothing new. `by` is the staff
    member who attached it, or None for a command. With `dry_run`, the same checks and the same
    report, and nothing written.
    """
    with transaction.atomic():
        locked = lock_class(virtual_class.pk)
        if locked.status == VirtualClass.Status.CANCELLED:
            raise ActivityError(_("This class has been cancelled; no task can be attached to it."))
        if locked.task_id not in (None, task.pk):
            raise ActivityError(
                _("This class already has the task “%(task)s”.") % {"task": locked.task}
            )
        if dry_run:
            pending = UserActivity.objects.filter(virtual_class=locked, task__isnull=True)
            holders = sorted(_task_holders(task_id=task.pk, user_ids=pending.values("user_id")))
            would = pending.exclude(user_id__in=holders).count()
            return TaskAssignment(assigned=would, skipped_user_ids=holders)
        now = timezone.now()
        attached = 0
        if locked.task_id is None:
            # Conditional: without a row lock (MongoDB) another task may have been attached since
            # the read above; only one can be the class's task.
            attached = VirtualClass.objects.filter(pk=locked.pk, task__isnull=True).update(
                task=task, updated_at=now
            )
            if not attached:
                locked.refresh_from_db(fields=["task"])
                if locked.task_id != task.pk:
                    raise ActivityError(
                        _("This class already has the task “%(task)s”.") % {"task": locked.task}
                    )
        pending = UserActivity.objects.filter(virtual_class=locked, task__isnull=True)
        holders = sorted(_task_holders(task_id=task.pk, user_ids=pending.values("user_id")))
        receivers = list(pending.exclude(user_id__in=holders).values_list("user_id", flat=True))
        try:
            with transaction.atomic():
                assigned = pending.filter(user_id__in=receivers).update(task=task, updated_at=now)
        except IntegrityError as exc:  # the same learner got the task elsewhere meanwhile
            raise ActivityError(
                _("The task was being attached elsewhere; please try again.")
            ) from exc
        if attached or assigned:
            history.record(
                action=Action.TASK_ATTACHED,
                actor=by,
                virtual_class=locked,
                task=task,
                learner_ids=receivers,
                skipped_learner_ids=holders,
            )
    virtual_class.task = task
    return TaskAssignment(assigned=assigned, skipped_user_ids=holders)


def complete_task(*, user: User, task: Task | str, by: User | None = None) -> bool:
    """Mark the learner's activity for `task` (a task or its id) completed and count the class,
    once. `by` is the staff member who marked it for the learner, if not the learner.

    Returns True if this call completed it, False if it was already completed; raises
    TaskNotAssigned if the learner holds no activity for the task, and ActivityError while its
    class cannot count yet (see why_cannot_complete).

    On SQL databases a first completion reads nothing: one conditional update carries every
    condition (the learner's pending activity for the task, in a class that counts now), and
    only when it changes nothing does a read say why. Its writes: _mark_completed (three
    statements, SQLite), or _complete_in_one_statement (PostgreSQL). MongoDB cannot join the
    class in an update: there the read comes first and decides, and the conditional update by
    the activity's id keeps simultaneous clicks to one completion. The learner's
    `total_classes` in memory moves by one.
    """
    task_id = task if isinstance(task, str) else task.pk
    actor = by or user
    if rolls_back():  # SQL: no read first
        # The learner's pending activity for the task, in a class that counts now: the class
        # is looked up for that one row (an IN list of every such class would be read whole).
        pending = UserActivity.objects.filter(
            Exists(_classes_that_count(timezone.now()).filter(pk=OuterRef("virtual_class_id"))),
            user=user,
            task_id=task_id,
            completed=False,
        )
        if connection.vendor == "postgresql":
            completes = _complete_in_one_statement
        else:
            completes = _mark_completed
        if completes(pending, user=user, task_id=task_id, actor=actor):
            return True
    found = (
        UserActivity.objects.filter(user=user, task_id=task_id)
        .values_list(
            "pk",
            "completed",
            "updated_at",
            "virtual_class_id",
            "virtual_class__status",
            "virtual_class__starts_at",
        )
        .first()
    )
    if found is None:
        raise TaskNotAssigned(_("This task is not assigned to you."))
    pk, completed, before, class_id, status, starts_at = found
    if completed:
        return False
    held = VirtualClass(pk=class_id, status=status, starts_at=starts_at)
    if reason := why_cannot_complete(held, learner=user):
        raise ActivityError(reason)
    # MongoDB, or a class that began to count between the update above and this read.
    return _mark_completed(
        UserActivity.objects.filter(pk=pk, completed=False),
        user=user,
        task_id=task_id,
        actor=actor,
        virtual_class=class_id,
        before=before,
    )


def _mark_completed(
    activities,
    *,
    user: User,
    task_id: str,
    actor: User,
    virtual_class: str | None = None,
    before: datetime | None = None,
) -> bool:
    """Complete the one activity `activities` finds, if it still finds it, then count the class
    and write the log entry; returns whether this call completed it.

    Three writes and no transaction: the conditional update decides (of twenty simultaneous
    clicks exactly one changes the row), the count follows with F() (no lost update when
    completions of different tasks race), and the log entry names the class through a subquery
    when the caller did not read it. Each write commits on its own: on SQLite a writer waits
    for the write lock (WAL, busy timeout), so a later write is not refused because an earlier
    one committed, and none holds the lock while Python runs between statements. A write
    that fails undoes the ones before it, on every database. Between the writes a reader may
    see the activity completed a moment before its count moves. Only a crash between two writes
    can leave them apart: the count one short (check_integrity reports it, repair_integrity
    recounts it) and the completion without its log entry. PostgreSQL runs the three as one
    statement instead (_complete_in_one_statement).
    """
    now = timezone.now()
    with undo_on_failure(always=True) as on_failure:
        if not activities.update(completed=True, updated_at=now):
            return False
        mine = UserActivity.objects.filter(user=user, task_id=task_id)
        # Undone as it was; where nothing was read first, `updated_at` keeps the time of the try.
        on_failure(lambda: mine.update(completed=False, updated_at=before or now))
        learner = User.objects.filter(pk=user.pk)
        learner.update(total_classes=F("total_classes") + 1)
        on_failure(lambda: learner.update(total_classes=F("total_classes") - 1))
        history.record(
            action=Action.TASK_COMPLETED,
            actor=actor,
            virtual_class=virtual_class or Subquery(mine.order_by().values("virtual_class_id")[:1]),
            task=task_id,
            learner=user,
        )
    user.total_classes += 1
    return True


def _complete_in_one_statement(pending, *, user: User, task_id: str, actor: User) -> bool:
    """PostgreSQL: _mark_completed's three writes in one statement (data-modifying CTEs), for
    the activity `pending` finds. One statement is atomic without a transaction and commits
    once: one round trip and one flush of the log to disk instead of three.

    Of simultaneous completions, the one that waits for the row lock finds the activity
    completed when it re-checks `NOT completed` on the row, and changes nothing.
    """
    entry = history.new_entry(action=Action.TASK_COMPLETED, actor=actor, task=task_id, learner=user)
    select, params = pending.order_by().values("pk").query.sql_with_params()
    columns, values, entry_params = [], [], []
    for log_field in LogEntry._meta.concrete_fields:
        columns.append(_column(LogEntry, log_field.name))
        if log_field.name == "virtual_class":  # the class of the activity completed, from `done`
            values.append(f"done.{_column(UserActivity, 'virtual_class')}")
        else:
            values.append("%s")
            value = log_field.pre_save(entry, add=True)
            entry_params.append(log_field.get_db_prep_save(value, connection=connection))
    sql = f"""
        WITH done AS (
            UPDATE {_table(UserActivity)} SET {_column(UserActivity, "completed")} = true,
                {_column(UserActivity, "updated_at")} = %s
            WHERE {_column(UserActivity, "id")} IN ({select})
                AND NOT {_column(UserActivity, "completed")}
            RETURNING {_column(UserActivity, "virtual_class")}
        ), counted AS (
            UPDATE {_table(User)}
            SET {_column(User, "total_classes")} = {_column(User, "total_classes")} + 1
            WHERE {_column(User, "id")} = %s AND EXISTS (SELECT 1 FROM done)
        )
        INSERT INTO {_table(LogEntry)} ({", ".join(columns)})
        SELECT {", ".join(values)} FROM done
        RETURNING {_column(LogEntry, "virtual_class")}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), *params, user.pk, *entry_params])
        row = cursor.fetchone()
    if row is None:
        return False
    entry.virtual_class_id = row[0]
    history.recorded(entry)
    user.total_classes += 1
    return True


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, field_name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field_name).column)


def _classes_that_count(now):
    """The classes whose tasks may be completed at `now`: why_cannot_complete, as a query."""
    return VirtualClass.objects.filter(
        status__in=[VirtualClass.Status.SCHEDULED, VirtualClass.Status.COMPLETED],
        starts_at__lte=now,
    )


def why_cannot_complete(virtual_class: VirtualClass, *, learner: User | None = None) -> str | None:
    """The reason a task of `virtual_class` cannot be completed now, or None: total_classes
    counts classes that took place. A time is written in the pages' format, in the zone the
    `learner` chose on their profile, else the active one."""
    if virtual_class.status == VirtualClass.Status.CANCELLED:
        return _("This class was cancelled, so its task cannot be completed.")
    if virtual_class.status == VirtualClass.Status.PENDING:
        return _("This class has not been confirmed by the school yet; its task can wait.")
    if not virtual_class.has_started:
        zone = profile_zone(learner) if learner is not None else None
        when = written(virtual_class.starts_at, zone=zone)
        return _("You can complete this task once the class starts (%(when)s).") % {"when": when}
    return None


def _create_activities(
    *, virtual_class: VirtualClass, user_ids: Collection[str], rol: str
) -> list[UserActivity]:
    task_id = virtual_class.task_id
    # From the class as the caller read it: joins read it under its row lock, so a move or a
    # cancellation cannot slip between that read and this insert.
    copies = UserActivity.class_copies(virtual_class)

    def insert(holders: Collection[str]) -> list[UserActivity]:
        return UserActivity.objects.bulk_create(
            UserActivity(
                user_id=user_id,
                virtual_class=virtual_class,
                rol=rol,
                task_id=None if user_id in holders else task_id,
                **copies,
            )
            for user_id in user_ids
        )

    if task_id is None:  # no task, so no race over who holds it: a plain insert
        return insert(())
    for attempt in range(2):
        try:
            with transaction.atomic():
                return insert(_task_holders(task_id=task_id, user_ids=user_ids))
        except IntegrityError:
            # A learner got the same task through another class between the read of the
            # holders and the insert (assign_task there): read them again and skip them.
            if not rolls_back():  # without a transaction part of the insert may have landed
                UserActivity.objects.filter(
                    virtual_class=virtual_class, user_id__in=user_ids
                ).delete()
            if attempt:
                raise ActivityError(
                    _("The class's task was being given at the same time; please try again.")
                ) from None
    raise AssertionError("unreachable")


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
