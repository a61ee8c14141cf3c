"""The rules of API tokens: a learner has at most one; it is shown once, stored as a digest."""

import hashlib
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import ApiToken
from learning_platform.models import User

# How stale last_used_at may be: writing it on every request would make each read a write.
LAST_USED_PRECISION = timedelta(minutes=5)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(*, user: User) -> tuple[ApiToken, str]:
    """A new key for `user`, replacing any they had. Returns the token and the key itself,
    which is never stored and cannot be read back."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        # Two requests for the same learner queue on their row: one key each, the last kept.
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        for attempt in range(2):
            ApiToken.objects.filter(user=user).delete()
            try:
                with transaction.atomic():
                    token = ApiToken.objects.create(user=user, digest=digest(key), prefix=key[:8])
                break
            except IntegrityError:
                # Without row locks (MongoDB) the other request's key slipped in between:
                # replace it, as the later request would have.
                if attempt:
                    raise
    return token, key


def revoke_token(*, user: User) -> bool:
    """Delete `user`'s key; True if they had one."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return bool(deleted)


def user_for_key(key: str) -> User | None:
    """The active learner holding `key`, or None; notes when the key was last used."""
    token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
