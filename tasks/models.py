from django.db import models

from learning_platform.ids import ObjectIdField
from learning_platform.text import text_validators


class TaskDifficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class TaskType(models.TextChoices):
    EXAM = "exam", "Exam"
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"
    READING = "reading", "Reading"


class Task(models.Model):
    """An exercise written in Markdown, with its Markdown solution."""

    Type = TaskType
    Difficulty = TaskDifficulty
    MARKDOWN_MAX_LENGTH = 50_000

    id = ObjectIdField()
    # Text fields are bounded and refuse NUL bytes in the model (every entry point) and forms.
    title = models.CharField(max_length=200, validators=text_validators())
    description = models.CharField(max_length=500, blank=True, validators=text_validators())
    content = models.TextField(
        help_text="The exercise, in Markdown.",
        max_length=MARKDOWN_MAX_LENGTH,
        validators=text_validators(MARKDOWN_MAX_LENGTH),
    )
    solved_content = models.TextField(
        help_text="The solution, in Markdown.",
        max_length=MARKDOWN_MAX_LENGTH,
        validators=text_validators(MARKDOWN_MAX_LENGTH),
    )
    type = models.CharField(max_length=16, choices=TaskType)
    difficulty = models.CharField(
        max_length=16, choices=TaskDifficulty, default=TaskDifficulty.MEDIUM
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
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
