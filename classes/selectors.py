"""Reads the class pages share. Each returns a queryset that loads what its page shows in a fixed
number of queries, however many classes or participants there are."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from classes.models import LISTED_STATUS_VALUES, VirtualClass
from learning_platform.models import User


def upcoming_classes(
    *,
    class_type: str = "",
    status: str = "",
    has_free_seats: bool = False,
) -> QuerySet[VirtualClass]:
    """Classes that have not started yet, soonest first, with their host: the scheduled ones
    unless a `status` is asked for (never the pending ones).

    Each offered filter has an index that holds only the rows it shows, in the list's order
    (start, then id): scheduled classes (`class_open_start_idx`), scheduled classes of a type
    (`class_open_type_start_idx`), and scheduled classes with a free seat
    (`class_open_free_start_idx`, on the SQL databases: its condition compares two columns). A
    page is then one short range of one index, however deep it is (see
    learning_platform.pagination.keyset_page).
    """
    # Pending bookings are their host's and staff's alone until confirmed: never listed.
    if status == VirtualClass.Status.PENDING:
        return VirtualClass.objects.none()
    statuses = [status] if status else LISTED_STATUS_VALUES
    classes = VirtualClass.objects.filter(
        status__in=statuses, starts_at__gt=timezone.now()
    ).select_related("booked_by")
    if class_type:
        classes = classes.filter(class_type=class_type)
    if has_free_seats:
        classes = classes.filter(current_participants__lt=F("max_participants"))
    return classes.order_by("starts_at", "pk")


def visible_to(classes: QuerySet[VirtualClass], *, viewer) -> QuerySet[VirtualClass]:
    """`classes` narrowed to those `viewer` (a user, or anonymous) may see: a booking waiting
    for confirmation is its host's and staff's alone. The pages and the API both ask here; an
    id outside it is answered as if no such class existed."""
    if viewer.is_authenticated and viewer.is_staff:
        return classes
    hidden = Q(status=VirtualClass.Status.PENDING)
    if viewer.is_authenticated:
        hidden &= ~Q(booked_by=viewer)
    return classes.exclude(hidden)


def class_with_people() -> QuerySet[VirtualClass]:
    """Classes with their host, task and participants (by name), for the detail page."""
    return VirtualClass.objects.select_related("booked_by", "task").prefetch_related(
        Prefetch("participants", queryset=User.objects.order_by("username"))
    )


def next_class(*, user: User) -> VirtualClass | None:
    """The learner's next class, hosted or joined, that has not ended yet (one in progress
    counts: its call may be open), with its host; None when there is none. One query."""
    return (
        VirtualClass.objects.filter(
            activities__user=user,
            status__in=VirtualClass.OPEN_STATUSES,
            ends_at__gt=timezone.now(),
        )
        .select_related("booked_by")
        .order_by("starts_at", "pk")
        .first()
    )


# Members may open the call a little before the start, to check their sound.
CALL_OPENS_BEFORE = timedelta(minutes=15)


@dataclass(frozen=True)
class Call:
    """What a member is told about the class's call: `state` is "open" (offer `url` now),
    "soon" (it opens at `opens_at`), "no-link" (open, but the host gave no link) or
    "unconfirmed" (a pending class has no call until the school confirms it)."""

    state: str
    opens_at: datetime
    url: str = ""


def call_for(
    *, virtual_class: VirtualClass, member: bool, now: datetime | None = None
) -> Call | None:
    """The call as `virtual_class`'s host or participant sees it now; None for anyone else and
    once the class is over or cancelled: the meeting link is offered only from
    CALL_OPENS_BEFORE the start until the end."""
    if not member:
        return None
    now = now or timezone.now()
    opens_at = virtual_class.starts_at - CALL_OPENS_BEFORE
    if now >= virtual_class.ends_at or not virtual_class.is_open:
        return None
    if virtual_class.status == VirtualClass.Status.PENDING:
        return Call("unconfirmed", opens_at)
    if now < opens_at:
        return Call("soon", opens_at)
    if not virtual_class.meeting_url:
        return Call("no-link", opens_at)
    return Call("open", opens_at, virtual_class.meeting_url)


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
