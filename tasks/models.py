from django.db import models
from django.utils.translation import gettext_lazy as _

from learning_platform.ids import ObjectIdField
from learning_platform.text import text_validators


class TaskDifficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class TaskType(models.TextChoices):
    EXAM = "exam", _("Exam")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    READING = "reading", _("Reading")


class Task(models.Model):
    """An exercise written in Markdown, with its Markdown solution."""

    Type = TaskType
    Difficulty = TaskDifficulty
    MARKDOWN_MAX_LENGTH = 50_000

    id = ObjectIdField()
    # Text fields are bounded and refuse NUL bytes in the model (every entry point) and forms.
    title = models.CharField(_("title"), max_length=200, validators=text_validators())
    description = models.CharField(
        _("description"), max_length=500, blank=True, validators=text_validators()
    )
    content = models.TextField(
        _("exercise"),
        help_text=_("The exercise, in Markdown."),
        max_length=MARKDOWN_MAX_LENGTH,
        validators=text_validators(MARKDOWN_MAX_LENGTH),
    )
    solved_content = models.TextField(
        _("solution"),
        help_text=_("The solution, in Markdown."),
        max_length=MARKDOWN_MAX_LENGTH,
        validators=text_validators(MARKDOWN_MAX_LENGTH),
    )
    type = models.CharField(_("type"), max_length=16, choices=TaskType)
    difficulty = models.CharField(
        _("difficulty"), max_length=16, choices=TaskDifficulty, default=TaskDifficulty.MEDIUM
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type__in=TaskType.values), name="task_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(difficulty__in=TaskDifficulty.values),
                name="task_difficulty_valid",
            ),
        ]

    def __str__(self):
        return self.title
