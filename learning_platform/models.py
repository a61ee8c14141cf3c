import secrets
from functools import cache
from zoneinfo import available_timezones

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from learning_platform.ids import ObjectIdField


def new_calendar_token() -> str:
    """The secret in a learner's calendar feed URL: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


@cache
def time_zone_names() -> frozenset[str]:
    """The IANA zones installed. Read once: listing them walks the tz database's files."""
    return frozenset(available_timezones())


def validate_time_zone(name: str) -> None:
    if name and name not in time_zone_names():
        raise ValidationError(f"“{name}” is not a known time zone.")


class Level(models.TextChoices):
    INICIAL = "inicial", _("Beginner")
    BASICO = "basico", _("Elementary")
    INTERMEDIO = "intermedio", _("Intermediate")
    AVANZADO = "avanzado", _("Advanced")


class Language(models.TextChoices):
    # Each language is named in itself, whatever the page's language: it is how people find theirs.
    ES = "es", "Español"
    EN = "en", "English"


class User(AbstractUser):
    Level = Level
    Language = Language

    id = ObjectIdField()
    level = models.CharField(_("level"), max_length=16, choices=Level, blank=True)
    # The pages' language; blank follows the browser. Saved by the language switch.
    language = models.CharField(_("language"), max_length=8, choices=Language, blank=True)
    # Classes completed. Moves only through activities.services.complete_task (+1) and the
    # integrity repair (recount); never through a form.
    total_classes = models.PositiveIntegerField(_("classes completed"), default=0, editable=False)
    # An IANA name ("Europe/Madrid"); empty: the browser's zone (the `tz` cookie) is used.
    # Not model choices: the list follows the installed tz database, not the migrations.
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )
    # The private calendar feed is /calendar/<calendar_token>.ics; renewing it replaces the
    # token, so the old URL stops working.
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, editable=False
    )

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

    @property
    def display_name(self) -> str:
        """What the site calls the learner: their name when they gave one, else the username."""
        return self.get_full_name() or self.username

    @property
    def initial(self) -> str:
        return (self.first_name.strip() or self.display_name)[:1].upper()
