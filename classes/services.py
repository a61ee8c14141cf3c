"""The rules of booking, joining, leaving, cancelling and closing classes.

Pages, admin, commands and the API all call these functions. Seat counts move only here, and only
through conditional updates, so two learners racing for the last seat cannot both get it even
where row locks are not available (MongoDB ignores select_for_update; see learning_platform/db.py
for how a rule stays all-or-nothing there).
"""

from collections.abc import Collection
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from classes.models import VirtualClass
from learning_platform.db import undo_on_failure
from learning_platform.models import User


class ClassError(ValidationError):
    """A class rule refused the change; the message is written for the learner."""


def book_class(
    *,
    host: User,
    title: str,
    class_type: str,
    starts_at: datetime,
    ends_at: datetime,
    max_participants: int | None = None,
    description: str = "",
    learning_focus: str = "",
    meeting_url: str = "",
    status: str = VirtualClass.Status.SCHEDULED,
) -> VirtualClass:
    """Book a class with `host` as its host. The host's activity is created by a signal."""
    if max_participants is None and class_type == VirtualClass.Type.INDIVIDUAL:
        max_participants = 1
    virtual_class = VirtualClass(
        booked_by=host,
        title=title,
        class_type=class_type,
        starts_at=starts_at,
        ends_at=ends_at,
        max_participants=max_participants,
        description=description,
        learning_focus=learning_focus,
        meeting_url=meeting_url,
        status=status,
    )
    try:
        virtual_class.full_clean()
    except ValidationError as exc:
        raise ClassError(exc.message_dict) from exc
    if starts_at <= timezone.now():
        raise ClassError({"starts_at": "A class can only be booked to start in the future."})
    with transaction.atomic(), undo_on_failure() as on_failure:
        # The save inserts the class, then its signal records the host's activity; if that
        # fails, the class must not stay behind without one.
        on_failure(lambda: _forget(virtual_class))
        virtual_class.save(force_insert=True)
    return virtual_class


def why_cannot_join(*, user: User, virtual_class: VirtualClass) -> str | None:
    """The reason `user` may not join `virtual_class` now, or None if they may."""
    if virtual_class.booked_by_id == user.pk:
        return "You are the host of this class."
    if virtual_class.participants.filter(pk=user.pk).exists():
        return "You have already joined this class."
    if virtual_class.status == VirtualClass.Status.CANCELLED:
        return "This class has been cancelled."
    if virtual_class.status == VirtualClass.Status.COMPLETED:
        return "This class has already taken place."
    if virtual_class.has_started:
        return "This class has already started."
    if virtual_class.seats_left <= 0:
        return _("This class is full.")
    return None


def why_cannot_leave(*, user: User, virtual_class: VirtualClass) -> str | None:
    """The reason `user` may not leave `virtual_class` now, or None if they may."""
    if virtual_class.booked_by_id == user.pk:
        return "The host cannot leave their own class; cancel it instead."
    activity = virtual_class.activities.filter(user=user).only("completed").first()
    if activity is None:
        return "You have not joined this class."
    if activity.completed:
        return "You have completed this class; its record stays."
    if virtual_class.has_started:
        return "This class has already started."
    return None


def join_class(*, user: User, virtual_class: VirtualClass) -> VirtualClass:
    """Add `user` to the class's participants; the signal records the activity and the seat."""
    with transaction.atomic():
        locked = lock_class(virtual_class.pk)
        if reason := why_cannot_join(user=user, virtual_class=locked):
            raise ClassError(reason)
        locked.participants.add(user)
    return locked


def leave_class(*, user: User, virtual_class: VirtualClass) -> VirtualClass:
    """Remove `user` from the participants; the signal deletes the activity and frees the seat."""
    with transaction.atomic():
        locked = lock_class(virtual_class.pk)
        if reason := why_cannot_leave(user=user, virtual_class=locked):
            raise ClassError(reason)
        locked.participants.remove(user)
    return locked


def why_cannot_cancel(*, by: User, virtual_class: VirtualClass) -> str | None:
    """The reason `by` may not cancel `virtual_class` now, or None if they may."""
    if not (by.is_staff or by.pk == virtual_class.booked_by_id):
        return "Only the host or staff can cancel this class."
    if not virtual_class.is_open:
        return f"This class is already {virtual_class.get_status_display().lower()}."
    return None


def cancel_class(*, virtual_class: VirtualClass, by: User) -> VirtualClass:
    """Cancel a scheduled or pending class. Only its host or staff may; activities are kept."""
    if reason := why_cannot_cancel(by=by, virtual_class=virtual_class):
        raise ClassError(reason)
    # Conditional: the class may have been cancelled or completed since it was read.
    changed = VirtualClass.objects.filter(
        pk=virtual_class.pk, status__in=VirtualClass.OPEN_STATUSES
    ).update(status=VirtualClass.Status.CANCELLED, updated_at=timezone.now())
    virtual_class.refresh_from_db(fields=["status", "updated_at"])
    if not changed:
        raise ClassError(why_cannot_cancel(by=by, virtual_class=virtual_class))
    return virtual_class


def complete_classes(*, classes: QuerySet[VirtualClass]) -> int:
    """Mark the scheduled or pending classes among `classes` completed; returns how many."""
    return classes.filter(status__in=VirtualClass.OPEN_STATUSES).update(
        status=VirtualClass.Status.COMPLETED, updated_at=timezone.now()
    )


def take_seats(*, virtual_class: VirtualClass, user_ids: Collection[str]) -> None:
    """Seat new participants, refusing the host and any seat beyond the class's capacity."""
    if virtual_class.booked_by_id in user_ids:
        raise ClassError("The host cannot join their own class as a participant.")
    count = len(user_ids)
    # One conditional update: the capacity check and the increment cannot be split by a race.
    taken = VirtualClass.objects.filter(
        pk=virtual_class.pk, current_participants__lte=F("max_participants") - count
    ).update(current_participants=F("current_participants") + count)
    if not taken:
        raise ClassError(_("This class is full."))
    virtual_class.refresh_from_db(fields=["current_participants"])


def release_seats(*, virtual_class: VirtualClass, count: int) -> None:
    if not count:
        return
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        current_participants=F("current_participants") - count
    )
    virtual_class.refresh_from_db(fields=["current_participants"])


def lock_class(pk: str) -> VirtualClass:
    """The class re-read under a row lock, for a rule to check and change it: its seats and its
    task are the scarce things to guard.

    MongoDB has no row locks (the backend ignores select_for_update): there the checks read
    without one, and the conditional updates in take_seats and the activity services decide.
    """
    return VirtualClass.objects.select_for_update().get(pk=pk)


def _forget(virtual_class: VirtualClass) -> None:
    """Delete a class that was just inserted, with whatever activity it got."""
    virtual_class.activities.all().delete()
    VirtualClass.objects.filter(pk=virtual_class.pk).delete()
