from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learning_platform.ids import ObjectIdField


class Rol(models.TextChoices):
    ANFITRION = "anfitrion", _("Host")
    PARTICIPANTE = "participante", _("Participant")


class UserActivity(models.Model):
    """One learner's part in one class (host or participant) and the task they hold there."""

    Rol = Rol

    id = ObjectIdField()
    # PROTECT everywhere: an activity is the learner's history; nothing deletes it by cascade.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activities"
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
            # A learner's history, newest first: all, completed or pending, hosted or joined.
            models.Index(fields=["user", "-created_at"], name="activity_user_created_idx"),
            models.Index(
                fields=["user", "completed", "-created_at"], name="activity_user_done_idx"
            ),
            models.Index(fields=["user", "rol", "-created_at"], name="activity_user_rol_idx"),
        ]

    def __str__(self):
        return f"{self.user} · {self.virtual_class} ({self.get_rol_display()})"
