"""Validators every free-text field carries, so each entry point (forms, admin, services,
commands) refuses the same input: no NUL byte (PostgreSQL cannot store one) and a bounded
length (TextField has none of its own)."""

from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator


def text_validators(max_length: int | None = None) -> list:
    validators = [ProhibitNullCharactersValidator()]
    if max_length is not None:
        validators.append(MaxLengthValidator(max_length))
    return validators
