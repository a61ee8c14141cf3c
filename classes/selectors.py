"""Reads the class pages share. Each returns a queryset that loads what its page shows in a fixed
number of queries, however many classes or participants there are."""

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from classes.models import VirtualClass
from learning_platform.models import User


def upcoming_classes(
    *,
    class_type: str = "",
    status: str = "",
    has_free_seats: bool = False,
) -> QuerySet[VirtualClass]:
    """Classes that have not started yet, soonest first, with their host: the scheduled ones
    unless a `status` is asked for (never the pending ones).

    Always filtering on status lets the (status, starts_at) index find the upcoming classes
    without reading the whole history of past ones.
    """
    # Pending bookings are their host's and staff's alone until confirmed: never listed.
    statuses = [status] if status else [VirtualClass.Status.SCHEDULED]
    statuses = [each for each in statuses if each != VirtualClass.Status.PENDING]
    classes = VirtualClass.objects.filter(
        status__in=statuses, starts_at__gt=timezone.now()
    ).select_related("booked_by")
    if class_type:
        classes = classes.filter(class_type=class_type)
    if has_free_seats:
        classes = classes.filter(current_participants__lt=F("max_participants"))
    return classes.order_by("starts_at", "pk")


def class_with_people() -> QuerySet[VirtualClass]:
    """Classes with their host, task and participants (by name), for the detail page."""
    return VirtualClass.objects.select_related("booked_by", "task").prefetch_related(
        Prefetch("participants", queryset=User.objects.order_by("username"))
    )
