"""A learner's history, the seed's "common queries": all activities with their class and task,
completed or pending, hosted or joined, and the counts of each.

The dashboard pages through the past by the class's start, newest first, after the last row
shown (no OFFSET); the counts come from one aggregate query. Both read the activity's own copy
of its class's start and cancellation (UserActivity.class_copies), never the classes.
"""

from django.db.models import Count, QuerySet
from django.utils import timezone

from activities.models import UserActivity
from learning_platform.models import User


def activities_for(
    *, user: User, completed: bool | None = None, rol: str = ""
) -> QuerySet[UserActivity]:
    activities = UserActivity.objects.filter(user=user)
    if completed is not None:
        activities = activities.filter(completed=completed)
    if rol:
        activities = activities.filter(rol=rol)
    return activities.select_related("virtual_class", "task").order_by("-created_at", "-pk")


# What a row of My activities shows: not the classes' and tasks' other columns (a task's
# content and solution are long texts).
ROW_FIELDS = (
    "rol",
    "completed",
    "class_starts_at",
    "class_cancelled",
    "virtual_class",
    "virtual_class__title",
    "task",
    "task__title",
)


def upcoming_and_past(activities: QuerySet[UserActivity]) -> tuple[QuerySet, QuerySet]:
    """The activities whose class is yet to start, soonest first, and the others (in the order
    of `activities`: the dashboard pages them by the class's start, newest first). Both read
    the activity's copy of the class's start: a range of the learner's (user, class_starts_at)
    index, however long their history."""
    now = timezone.now()
    activities = activities.only(*ROW_FIELDS)
    upcoming = activities.filter(class_starts_at__gt=now).order_by("class_starts_at", "pk")
    return upcoming, activities.filter(class_starts_at__lte=now)


def activity_counts(*, user: User) -> dict[str, int]:
    """{"all", "completed", "pending", "hosted", "joined", "cancelled"}: counts of the learner's
    activities. Those of cancelled classes count in "all" and "cancelled" only: nothing is
    pending in a class that will not take place, and nobody hosts or joins it any more.

    One query, grouped by kind: the database counts the learner's entries of the (user, rol,
    completed, class_cancelled) index without reading a row or a class, and returns a few rows.
    """
    kinds = (
        UserActivity.objects.filter(user=user)
        .order_by()
        .values_list("rol", "completed", "class_cancelled")
        .annotate(n=Count("*"))
    )
    counts = dict.fromkeys(("all", "completed", "pending", "hosted", "joined", "cancelled"), 0)
    for rol, completed, cancelled, n in kinds:
        counts["all"] += n
        if completed:
            counts["completed"] += n
        if cancelled:
            counts["cancelled"] += n
            continue
        if not completed:
            counts["pending"] += n
        counts["hosted" if rol == UserActivity.Rol.ANFITRION else "joined"] += n
    return counts
