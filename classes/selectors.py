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
    """Classes that have not started yet, soonest first, with their host: the open ones
    (scheduled or pending) unless a `status` is asked for.

    Each offered filter has an index that holds only the rows it shows, in the list's order
    (start, then id): open classes (`class_open_start_idx`), open classes of a type
    (`class_open_type_start_idx`), and open classes with a free seat (`class_open_free_start_idx`,
    on the SQL databases: its condition compares two columns). A page is then one short range of
    one index, however deep it is (see learning_platform.pagination.keyset_page).
    """
    statuses = [status] if status else VirtualClass.OPEN_STATUSES
    classes = VirtualClass.objects.filter(
        status__in=[str(s) for s in statuses], starts_at__gt=timezone.now()
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


def joined_among(*, user, classes: list[VirtualClass]) -> set[str]:
    """The ids of these classes that `user` has joined as a participant (one query; none for a
    visitor or no classes)."""
    if not user.is_authenticated or not classes:
        return set()
    return set(
        VirtualClass.participants.through.objects.filter(
            user_id=user.pk, virtualclass_id__in=[c.pk for c in classes]
        ).values_list("virtualclass_id", flat=True)
    )
