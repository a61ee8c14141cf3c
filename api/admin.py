from django.contrib import admin, messages
from django.utils.translation import gettext

from api import services
from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff make a learner's token (the key is shown once, in the message) or revoke it by
    deleting it."""

    list_display = ["user", "prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "prefix"]
    autocomplete_fields = ["user"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    ordering = ["-created_at"]

    def get_fields(self, request, obj=None):
        return ["user"] if obj is None else ["user", "prefix", "created_at", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else ["user", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on a token can be edited
        token, key = services.create_token(user=obj.user)
        obj.pk, obj.digest, obj.prefix = token.pk, token.digest, token.prefix
        obj.created_at = token.created_at
        self.message_user(
            request,
            gettext("The token for %(user)s is %(key)s — copy it now: it is shown only this once.")
            % {"user": obj.user, "key": key},
            messages.WARNING,
        )
