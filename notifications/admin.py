"""The outbox, to read: staff see what was sent, what waits and why, and may retry."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import outbox
from notifications.models import Message


class SentFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("sent", _("Sent")),
            ("unsent", _("Not sent yet")),
            ("failed", _("Failed (will retry)")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "unsent":
            return queryset.filter(sent_at__isnull=True)
        if self.value() == "failed":
            return queryset.filter(sent_at__isnull=True).exclude(last_error="")
        return queryset


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "virtual_class", "created_at", "sent_at", "attempts"]
    list_filter = ["kind", SentFilter]
    list_select_related = ["recipient", "virtual_class"]
    search_fields = ["recipient__username", "recipient__email", "virtual_class__title"]
    readonly_fields = [
        "id",
        "kind",
        "recipient",
        "virtual_class",
        "log_entry",
        "data",
        "reminder_for",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "attempts",
        "last_error",
    ]
    fields = readonly_fields
    ordering = ["-created_at"]
    show_full_result_count = False
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing stays allowed (the view permission); nothing here can be edited.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry selected unsent messages now"), permissions=["view"])
    def retry(self, request, queryset):
        ids = list(queryset.filter(sent_at__isnull=True).values_list("pk", flat=True))
        outbox.retry(queryset)
        sent, failed = outbox.send_messages(Message.objects.filter(pk__in=ids))
        level = messages.WARNING if failed else messages.SUCCESS
        self.message_user(
            request,
            ngettext(
                "Retried %(count)d message: %(sent)d sent, %(failed)d failed.",
                "Retried %(count)d messages: %(sent)d sent, %(failed)d failed.",
                len(ids),
            )
            % {"count": len(ids), "sent": sent, "failed": failed},
            level,
        )
