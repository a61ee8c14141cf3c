"""The integrity audit of the values the rules derive, shared by check_integrity (which lists
breaches) and repair_integrity (which fixes those the records can fix).

It walks users and classes in primary-key ranges of `batch_size` rows and asks the database a
fixed number of aggregate questions per range, so memory and queries per batch stay flat however
many activities there are.
"""

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

import history
from activities import services
from activities.models import UserActivity
from classes.models import VirtualClass, WaitlistEntry
from classes.services import lock_class
from history.models import Action
from learning_platform.models import User

Membership = VirtualClass.participants.through

TOTAL_CLASSES = "total_classes"
CURRENT_PARTICIPANTS = "current_participants"
OVER_CAPACITY = "over_capacity"
MISSING_HOST_ACTIVITY = "missing_host_activity"
MISSING_PARTICIPANT_ACTIVITY = "missing_participant_activity"
STRAY_ACTIVITY = "stray_activity"
WRONG_ROLE = "wrong_role"
COMPLETED_WITHOUT_TASK = "completed_without_task"
COMPLETED_CANCELLED = "completed_in_cancelled_class"
COMPLETED_NOT_STARTED = "completed_before_start"
TASK_MISMATCH = "task_not_the_class_task"
HOST_PARTICIPANT = "host_is_participant"
STRAY_WAITLIST_ENTRY = "stray_waitlist_entry"
STALE_CLASS_COPY = "stale_class_copy"

# What each kind means, in the order the audit reports them.
KINDS = {
    TOTAL_CLASSES: gettext_lazy(
        "total_classes differs from the learner's completed activities with a task"
    ),
    CURRENT_PARTICIPANTS: gettext_lazy("current_participants differs from 1 + participants"),
    OVER_CAPACITY: gettext_lazy(
        "more learners than seats (host + participants > max_participants)"
    ),
    MISSING_HOST_ACTIVITY: gettext_lazy("the host has no activity in their class"),
    MISSING_PARTICIPANT_ACTIVITY: gettext_lazy("a participant has no activity in the class"),
    STRAY_ACTIVITY: gettext_lazy(
        "an activity whose learner is neither the class's host nor a participant"
    ),
    WRONG_ROLE: gettext_lazy("the host's activity is not anfitrion, or a participant's is"),
    COMPLETED_WITHOUT_TASK: gettext_lazy("a completed activity without a task"),
    COMPLETED_CANCELLED: gettext_lazy("a completed activity in a cancelled class"),
    COMPLETED_NOT_STARTED: gettext_lazy("a completed activity in a class that has not started"),
    TASK_MISMATCH: gettext_lazy("an activity's task is not its class's task"),
    HOST_PARTICIPANT: gettext_lazy("the host is among the class's participants"),
    STRAY_WAITLIST_ENTRY: gettext_lazy(
        "a waiting-list entry of a participant, of the host, or of a class "
        "that is not scheduled or has started"
    ),
    STALE_CLASS_COPY: gettext_lazy(
        "an activity's copy of its class's start or cancellation differs from the class"
    ),
}
# Fixing these would mean guessing what happened (drop a learner? which task? did the class
# take place?): staff decide.
UNFIXABLE = {
    OVER_CAPACITY,
    STRAY_ACTIVITY,
    COMPLETED_WITHOUT_TASK,
    COMPLETED_CANCELLED,
    COMPLETED_NOT_STARTED,
    TASK_MISMATCH,
    HOST_PARTICIPANT,
}


@dataclass(frozen=True)
class Breach:
    kind: str
    user_id: str | None = None
    class_id: str | None = None
    activity_id: str | None = None
    found: object = None
    expected: object = None

    def __str__(self) -> str:
        ids = " ".join(
            f"{name}={value}"
            for name, value in (
                ("user", self.user_id),
                ("class", self.class_id),
                ("activity", self.activity_id),
            )
            if value is not None
        )
        text = f"{self.kind}: {ids}"
        if self.found is not None or self.expected is not None:
            text += f" (found {self.found}, expected {self.expected})"
        return text

    @property
    def fixable(self) -> bool:
        return self.kind not in UNFIXABLE


def breaches(count: int) -> str:
    return ngettext("%(count)d breach", "%(count)d breaches", count) % {"count": count}


def summary(found: Counter) -> str:
    """ "2 total_classes, 1 wrong_role": counts by kind, in the audit's order."""
    return ", ".join(f"{found[kind]} {kind}" for kind in KINDS if found[kind])


# Rows per batch: larger batches spend less on building and planning queries per row; the
# memory a batch takes is its breaches'.
BATCH_SIZE = 50_000


def audit(
    *, batch_size: int = BATCH_SIZE, on_batch: Callable[[str, int], None] | None = None
) -> Iterator[Breach]:
    """Every breach in the database, users first, then classes with their activities.

    `on_batch(table, rows)` is called after each batch (at most `rows` rows), for progress.
    """
    with _compiled_plans_off():
        for pk_range, rows in _ranges(User.objects.all(), batch_size):
            yield from _user_breaches(pk_range)
            if on_batch:
                on_batch("users", rows)
        for pk_range, rows in _ranges(VirtualClass.objects.all(), batch_size):
            yield from _class_breaches(pk_range)
            if on_batch:
                on_batch("classes", rows)


@contextmanager
def _compiled_plans_off():
    """PostgreSQL plans a batch's queries as costly enough to compile to machine code first
    (JIT), which takes longer than running them: not while the audit runs."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")


def totals() -> dict[str, int]:
    """Rows the audit walks, for a progress bar."""
    return {"users": User.objects.count(), "classes": VirtualClass.objects.count()}


def repair(breach: Breach, *, dry_run: bool) -> str:
    """Fix one fixable breach from the records (unless `dry_run`); returns what it changes.

    Each fix re-reads what it relies on under the class's row lock (the lock the rules take to
    join or leave), so a learner joining or leaving since the audit is not undone.
    """
    if breach.kind == TOTAL_CLASSES:
        change = f"user {breach.user_id}: total_classes {breach.found} -> {breach.expected}"
        if not dry_run:
            # Recounted in the update itself, so a completion racing the repair is not lost.
            User.objects.filter(pk=breach.user_id).update(
                total_classes=Coalesce(Subquery(_completed_with_task("pk")), 0)
            )
    elif breach.kind == CURRENT_PARTICIPANTS:
        change = (
            f"class {breach.class_id}: current_participants {breach.found} -> {breach.expected}"
        )
        if not dry_run:
            seats_taken = Coalesce(Subquery(_members("pk")), 0) + 1
            with transaction.atomic():
                lock_class(breach.class_id)
                # Not past the seats: a class that filled up beyond them since the audit is
                # over capacity, which the next audit reports for a person to settle.
                VirtualClass.objects.filter(
                    pk=breach.class_id, max_participants__gte=seats_taken
                ).update(current_participants=seats_taken, updated_at=timezone.now())
    elif breach.kind in (MISSING_HOST_ACTIVITY, MISSING_PARTICIPANT_ACTIVITY):
        host = breach.kind == MISSING_HOST_ACTIVITY
        rol = UserActivity.Rol.ANFITRION if host else UserActivity.Rol.PARTICIPANTE
        change = f"class {breach.class_id}: create the {rol} activity of user {breach.user_id}"
        if not dry_run:
            _create_missing_activity(breach, host=host)
    elif breach.kind == STRAY_WAITLIST_ENTRY:
        change = f"class {breach.class_id}: take user {breach.user_id} off the waiting list"
        if not dry_run:
            # Nobody is waiting who should not be; re-checked so a fresh, valid entry stays.
            _stray_entries(Q(pk=breach.class_id)).filter(user_id=breach.user_id).delete()
    elif breach.kind == STALE_CLASS_COPY:
        change = f"activity {breach.activity_id}: {breach.found} -> {breach.expected}"
        if not dry_run:
            with transaction.atomic():
                # Under the class's lock, so a move racing the repair is not undone.
                virtual_class = lock_class(breach.class_id)
                UserActivity.objects.filter(pk=breach.activity_id).update(
                    **UserActivity.class_copies(virtual_class)
                )
    elif breach.kind == WRONG_ROLE:
        change = f"activity {breach.activity_id}: rol {breach.found} -> {breach.expected}"
        if not dry_run:
            UserActivity.objects.filter(pk=breach.activity_id, rol=breach.found).update(
                rol=breach.expected, updated_at=timezone.now()
            )
    else:
        raise ValueError(f"{breach.kind} cannot be repaired from the records")
    if not dry_run:
        history.record(
            action=Action.INTEGRITY_REPAIRED,
            virtual_class=breach.class_id,
            learner=breach.user_id,
            breach=breach.kind,
            change=change,
        )
    return change


def _create_missing_activity(breach: Breach, *, host: bool) -> None:
    with transaction.atomic():
        virtual_class = lock_class(breach.class_id)
        if UserActivity.objects.filter(
            virtual_class=virtual_class, user_id=breach.user_id
        ).exists():
            return
        # The rules' own functions: the activity gets the class's task unless the learner
        # already holds it through another class.
        if host:
            services.record_host(virtual_class=virtual_class)
        elif virtual_class.participants.filter(pk=breach.user_id).exists():
            services.record_participants_joined(
                virtual_class=virtual_class, user_ids=[breach.user_id]
            )


def _ranges(queryset: QuerySet, batch_size: int) -> Iterator[tuple[Q, int]]:
    """Primary-key ranges of `batch_size` rows at most (one query per range)."""
    low = None
    while True:
        rest = queryset if low is None else queryset.filter(pk__gt=low)
        boundary = list(rest.order_by("pk").values_list("pk", flat=True)[batch_size - 1 :][:1])
        pk_range = Q() if low is None else Q(pk__gt=low)
        if not boundary:  # the last range: whatever is left
            yield pk_range, batch_size
            return
        high = boundary[0]
        yield pk_range & Q(pk__lte=high), batch_size
        low = high


def _prefixed(pk_range: Q, field: str) -> Q:
    """The same primary-key range, on a foreign key that points at it."""
    return Q(*[(f"{field}{lookup[2:]}", value) for lookup, value in pk_range.children])


def _completed_with_task(user_ref: str):
    return (
        UserActivity.objects.filter(user=OuterRef(user_ref), completed=True, task__isnull=False)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )


def _members(class_ref: str):
    return (
        Membership.objects.filter(virtualclass=OuterRef(class_ref))
        .order_by()
        .values("virtualclass")
        # Counting a column of the (class, user) unique index reads the index alone.
        .annotate(n=Count("user"))
        .values("n")
    )


def _stray_entries(pk_range: Q) -> QuerySet[WaitlistEntry]:
    """Entries in these classes that the rules would never leave: a participant or the host
    waiting, or a class that is not scheduled or has started."""
    return WaitlistEntry.objects.filter(_prefixed(pk_range, "virtual_class_id")).filter(
        ~Q(virtual_class__status=VirtualClass.Status.SCHEDULED)
        | Q(virtual_class__starts_at__lte=timezone.now())
        | Q(user_id=F("virtual_class__booked_by_id"))
        | Exists(
            Membership.objects.filter(
                virtualclass_id=OuterRef("virtual_class_id"), user_id=OuterRef("user_id")
            )
        )
    )


def _user_breaches(pk_range: Q) -> Iterator[Breach]:
    # 1 query: learners whose counter differs from their completed activities with a task.
    rows = (
        User.objects.filter(pk_range)
        .annotate(counted=Coalesce(Subquery(_completed_with_task("pk")), 0))
        .exclude(total_classes=F("counted"))
        .order_by("pk")
        .values_list("pk", "total_classes", "counted")
    )
    for pk, found, expected in rows:
        yield Breach(TOTAL_CLASSES, user_id=pk, found=found, expected=expected)


def _class_breaches(pk_range: Q) -> Iterator[Breach]:
    # 6 queries per range: seats, hosts without activity, participants without activity, hosts
    # among participants, stray waiting-list entries, and activities that break a rule (stray,
    # wrong role, completed without a task, completed in a class that did not take place,
    # holding a task that is not the class's, a stale copy of the class's start or cancellation).
    seats = (
        VirtualClass.objects.filter(pk_range)
        .annotate(taken=Coalesce(Subquery(_members("pk")), 0) + Value(1))
        # The count once per class: where it matches, over capacity is the stored value's.
        .filter(
            ~Q(current_participants=F("taken")) | Q(current_participants__gt=F("max_participants"))
        )
        .order_by("pk")
        .values_list("pk", "current_participants", "taken", "max_participants")
    )
    for pk, current, taken, seats_in_all in list(seats):
        if taken > seats_in_all:
            yield Breach(OVER_CAPACITY, class_id=pk, found=taken, expected=f"<= {seats_in_all}")
        else:
            yield Breach(CURRENT_PARTICIPANTS, class_id=pk, found=current, expected=taken)

    hosts = (
        VirtualClass.objects.filter(pk_range)
        .filter(
            ~Exists(
                UserActivity.objects.filter(
                    _prefixed(pk_range, "virtual_class_id"),
                    virtual_class=OuterRef("pk"),
                    user=OuterRef("booked_by"),
                )
            )
        )
        .order_by("pk")
        .values_list("pk", "booked_by_id")
    )
    for pk, host_id in list(hosts):
        yield Breach(MISSING_HOST_ACTIVITY, user_id=host_id, class_id=pk)

    members = (
        Membership.objects.filter(_prefixed(pk_range, "virtualclass_id"))
        .filter(
            ~Exists(
                UserActivity.objects.filter(
                    _prefixed(pk_range, "virtual_class_id"),
                    virtual_class=OuterRef("virtualclass_id"),
                    user=OuterRef("user_id"),
                )
            )
        )
        .order_by("virtualclass_id", "user_id")
        .values_list("virtualclass_id", "user_id")
    )
    for class_id, user_id in list(members):
        yield Breach(MISSING_PARTICIPANT_ACTIVITY, user_id=user_id, class_id=class_id)

    # 1 query: hosts listed among their own class's participants.
    hosting = (
        VirtualClass.objects.filter(pk_range)
        .filter(
            Exists(
                Membership.objects.filter(
                    _prefixed(pk_range, "virtualclass_id"),
                    virtualclass=OuterRef("pk"),
                    user=OuterRef("booked_by"),
                )
            )
        )
        .order_by("pk")
        .values_list("pk", "booked_by_id")
    )
    for class_id, user_id in list(hosting):
        yield Breach(HOST_PARTICIPANT, user_id=user_id, class_id=class_id)

    # 1 query: waiting-list entries that should not be there.
    entries = (
        _stray_entries(pk_range)
        .order_by("virtual_class_id", "created_at")
        .values_list("virtual_class_id", "user_id")
    )
    for class_id, user_id in list(entries):
        yield Breach(STRAY_WAITLIST_ENTRY, user_id=user_id, class_id=class_id)

    host = UserActivity.Rol.ANFITRION
    cancelled = VirtualClass.Status.CANCELLED
    now = timezone.now()
    # Read from the classes, with the range on both sides of the join, so each side is an
    # index range scan of this batch (from the activities alone, the join reads every class).
    activities = (
        VirtualClass.objects.filter(pk_range)
        .annotate(
            activity_class=F("activities__virtual_class_id"),
            activity=F("activities__id"),
            activity_user=F("activities__user_id"),
            activity_rol=F("activities__rol"),
            activity_completed=F("activities__completed"),
            activity_task=F("activities__task_id"),
            activity_starts_at=F("activities__class_starts_at"),
            activity_cancelled=F("activities__class_cancelled"),
        )
        .filter(_prefixed(pk_range, "activity_class"))
        .annotate(
            is_member=Exists(
                Membership.objects.filter(
                    virtualclass=OuterRef("pk"), user=OuterRef("activity_user")
                )
            )
        )
        .filter(
            Q(activity_completed=True, activity_task__isnull=True)
            | (Q(activity_user=F("booked_by_id")) & ~Q(activity_rol=host))
            | (~Q(activity_user=F("booked_by_id")) & (Q(activity_rol=host) | Q(is_member=False)))
            | (Q(activity_completed=True) & (Q(status=cancelled) | Q(starts_at__gt=now)))
            | (
                Q(activity_task__isnull=False)
                & (Q(task__isnull=True) | ~Q(activity_task=F("task_id")))
            )
            | ~Q(activity_starts_at=F("starts_at"))
            | (Q(activity_cancelled=True) & ~Q(status=cancelled))
            | Q(activity_cancelled=False, status=cancelled)
        )
        .order_by("pk", "activity")
        .values_list(
            "activity", "activity_user", "pk", "activity_rol", "activity_completed",
            "activity_task", "booked_by_id", "is_member", "status", "starts_at", "task_id",
            "activity_starts_at", "activity_cancelled",
        )
    )  # fmt: skip
    for (
        pk, user_id, class_id, rol, completed, task_id, host_id, is_member, status, starts_at,
        class_task_id, copied_start, copied_cancelled,
    ) in list(activities):  # fmt: skip
        ids = {"activity_id": pk, "user_id": user_id, "class_id": class_id}
        if (copied_start, copied_cancelled) != (starts_at, status == cancelled):
            yield Breach(
                STALE_CLASS_COPY,
                **ids,
                found=_class_copy_text(copied_start, copied_cancelled),
                expected=_class_copy_text(starts_at, status == cancelled),
            )
        if task_id is not None and task_id != class_task_id:
            yield Breach(TASK_MISMATCH, **ids, found=task_id, expected=class_task_id)
        if completed and status == cancelled:
            yield Breach(COMPLETED_CANCELLED, **ids)
        elif completed and starts_at > now:
            yield Breach(COMPLETED_NOT_STARTED, **ids)
        is_host = user_id == host_id
        if not is_host and not is_member:
            yield Breach(STRAY_ACTIVITY, **ids)
        else:
            expected = host if is_host else UserActivity.Rol.PARTICIPANTE
            if rol != expected:
                yield Breach(WRONG_ROLE, **ids, found=rol, expected=expected)
        if completed and task_id is None:
            yield Breach(COMPLETED_WITHOUT_TASK, **ids)


def _class_copy_text(starts_at, cancelled: bool) -> str:
    return f"starts {starts_at.isoformat()}{', cancelled' if cancelled else ''}"
