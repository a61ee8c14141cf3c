"""A learner's history, the seed's "common queries": all activities with their class and task,
completed or pending, hosted or joined, and the counts of each.

The dashboard pages through the past by the class's start, newest first, after the last row
shown (no OFFSET); the counts come from one aggregate query.
"""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from activities.models import UserActivity
from classes.models import VirtualClass
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


def upcoming_and_past(activities: QuerySet[UserActivity]) -> tuple[QuerySet, QuerySet]:
    """The activities whose class is yet to start, soonest first, and the others (in the order
    of `activities`: the dashboard pages them by the class's start, newest first)."""
    now = timezone.now()
    upcoming = activities.filter(virtual_class__starts_at__gt=now).order_by(
        "virtual_class__starts_at", "pk"
    )
    return upcoming, activities.filter(virtual_class__starts_at__lte=now)


def activity_counts(*, user: User) -> dict[str, int]:
    """{"all", "completed", "pending", "hosted", "joined", "cancelled"}: counts of the learner's
    activities. Those of cancelled classes count in "all" and "cancelled" only: nothing is
    pending in a class that will not take place, and nobody hosts or joins it any more."""
    live = ~Q(virtual_class__status=VirtualClass.Status.CANCELLED)
    counts = UserActivity.objects.filter(user=user).aggregate(
        all=Count("pk"),
        # Named apart from the `completed` field, which an aggregate alias may not shadow.
        done=Count("pk", filter=Q(completed=True)),
        pending=Count("pk", filter=Q(completed=False) & live),
        hosted=Count("pk", filter=Q(rol=UserActivity.Rol.ANFITRION) & live),
        joined=Count("pk", filter=Q(rol=UserActivity.Rol.PARTICIPANTE) & live),
        cancelled=Count("pk", filter=~live),
    )
    counts["completed"] = counts.pop("done")
    return counts
