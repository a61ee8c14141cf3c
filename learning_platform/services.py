"""Writes on the learner's account."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from learning_platform.models import Language, User


def set_language_preference(*, user: User, language: str) -> None:
    """Save the language the learner's pages speak ("" follows the browser again)."""
    if language not in ("", *Language.values):
        raise ValidationError(_("Unknown language: %(language)r.") % {"language": language})
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
