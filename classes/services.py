"""The rules of booking, joining, leaving, cancelling and closing classes.

Pages, admin, commands and the API all call these functions. Seat counts move only here, and only
through conditional updates, so two learners racing for the last seat cannot both get it even
where row locks are not available (MongoDB ignores select_for_update; see learning_platform/db.py
for how a rule stays all-or-nothing there).
"""

from collections.abc import Collection
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import history
from activities.models import UserActivity
from classes.models import VirtualClass, WaitlistEntry
from history.models import Action
from learning_platform.db import rolls_back, undo_on_failure
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
    status: str | None = None,
) -> VirtualClass:
    """Book a class with `host` as its host. The host's activity is created by a signal.

    It starts pending when the school confirms bookings (BOOKINGS_NEED_CONFIRMATION), else
    scheduled; `status` is for the demo data alone.
    """
    if status is None:
        status = initial_status()
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
        # The model's own checks say each rule in the learner's words; the database constraints
        # (checked again on insert) and the id's uniqueness would cost a query each here.
        virtual_class.full_clean(
            exclude=["booked_by"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        raise ClassError(exc.message_dict) from exc
    if starts_at <= timezone.now():
        raise ClassError({"starts_at": _("A class can only be booked to start in the future.")})
    with transaction.atomic(), undo_on_failure() as on_failure:
        # The save inserts the class, then its signal records the host's activity; if that
        # fails, the class must not stay behind without one.
        on_failure(lambda: _forget(virtual_class))
        virtual_class.save(force_insert=True)
        history.record(
            action=Action.CLASS_BOOKED,
            actor=host,
            virtual_class=virtual_class,
            learner=host,
            status=virtual_class.status,
        )
    return virtual_class


def initial_status() -> str:
    """The status of a new booking: pending when the school confirms bookings. Read at each
    booking, so the setting can change while the site runs (and in tests)."""
    if settings.BOOKINGS_NEED_CONFIRMATION:
        return VirtualClass.Status.PENDING
    return VirtualClass.Status.SCHEDULED


# The one refusal that offers a way on (the waiting list): pages compare against it.
CLASS_FULL = gettext_lazy("This class is full.")


def why_cannot_join(
    *, user: User, virtual_class: VirtualClass, joined: bool | None = None
) -> str | None:
    """The reason `user` may not join `virtual_class` now, or None if they may.

    `joined`, when the caller already knows whether `user` is a participant, saves a query.
    """
    if virtual_class.booked_by_id == user.pk:
        return _("You are the host of this class.")
    if joined is None:
        joined = user.is_authenticated and (virtual_class.participants.filter(pk=user.pk).exists())
    if joined:
        return _("You have already joined this class.")
    if virtual_class.status == VirtualClass.Status.CANCELLED:
        return _("This class has been cancelled.")
    if virtual_class.status == VirtualClass.Status.COMPLETED:
        return _("This class has already taken place.")
    if virtual_class.is_pending:
        return _("This class is waiting for the school to confirm it.")
    if virtual_class.has_started:
        return _("This class has already started.")
    if virtual_class.seats_left <= 0:
        return str(CLASS_FULL)
    return None


NOT_WAITING = gettext_lazy("You are not on the waiting list of this class.")


def why_cannot_wait(*, user: User, virtual_class: VirtualClass) -> str | None:
    """The reason `user` may not join the waiting list of `virtual_class`, or None if they may:
    only a learner refused because a group class is full may wait (an individual class's one
    seat is its host's and never frees)."""
    if virtual_class.waitlist_entries.filter(user=user).exists():
        return _("You are already on the waiting list.")
    reason = why_cannot_join(user=user, virtual_class=virtual_class)
    if reason is None:
        return _("This class has a free seat: join it instead.")
    if reason != CLASS_FULL:
        return reason
    if virtual_class.class_type == VirtualClass.Type.INDIVIDUAL:
        return _("An individual class has one seat, taken by its host: it has no waiting list.")
    return None


def why_cannot_leave(*, user: User, virtual_class: VirtualClass) -> str | None:
    """The reason `user` may not leave `virtual_class` now, or None if they may."""
    if virtual_class.booked_by_id == user.pk:
        return _("The host cannot leave their own class; cancel it instead.")
    # Only the flag: an activity read through the class's relation would fetch its deferred
    # class id again to link it back.
    completed = (
        UserActivity.objects.filter(virtual_class=virtual_class, user=user)
        .values_list("completed", flat=True)
        .first()
    )
    if completed is None:
        return _("You have not joined this class.")
    if completed:
        return _("You have completed this class; its record stays.")
    if virtual_class.has_started:
        return _("This class has already started.")
    return None


def join_class(*, user: User, virtual_class: VirtualClass) -> VirtualClass:
    """Add `user` to the class's participants; the signal records the activity and the seat."""
    with transaction.atomic():
        locked = lock_class(virtual_class.pk, joined_by=user)
        if reason := why_cannot_join(user=user, virtual_class=locked, joined=locked.joined):
            raise ClassError(reason)
        # Read under the lock in this transaction: its task is the class's task now, so the
        # join signal need not read it again (activities.services.record_participants_joined).
        locked.task_is_current = rolls_back()
        try:
            locked.participants.add(user)
        finally:
            locked.task_is_current = False  # only while the lock is held
        history.record(action=Action.CLASS_JOINED, actor=user, virtual_class=locked, learner=user)
    return locked


def leave_class(*, user: User, virtual_class: VirtualClass) -> VirtualClass:
    """Remove `user` from the participants; the signal deletes the activity and frees the seat,
    which goes to the earliest learner waiting."""
    with transaction.atomic():
        locked = lock_class(virtual_class.pk)
        if reason := why_cannot_leave(user=user, virtual_class=locked):
            raise ClassError(reason)
        locked.participants.remove(user)
        history.record(action=Action.CLASS_LEFT, actor=user, virtual_class=locked, learner=user)
        # The copy read under the lock follows the seat the removal freed: nothing to re-read.
        promote_waiting(virtual_class=locked, up_to_date=rolls_back())
    return locked


def join_waitlist(*, user: User, virtual_class: VirtualClass) -> WaitlistEntry:
    """Put `user` on the waiting list of a full class."""
    with transaction.atomic():
        locked = lock_class(virtual_class.pk)
        if reason := why_cannot_wait(user=user, virtual_class=locked):
            raise ClassError(reason)
        try:
            with transaction.atomic():
                entry = WaitlistEntry.objects.create(virtual_class=locked, user=user)
        except IntegrityError as exc:  # the same learner, twice at once
            raise ClassError(_("You are already on the waiting list.")) from exc
        history.record(
            action=Action.WAITLIST_JOINED, actor=user, virtual_class=locked, learner=user
        )
        # Without a row lock (MongoDB) a seat may have freed between the check and the insert,
        # with nobody on the list to take it: the learner takes it now.
        promote_waiting(virtual_class=locked)
    return entry


def why_cannot_leave_waitlist(*, user: User, virtual_class: VirtualClass) -> str | None:
    """The reason `user` may not leave the waiting list of `virtual_class`, or None if they may."""
    if not virtual_class.waitlist_entries.filter(user=user).exists():
        return NOT_WAITING
    return None


def leave_waitlist(*, user: User, virtual_class: VirtualClass) -> None:
    """Take `user` off the waiting list of the class; allowed at any time."""
    with transaction.atomic():
        deleted, _ = WaitlistEntry.objects.filter(virtual_class=virtual_class, user=user).delete()
        if not deleted:
            raise ClassError(NOT_WAITING)
        history.record(
            action=Action.WAITLIST_LEFT, actor=user, virtual_class=virtual_class, learner=user
        )


def waitlist_position(*, user: User, virtual_class: VirtualClass) -> int | None:
    """`user`'s place in the class's waiting list (1 is next), or None if not waiting."""
    entry = WaitlistEntry.objects.filter(virtual_class=virtual_class, user=user).first()
    if entry is None:
        return None
    ahead = WaitlistEntry.objects.filter(virtual_class=virtual_class).filter(
        Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lt=entry.pk)
    )
    return ahead.count() + 1


def promote_waiting(*, virtual_class: VirtualClass, up_to_date: bool = False) -> list[str]:
    """Give the class's free seats to the earliest waiting learners; returns their ids.

    `up_to_date`: the caller read `virtual_class` under the class lock in this transaction and
    it follows every change since (its seat count moves with each join and leave made on it),
    so it is used as it is instead of being read again.

    Every path that frees a seat calls this inside its own transaction. Each promotion claims
    its entry by deleting it (one conditional single-row write: of two promoters racing, one
    deletes it), then joins through participants.add, so the activity and the seat come from
    the join signal and the seat is taken by its conditional update. If the class filled up
    meanwhile, the entry goes back as it was and the learner keeps their place.
    """
    promoted = []
    while True:
        current = virtual_class if up_to_date else VirtualClass.objects.get(pk=virtual_class.pk)
        if (
            current.status != VirtualClass.Status.SCHEDULED
            or current.has_started
            or current.seats_left <= 0
        ):
            break
        entry = current.waitlist_entries.order_by("created_at", "pk").first()
        if entry is None:
            break
        claimed, _ = WaitlistEntry.objects.filter(pk=entry.pk).delete()
        if not claimed:
            continue  # another promotion took this learner
        try:
            with transaction.atomic(), undo_on_failure() as on_failure:
                on_failure(partial(_restore_entry, entry))
                current.participants.add(entry.user_id)
        except ValidationError:
            if rolls_back():  # the savepoint undid the join, not the claim made before it
                _restore_entry(entry)
            break
        promoted.append(entry.user_id)
        history.record(
            action=Action.WAITLIST_PROMOTED, virtual_class=current, learner=entry.user_id
        )
    if not up_to_date:
        virtual_class.refresh_from_db(fields=["current_participants"])
    return promoted


def why_cannot_cancel(*, by: User, virtual_class: VirtualClass) -> str | None:
    """The reason `by` may not cancel `virtual_class` now, or None if they may."""
    if not (by.is_staff or by.pk == virtual_class.booked_by_id):
        return _("Only the host or staff can cancel this class.")
    if not virtual_class.is_open:
        return _("This class is already %(status)s.") % {
            "status": virtual_class.get_status_display().lower()
        }
    if virtual_class.has_started:
        # What took place stays on the record; completed activities count it.
        return _("This class has already started; only classes yet to start can be cancelled.")
    return None


def cancel_class(*, virtual_class: VirtualClass, by: User) -> VirtualClass:
    """Cancel a scheduled or pending class that has not started. Only its host or staff may;
    activities are kept, the waiting list is emptied."""
    if reason := why_cannot_cancel(by=by, virtual_class=virtual_class):
        raise ClassError(reason)
    with transaction.atomic():
        # Conditional: the class may have been cancelled or completed since it was read.
        changed = VirtualClass.objects.filter(
            pk=virtual_class.pk,
            status__in=VirtualClass.OPEN_STATUSES,
            starts_at__gt=timezone.now(),
        ).update(
            status=VirtualClass.Status.CANCELLED,
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )
        virtual_class.refresh_from_db(fields=["status", "sequence", "updated_at"])
        if not changed:
            raise ClassError(why_cannot_cancel(by=by, virtual_class=virtual_class))
        _activities_cancelled([virtual_class.pk])
        waiting = list(virtual_class.waitlist_entries.values_list("user_id", flat=True))
        virtual_class.waitlist_entries.all().delete()
        # The learners who were waiting are told too: their entries are gone with the list.
        history.record(
            action=Action.CLASS_CANCELLED,
            actor=by,
            virtual_class=virtual_class,
            waiting_learner_ids=waiting,
        )
    return virtual_class


def why_cannot_decide(*, by: User, virtual_class: VirtualClass) -> str | None:
    """The reason `by` may not confirm or decline `virtual_class`, or None if they may."""
    if not by.is_staff:
        return _("Only staff can confirm or decline a booking.")
    if not virtual_class.is_pending:
        return _("This class is %(status)s, not pending.") % {
            "status": virtual_class.get_status_display().lower()
        }
    return None


def confirm_class(*, virtual_class: VirtualClass, by: User) -> VirtualClass:
    """Confirm a pending booking (staff): it becomes scheduled, listed and open to joins."""
    if reason := why_cannot_decide(by=by, virtual_class=virtual_class):
        raise ClassError(reason)
    with transaction.atomic():
        # Conditional: of a confirm and a decline racing, one wins and the other is refused.
        changed = VirtualClass.objects.filter(
            pk=virtual_class.pk, status=VirtualClass.Status.PENDING
        ).update(
            status=VirtualClass.Status.SCHEDULED,
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )
        virtual_class.refresh_from_db(fields=["status", "sequence", "updated_at"])
        if not changed:
            raise ClassError(why_cannot_decide(by=by, virtual_class=virtual_class))
        history.record(action=Action.CLASS_CONFIRMED, actor=by, virtual_class=virtual_class)
    return virtual_class


def decline_class(*, virtual_class: VirtualClass, by: User, reason: str) -> VirtualClass:
    """Decline a pending booking (staff): it is cancelled, with the reason for its host."""
    if refusal := why_cannot_decide(by=by, virtual_class=virtual_class):
        raise ClassError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise ClassError({"reason": _("Say why the booking is declined: its host will read it.")})
    with transaction.atomic():
        changed = VirtualClass.objects.filter(
            pk=virtual_class.pk, status=VirtualClass.Status.PENDING
        ).update(
            status=VirtualClass.Status.CANCELLED,
            decline_reason=reason,
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )
        virtual_class.refresh_from_db(fields=["status", "decline_reason", "sequence", "updated_at"])
        if not changed:
            raise ClassError(why_cannot_decide(by=by, virtual_class=virtual_class))
        _activities_cancelled([virtual_class.pk])
        history.record(
            action=Action.CLASS_DECLINED, actor=by, virtual_class=virtual_class, reason=reason
        )
    return virtual_class


EDITABLE_TEXT = ("title", "description", "learning_focus", "meeting_url")
EDITABLE_TIME = ("starts_at", "ends_at")
EDITABLE = (*EDITABLE_TEXT, *EDITABLE_TIME, "max_participants")


def why_cannot_update(*, by: User, virtual_class: VirtualClass) -> str | None:
    """The reason `by` may not change `virtual_class` at all now, or None if they may."""
    if not (by.is_staff or by.pk == virtual_class.booked_by_id):
        return _("Only the host or staff can change this class.")
    if not virtual_class.is_open:
        return _("This class is %(status)s; it cannot change.") % {
            "status": virtual_class.get_status_display().lower()
        }
    if virtual_class.has_ended:
        return _("This class has ended; it cannot change.")
    return None


def update_class(*, virtual_class: VirtualClass, by: User, **changes) -> VirtualClass:
    """Change a class (its host or staff): text until it ends; time and seats before it starts,
    within the booking bounds; seats never below those taken. Added seats promote waiting
    learners. Only the fields given that differ are written."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ClassError(
            _("These cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic(), undo_on_failure() as on_failure:
        locked = lock_class(virtual_class.pk)
        if reason := why_cannot_update(by=by, virtual_class=locked):
            raise ClassError(reason)
        changed = {name: value for name, value in changes.items() if getattr(locked, name) != value}
        before = {name: getattr(locked, name) for name in changed}
        errors = {}
        if locked.has_started:
            for name in (*EDITABLE_TIME, "max_participants"):
                if name in changed:
                    errors[name] = _("The class has started: its time and seats stay as they are.")
        new_start = changed.get("starts_at")
        if isinstance(new_start, datetime) and new_start <= timezone.now():
            errors["starts_at"] = "A class can only be moved to start in the future."
        seats = changed.pop("max_participants", None)
        if seats is not None and seats < locked.current_participants:
            errors["max_participants"] = (
                f"{locked.current_participants} seats are taken (the host included): "
                "there cannot be fewer seats than that."
            )
        if errors:
            raise ClassError(errors)
        probe = VirtualClass(
            **{f.attname: getattr(locked, f.attname) for f in locked._meta.concrete_fields}
        )
        for name, value in {
            **changed,
            **({} if seats is None else {"max_participants": seats}),
        }.items():
            setattr(probe, name, value)
        try:
            probe.full_clean(exclude=["booked_by", "task"], validate_unique=False)
        except ValidationError as exc:
            raise ClassError(exc.message_dict) from exc
        now = timezone.now()
        if changed:
            # Conditional: the class may have been cancelled or completed since it was read.
            moved = any(name in changed for name in EDITABLE_TIME)
            written = VirtualClass.objects.filter(
                pk=locked.pk, status__in=VirtualClass.OPEN_STATUSES
            ).update(
                **changed,
                # Calendars replace their copy of a moved class when its SEQUENCE rises.
                **({"sequence": F("sequence") + 1} if moved else {}),
                updated_at=now,
            )
            if not written:
                raise ClassError(_("This class changed meanwhile; it cannot change now."))
            on_failure(
                lambda: VirtualClass.objects.filter(pk=locked.pk).update(
                    **before, sequence=locked.sequence, updated_at=locked.updated_at
                )
            )
            if "starts_at" in changed:
                # The activities' copy of the start moves with the class (not their updated_at:
                # the learner's record did not change).
                activities = UserActivity.objects.filter(virtual_class=locked)
                activities.update(class_starts_at=changed["starts_at"])
                on_failure(lambda: activities.update(class_starts_at=locked.starts_at))
        if seats is not None:
            # One conditional update: a join racing this change cannot make the class oversold
            # (the seats taken are compared in the same write that sets the new number).
            written = VirtualClass.objects.filter(
                pk=locked.pk, current_participants__lte=seats, starts_at__gt=now
            ).update(max_participants=seats, updated_at=now)
            if not written:
                locked.refresh_from_db(fields=["current_participants"])
                raise ClassError(
                    {
                        "max_participants": f"{locked.current_participants} seats are taken "
                        "(the host included): there cannot be fewer seats than that."
                    }
                )
        _record_update(by=by, virtual_class=locked, before=before, seats=seats)
        if seats is not None and seats > locked.max_participants:
            promote_waiting(virtual_class=locked)
    virtual_class.refresh_from_db()
    return virtual_class


def complete_classes(*, classes: QuerySet[VirtualClass], by: User | None = None) -> int:
    """Mark the scheduled or pending classes among `classes` completed; returns how many.

    `by` is the staff member who closed them, or None for the housekeeping command.
    """
    with transaction.atomic():
        # Locked, so the classes recorded are exactly the ones this update changes.
        closing = list(
            classes.filter(status__in=VirtualClass.OPEN_STATUSES)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        changed = classes.filter(status__in=VirtualClass.OPEN_STATUSES).update(
            status=VirtualClass.Status.COMPLETED, updated_at=timezone.now()
        )
        history.record_each(action=Action.CLASS_COMPLETED, actor=by, virtual_class_ids=closing)
    return changed


def _record_update(
    *, by: User, virtual_class: VirtualClass, before: dict, seats: int | None
) -> None:
    """One log entry per kind of change: a move (its members are told), new seats, other text."""
    moved = set(EDITABLE_TIME) & set(before)
    if moved:
        history.record(
            action=Action.CLASS_MOVED,
            actor=by,
            virtual_class=virtual_class,
            old_starts_at=before.get("starts_at", virtual_class.starts_at),
            old_ends_at=before.get("ends_at", virtual_class.ends_at),
        )
    if seats is not None:
        history.record(
            action=Action.SEATS_CHANGED,
            actor=by,
            virtual_class=virtual_class,
            old_seats=virtual_class.max_participants,
            seats=seats,
        )
    if edited := sorted(set(before) - moved - {"max_participants"}):
        history.record(
            action=Action.CLASS_EDITED, actor=by, virtual_class=virtual_class, fields=edited
        )


UNCONFIRMED = gettext_lazy("The school did not confirm this booking before it was due to start.")


def cancel_unconfirmed_classes(*, classes: QuerySet[VirtualClass]) -> int:
    """Cancel the pending classes among `classes` (their start passed unconfirmed); returns
    how many. Their hosts are told why, as for a declined booking."""
    with transaction.atomic():
        # Locked, so the classes recorded are exactly the ones this update changes.
        cancelling = list(
            classes.filter(status=VirtualClass.Status.PENDING)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        changed = VirtualClass.objects.filter(
            pk__in=cancelling, status=VirtualClass.Status.PENDING
        ).update(
            status=VirtualClass.Status.CANCELLED,
            decline_reason=str(UNCONFIRMED),
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )
        _activities_cancelled(cancelling)
        history.record_each(
            action=Action.CLASS_DECLINED, virtual_class_ids=cancelling, reason=str(UNCONFIRMED)
        )
    return changed


def _activities_cancelled(class_ids: Collection[str]) -> None:
    """The activities of classes just cancelled say so (cancelling is never undone)."""
    UserActivity.objects.filter(virtual_class_id__in=class_ids).update(class_cancelled=True)


def forget_waiting(*, virtual_class: VirtualClass, user_ids: Collection[str]) -> None:
    """Learners who became participants are no longer waiting for a seat."""
    WaitlistEntry.objects.filter(virtual_class=virtual_class, user_id__in=user_ids).delete()


def take_seats(*, virtual_class: VirtualClass, user_ids: Collection[str]) -> None:
    """Seat new participants, refusing the host and any seat beyond the class's capacity."""
    if virtual_class.booked_by_id in user_ids:
        raise ClassError(_("The host cannot join their own class as a participant."))
    count = len(user_ids)
    # One conditional update: the capacity check and the increment cannot be split by a race.
    taken = VirtualClass.objects.filter(
        pk=virtual_class.pk, current_participants__lte=F("max_participants") - count
    ).update(current_participants=F("current_participants") + count)
    if not taken:
        raise ClassError(str(CLASS_FULL))
    # Not read back: the update decided; the copy in memory follows it.
    virtual_class.current_participants += count


def release_seats(*, virtual_class: VirtualClass, count: int) -> None:
    if not count:
        return
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        current_participants=F("current_participants") - count
    )
    virtual_class.current_participants -= count


def retake_seats(*, virtual_class: VirtualClass, count: int) -> None:
    """Undo release_seats for a removal that failed after it: the same learners stay seated."""
    if count:
        VirtualClass.objects.filter(pk=virtual_class.pk).update(
            current_participants=F("current_participants") + count
        )


def lock_class(pk: str, *, joined_by: User | None = None) -> VirtualClass:
    """The class re-read under a row lock, for a rule to check and change it: its seats and its
    task are the scarce things to guard. With `joined_by`, the same read says in `joined`
    whether that learner is among its participants.

    MongoDB has no row locks (the backend ignores select_for_update): there the checks read
    without one, and the conditional updates in take_seats and the activity services decide.
    """
    classes = VirtualClass.objects.select_for_update()
    if joined_by is not None:
        membership = VirtualClass.participants.through.objects.filter(
            virtualclass=OuterRef("pk"), user=joined_by
        )
        classes = classes.annotate(joined=Exists(membership))
    return classes.get(pk=pk)


def _forget(virtual_class: VirtualClass) -> None:
    """Delete a class that was just inserted, with whatever activity it got."""
    virtual_class.activities.all().delete()
    VirtualClass.objects.filter(pk=virtual_class.pk).delete()


def _restore_entry(entry: WaitlistEntry) -> None:
    """Put a claimed entry back exactly as it was: same id, same place in line."""
    try:
        with transaction.atomic():
            WaitlistEntry.objects.create(
                pk=entry.pk,
                virtual_class_id=entry.virtual_class_id,
                user_id=entry.user_id,
                created_at=entry.created_at,
            )
    except IntegrityError:
        pass  # the learner is waiting again already
