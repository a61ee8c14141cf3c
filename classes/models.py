from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning_platform.ids import ObjectIdField
from learning_platform.text import text_validators


class ClassStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PENDING = "pending", _("Pending confirmation")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# Scheduled or pending: a class that can still take place.
# What the class list shows (pending bookings are their host's until confirmed): its indexes
# hold these rows only.
LISTED_STATUS_VALUES = [ClassStatus.SCHEDULED.value]


class StatusIn(In):
    """`status__in` on classes, with the statuses written into the SQL rather than bound as
    parameters: SQLite uses a partial index only when the query repeats the index's condition
    in constants, and the class list's indexes hold listed classes only. Only known statuses are
    written in; any other value is bound as usual. (MongoDB compiles it as any `in`.)"""

    def as_sql(self, compiler, connection):
        values = list(self.rhs) if isinstance(self.rhs, (list, tuple, set)) else None
        if not values or any(value not in ClassStatus.values for value in values):
            return super().as_sql(compiler, connection)
        lhs, params = self.process_lhs(compiler, connection)
        quoted = ", ".join(f"'{value}'" for value in values)  # as the index writes them
        return f"{lhs} IN ({quoted})", params


class ClassType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GRUPAL = "grupal", _("Group")


class VirtualClass(models.Model):
    """A live class booked by a learner (the host), which other learners may join."""

    Type = ClassType
    Status = ClassStatus

    OPEN_STATUSES = (ClassStatus.SCHEDULED, ClassStatus.PENDING)
    MAX_SEATS = 100
    # A live class is scheduled within reach and lasts a sitting; the bounds also keep dates far
    # from the calendar's ends, where converting between time zones overflows.
    BOOKABLE_AHEAD = timedelta(days=2 * 365)
    EARLIEST_START = datetime(2000, 1, 1, tzinfo=UTC)
    LONGEST = timedelta(hours=12)
    DESCRIPTION_MAX_LENGTH = 2000

    id = ObjectIdField()
    # Text fields are bounded and refuse NUL bytes in the model (every entry point) and forms.
    title = models.CharField(_("title"), max_length=200, validators=text_validators())
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=text_validators(DESCRIPTION_MAX_LENGTH),
    )
    learning_focus = models.CharField(
        _("learning focus"), max_length=200, blank=True, validators=text_validators()
    )
    # PROTECT: a host's classes (and so everyone's activities in them) outlive a careless delete.
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="hosted_classes",
        verbose_name=_("host"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="joined_classes",
        blank=True,
        verbose_name=_("participants"),
    )
    # Seats taken, host included: always 1 + participants. Kept by the participants signal.
    current_participants = models.PositiveSmallIntegerField(
        _("seats taken"), default=1, editable=False
    )
    max_participants = models.PositiveSmallIntegerField(
        _("seats"),
        help_text=_("Seats in all, the host included. Individual classes have exactly one."),
        validators=[MaxValueValidator(MAX_SEATS)],
    )
    class_type = models.CharField(_("type"), max_length=16, choices=ClassType)
    status = models.CharField(
        _("status"), max_length=16, choices=ClassStatus, default=ClassStatus.SCHEDULED
    )
    status.register_lookup(StatusIn)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    meeting_url = models.URLField(_("meeting link"), blank=True, validators=text_validators())
    # Why staff declined a booking, for its host; empty otherwise.
    decline_reason = models.TextField(
        _("why declined"),
        blank=True,
        editable=False,
        validators=text_validators(DESCRIPTION_MAX_LENGTH),
    )
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="virtual_classes",
        verbose_name=_("task"),
    )
    # Raised on every change of time or status, for calendars: a calendar keeps the copy of
    # an event with the highest SEQUENCE for its UID.
    sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_("Raised on every change of time or status, for calendars."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("virtual class")
        verbose_name_plural = _("virtual classes")
        ordering = ["starts_at"]
        indexes = [
            # The learner list: open classes by start. The staff list: all classes by start.
            models.Index(fields=["status", "starts_at"], name="class_status_start_idx"),
            models.Index(fields=["starts_at"], name="class_start_idx"),
            # The learner list's pages (open classes by start, then id), whole and by type: each
            # holds only the rows its list shows, so a page reads one short range. (The free-seat
            # list's index compares two columns, which MongoDB cannot: it is made by migration
            # 0005 on the SQL databases only.)
            models.Index(
                fields=["starts_at", "id"],
                condition=Q(status__in=LISTED_STATUS_VALUES),
                name="class_open_start_idx",
            ),
            models.Index(
                fields=["class_type", "starts_at", "id"],
                condition=Q(status__in=LISTED_STATUS_VALUES),
                name="class_open_type_start_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(class_type__in=ClassType.values), name="class_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClassStatus.values), name="class_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_participants__gte=1), name="class_max_participants_at_least_1"
            ),
            models.CheckConstraint(
                condition=Q(class_type="individual", max_participants=1)
                | Q(class_type="grupal", max_participants__gte=2),
                name="class_seats_match_type",
            ),
            models.CheckConstraint(
                condition=Q(current_participants__gte=1)
                & Q(current_participants__lte=F("max_participants")),
                name="class_current_participants_within_seats",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="class_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.class_type == self.Type.INDIVIDUAL and self.max_participants not in (None, 1):
            errors["max_participants"] = "An individual class has exactly one seat."
        if self.class_type == self.Type.GRUPAL and (self.max_participants or 0) < 2:
            errors["max_participants"] = "A group class needs at least two seats."
        if self.starts_at and self.starts_at > timezone.now() + self.BOOKABLE_AHEAD:
            errors["starts_at"] = "A class can be scheduled at most two years ahead."
        if self.starts_at and self.starts_at < self.EARLIEST_START:
            errors["starts_at"] = "A class cannot start before the year 2000."
        if self.starts_at and self.ends_at and _utc(self.ends_at) <= _utc(self.starts_at):
            errors["ends_at"] = "The class must end after it starts."
        elif (
            self.starts_at
            and self.ends_at
            and _utc(self.ends_at) - _utc(self.starts_at) > self.LONGEST
        ):
            errors["ends_at"] = "A class lasts at most twelve hours."
        if errors:
            raise ValidationError(errors)

    @property
    def seats_left(self) -> int:
        return self.max_participants - self.current_participants

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


def _utc(moment: datetime) -> datetime:
    """The same instant in UTC. Python subtracts and compares two times of one zone on the wall
    clock, which across a change to or from summer time is an hour off the time that passes."""
    try:
        return moment.astimezone(UTC) if timezone.is_aware(moment) else moment
    except OverflowError:  # at the calendar's ends, refused by the bounds anyway
        return moment


class WaitlistEntry(models.Model):
    """A learner waiting for a seat in a full class. The earliest entry is promoted first."""

    id = ObjectIdField()
    virtual_class = models.ForeignKey(
        VirtualClass, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["virtual_class", "user"], name="waitlist_one_per_class_and_user"
            ),
        ]
        indexes = [
            # The promotion order: a class's entries, earliest first.
            models.Index(fields=["virtual_class", "created_at"], name="waitlist_class_order_idx"),
        ]

    def __str__(self):
        return f"{self.user} waiting for {self.virtual_class}"
