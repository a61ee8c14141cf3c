"""Writes on the learner's account."""

from django.core.exceptions import ValidationError

from learning_platform.models import Language, User


def set_language_preference(*, user: User, language: str) -> None:
    """Save the language the learner's pages speak ("" follows the browser again)."""
    if language not in ("", *Language.values):
        raise ValidationError(f"Unknown language: {language!r}.")
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
