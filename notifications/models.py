from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learning_platform.ids import ObjectIdField


class Kind(models.TextChoices):
    BOOKING_MADE = "booking_made", _("Booking made")
    BOOKING_CONFIRMED = "booking_confirmed", _("Booking confirmed")
    BOOKING_DECLINED = "booking_declined", _("Booking declined")
    JOINED = "joined", _("Joined a class")
    PROMOTED = "promoted", _("Promoted from the waiting list")
    WAITLIST_JOINED = "waitlist_joined", _("On the waiting list")
    WAITLIST_LEFT = "waitlist_left", _("Left the waiting list")
    CLASS_MOVED = "class_moved", _("Class moved")
    CLASS_CANCELLED = "class_cancelled", _("Class cancelled")
    TASK_ATTACHED = "task_attached", _("Task attached")
    REMINDER = "reminder", _("Reminder")


class Message(models.Model):
    """One e-mail to send: written in the same transaction as the change it tells of, sent after.

    `next_attempt_at` is when a sender may next take it; a sender claims a message by moving
    that time forward with a conditional update, so two senders never send it twice.
    """

    Kind = Kind

    id = ObjectIdField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=32, choices=Kind)
    virtual_class = models.ForeignKey(
        "classes.VirtualClass",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    log_entry = models.ForeignKey(
        "history.LogEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    # What the templates render, frozen when the message is written (times as ISO strings).
    data = models.JSONField(default=dict, blank=True)
    # Reminders only: the start they were for. A class moved after its reminder went out gets
    # a new one for the new start; the same start never gets a second.
    reminder_for = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sent_at", "next_attempt_at"], name="message_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="message_kind_valid"),
            models.UniqueConstraint(
                fields=["recipient", "virtual_class", "reminder_for"],
                condition=Q(kind="reminder"),
                name="message_one_reminder_per_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient}"

    @property
    def failed(self) -> bool:
        return self.sent_at is None and bool(self.last_error)
