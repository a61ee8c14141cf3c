"""A learner's history, the seed's "common queries": all activities with their class and task,
completed or pending, hosted or joined, and the counts of each.

The list reads newest first on the (user, ...,-created_at) indexes, so a page costs the same
however long the history is; the counts come from one aggregate query.
"""

from django.db.models import Count, Q, QuerySet

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


def activity_counts(*, user: User) -> dict[str, int]:
    """{"all", "completed", "pending", "hosted", "joined"}: counts of the learner's activities."""
    counts = UserActivity.objects.filter(user=user).aggregate(
        all=Count("pk"),
        # Named apart from the `completed` field, which an aggregate alias may not shadow.
        done=Count("pk", filter=Q(completed=True)),
        pending=Count("pk", filter=Q(completed=False)),
        hosted=Count("pk", filter=Q(rol=UserActivity.Rol.ANFITRION)),
        joined=Count("pk", filter=Q(rol=UserActivity.Rol.PARTICIPANTE)),
    )
    counts["completed"] = counts.pop("done")
    return counts
