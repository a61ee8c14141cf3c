from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from classes.models import VirtualClass
from learning_platform.ids import ObjectIdField


class Rol(models.TextChoices):
    ANFITRION = "anfitrion", _("Host")
    PARTICIPANTE = "participante", _("Participant")


class UserActivity(models.Model):
    """One learner's part in one class (host or participant) and the task they hold there."""

    Rol = Rol

    id = ObjectIdField()
    # PROTECT everywhere: an activity is the learner's history; nothing deletes it by cascade.
    # No index of its own: every index below begins with the learner.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    virtual_class = models.ForeignKey(
        "classes.VirtualClass", on_delete=models.PROTECT, related_name="activities"
    )
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    rol = models.CharField(_("role"), max_length=16, choices=Rol)
    completed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Copies of the class's start and of whether it was cancelled (class_copies), so that a
    # learner's history is ordered and counted from this table's indexes without reading every
    # class. Written with the activity and by the rules that move or cancel its class, in the
    # same transaction; the integrity audit compares them with the class.
    class_starts_at = models.DateTimeField(editable=False)
    class_cancelled = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("user activity")
        verbose_name_plural = _("user activities")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "virtual_class"], name="activity_one_per_user_and_class"
            ),
            # Activities without a task do not collide: NULLs are distinct on every backend
            # (MongoDB's unique indexes skip them too), so no condition is needed, and MongoDB
            # could not build an index with one on `isnull`.
            models.UniqueConstraint(fields=["user", "task"], name="activity_one_per_user_and_task"),
            models.CheckConstraint(condition=Q(rol__in=Rol.values), name="activity_rol_valid"),
            models.CheckConstraint(
                condition=Q(completed=False) | Q(task__isnull=False),
                name="activity_completed_has_task",
            ),
        ]
        indexes = [
            # A learner's history by the class's start (My activities: the upcoming ones from
            # now on, the past back from now); its filters are checked in the index.
            models.Index(
                fields=["user", "class_starts_at", "id", "rol", "completed"],
                name="activity_user_start_idx",
            ),
            # My activities' counts: read from the index alone, a few entries per kind.
            models.Index(
                fields=["user", "rol", "completed", "class_cancelled"],
                name="activity_user_kinds_idx",
            ),
            # The API's history, newest first, in its order; its filters (completed or pending,
            # hosted or joined) are checked in the index, as above.
            models.Index(
                fields=["user", "-created_at", "-id", "completed", "rol"],
                name="activity_user_newest_idx",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.virtual_class} ({self.get_rol_display()})"

    @staticmethod
    def class_copies(virtual_class: VirtualClass) -> dict:
        """The fields an activity copies from its class, as they are now."""
        return {
            "class_starts_at": virtual_class.starts_at,
            "class_cancelled": virtual_class.status == VirtualClass.Status.CANCELLED,
        }
