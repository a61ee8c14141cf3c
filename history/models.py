from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learning_platform.ids import ObjectIdField


class Action(models.TextChoices):
    """What happened: the fixed vocabulary of the log. Messages are chosen per action
    (notifications.rules), so a new action is added here and, if anyone is told, there."""

    CLASS_BOOKED = "class_booked", _("Class booked")
    CLASS_CONFIRMED = "class_confirmed", _("Booking confirmed")
    CLASS_DECLINED = "class_declined", _("Booking declined")
    CLASS_JOINED = "class_joined", _("Joined a class")
    CLASS_LEFT = "class_left", _("Left a class")
    PARTICIPANT_ADDED = "participant_added", _("Participant added by staff")
    PARTICIPANT_REMOVED = "participant_removed", _("Participant removed by staff")
    CLASS_EDITED = "class_edited", _("Class details edited")
    CLASS_MOVED = "class_moved", _("Class moved")
    SEATS_CHANGED = "seats_changed", _("Seats changed")
    CLASS_CANCELLED = "class_cancelled", _("Class cancelled")
    CLASS_COMPLETED = "class_completed", _("Class completed")
    WAITLIST_JOINED = "waitlist_joined", _("Joined the waiting list")
    WAITLIST_LEFT = "waitlist_left", _("Left the waiting list")
    WAITLIST_PROMOTED = "waitlist_promoted", _("Promoted from the waiting list")
    TASK_ATTACHED = "task_attached", _("Task attached")
    TASK_COMPLETED = "task_completed", _("Task completed")
    INTEGRITY_REPAIRED = "integrity_repaired", _("Records repaired")


class ActorKind(models.TextChoices):
    LEARNER = "learner", _("Learner")
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("System")


class AppendOnlyError(Exception):
    """History is written once: an entry is never changed or deleted."""


class LogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Log entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Log entries cannot be deleted.")


class LogEntry(models.Model):
    Action = Action
    ActorKind = ActorKind

    id = ObjectIdField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Who acted: a learner, a staff member, or nobody (the system: a command, cron).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_kind = models.CharField(max_length=16, choices=ActorKind)
    action = models.CharField(max_length=32, choices=Action)
    # PROTECT everywhere: the log outlives nothing it speaks of quietly.
    virtual_class = models.ForeignKey(
        "classes.VirtualClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="log_entries",
    )
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="log_entries",
    )
    details = models.JSONField(default=dict, blank=True)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["virtual_class", "-created_at"], name="log_class_time_idx"),
            models.Index(fields=["learner", "-created_at"], name="log_learner_time_idx"),
            models.Index(fields=["action", "-created_at"], name="log_action_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=Action.values), name="log_action_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(actor_kind__in=ActorKind.values), name="log_actor_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Log entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Log entries cannot be deleted.")
