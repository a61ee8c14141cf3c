from django.contrib.auth.models import AbstractUser
from django.db import models

from learning_platform.ids import ObjectIdField


class Level(models.TextChoices):
    INICIAL = "inicial", "Beginner"
    BASICO = "basico", "Elementary"
    INTERMEDIO = "intermedio", "Intermediate"
    AVANZADO = "avanzado", "Advanced"


class Language(models.TextChoices):
    # Each language is named in itself, whatever the page's language: it is how people find theirs.
    ES = "es", "Español"
    EN = "en", "English"


class User(AbstractUser):
    Level = Level
    Language = Language

    id = ObjectIdField()
    level = models.CharField(max_length=16, choices=Level, blank=True)
    # The pages' language; blank follows the browser. Saved by the language switch.
    language = models.CharField(max_length=8, choices=Language, blank=True)
    # Classes completed. Moves only through activities.services.complete_task (+1) and the
    # integrity repair (recount); never through a form.
    total_classes = models.PositiveIntegerField(default=0, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_classes__gte=0), name="user_total_classes_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=["", *Level.values]), name="user_level_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=["", *Language.values]),
                name="user_language_valid",
            ),
        ]
