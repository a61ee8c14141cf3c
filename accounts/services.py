"""The account rules: whose e-mail is whose, profile changes, the calendar feed's secret."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning_platform.models import Language, User, new_calendar_token, validate_time_zone

EMAIL_TAKEN = gettext_lazy("Another account already uses this e-mail address.")


def check_email_free(email: str, *, user: User | None = None) -> None:
    """Refuse an e-mail address another account has, whatever its case: password reset and
    messages find a learner by it."""
    others = User.objects.filter(email__iexact=email)
    if user is not None:
        others = others.exclude(pk=user.pk)
    if others.exists():
        raise ValidationError({"email": EMAIL_TAKEN}, code="email_taken")


def update_profile(
    *,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    level: str,
    time_zone: str,
    language: str | None = None,
) -> User:
    """Save what a learner may edit about themselves (never the username or total_classes).
    Everything is checked before anything is set: a refusal leaves `user` as it was. `language`
    None keeps the saved one; "" follows the browser."""
    errors = {}
    if not email:
        errors["email"] = _("An e-mail address is required.")
    else:
        try:
            validate_email(email)
            check_email_free(email, user=user)
        except ValidationError as error:
            errors["email"] = error.messages
    if level not in ("", *User.Level.values):
        errors["level"] = _("“%(level)s” is not a level.") % {"level": level}
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        errors["time_zone"] = error.messages
    if language is not None and language not in ("", *Language.values):
        errors["language"] = _("“%(language)s” is not a language of this site.") % {
            "language": language
        }
    if errors:
        raise ValidationError(errors)
    user.first_name, user.last_name = first_name[:150], last_name[:150]
    user.email, user.level, user.time_zone = email, level, time_zone
    fields = ["first_name", "last_name", "email", "level", "time_zone"]
    if language is not None:
        user.language = language
        fields.append("language")
    user.save(update_fields=fields)
    return user


def renew_calendar_token(*, user: User) -> str:
    """Give the learner a new calendar feed URL; the old one stops working at once."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
