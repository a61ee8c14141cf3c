from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learning_platform.ids import ObjectIdField


class ApiToken(models.Model):
    """A learner's key for API clients. Only a SHA-256 digest of the key is stored: the key is
    shown once, when it is made, and a leaked database does not leak working keys."""

    id = ObjectIdField()
    # One key per learner: making a new one replaces the old, revoking deletes it.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, so a learner can tell which key a client holds.
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"
