from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import In
from django.utils import timezone

from learning_platform.ids import ObjectIdField


class ClassStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    PENDING = "pending", "Pending confirmation"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


# Scheduled or pending: a class that can still take place.
OPEN_STATUS_VALUES = [ClassStatus.SCHEDULED.value, ClassStatus.PENDING.value]


class StatusIn(In):
    """`status__in` on classes, with the statuses written into the SQL rather than bound as
    parameters: SQLite uses a partial index only when the query repeats the index's condition
    in constants, and the class list's indexes hold open classes only. Only known statuses are
    written in; any other value is bound as usual. (MongoDB compiles it as any `in`.)"""

    def as_sql(self, compiler, connection):
        values = list(self.rhs) if isinstance(self.rhs, (list, tuple, set)) else None
        if not values or any(value not in ClassStatus.values for value in values):
            return super().as_sql(compiler, connection)
        lhs, params = self.process_lhs(compiler, connection)
        quoted = ", ".join(f"'{value}'" for value in values)  # as the index writes them
        return f"{lhs} IN ({quoted})", params


class ClassType(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GRUPAL = "grupal", "Group"


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

    id = ObjectIdField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    learning_focus = models.CharField(max_length=200, blank=True)
    # PROTECT: a host's classes (and so everyone's activities in them) outlive a careless delete.
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="hosted_classes",
        verbose_name="host",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="joined_classes", blank=True
    )
    # Seats taken, host included: always 1 + participants. Kept by the participants signal.
    current_participants = models.PositiveSmallIntegerField(default=1, editable=False)
    max_participants = models.PositiveSmallIntegerField(
        help_text="Seats in all, the host included. Individual classes have exactly one.",
        validators=[MaxValueValidator(MAX_SEATS)],
    )
    class_type = models.CharField(max_length=16, choices=ClassType)
    status = models.CharField(max_length=16, choices=ClassStatus, default=ClassStatus.SCHEDULED)
    status.register_lookup(StatusIn)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    meeting_url = models.URLField(blank=True)
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="virtual_classes",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "virtual class"
        verbose_name_plural = "virtual classes"
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
                condition=Q(status__in=OPEN_STATUS_VALUES),
                name="class_open_start_idx",
            ),
            models.Index(
                fields=["class_type", "starts_at", "id"],
                condition=Q(status__in=OPEN_STATUS_VALUES),
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
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The class must end after it starts."
        elif self.starts_at and self.ends_at and self.ends_at - self.starts_at > self.LONGEST:
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
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
