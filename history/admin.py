"""The log, to read: nobody adds, changes or deletes an entry, staff included."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from history.models import LogEntry


class ByIdFilter(admin.SimpleListFilter):
    """Filter by one class or learner, chosen from a link in the list (there may be millions)."""

    field = ""

    def lookups(self, request, model_admin):
        value = self.value()
        if not value:
            return []
        related = model_admin.model._meta.get_field(self.field).related_model
        found = related.objects.filter(pk=value).first()
        return [(value, str(found) if found else value)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.field}_id": self.value()})
        return queryset


class ClassFilter(ByIdFilter):
    title = _("class")
    parameter_name = "class"
    field = "virtual_class"


class LearnerFilter(ByIdFilter):
    title = _("learner")
    parameter_name = "learner"
    field = "learner"


class ReadOnlyLogMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyLogMixin, admin.ModelAdmin):
    list_display = ["created_at", "action", "actor_display", "class_link", "task", "learner_link"]
    list_filter = ["action", "actor_kind", ClassFilter, LearnerFilter]
    list_select_related = ["actor", "virtual_class", "task", "learner"]
    search_fields = ["virtual_class__title", "learner__username", "actor__username"]
    fields = [
        "id",
        "created_at",
        "action",
        "actor_kind",
        "actor",
        "virtual_class",
        "task",
        "learner",
        "details",
    ]
    readonly_fields = fields
    show_full_result_count = False

    def get_actions(self, request):
        return {}  # not even "delete selected"

    @admin.display(description=_("class"))
    def class_link(self, entry: LogEntry):
        return _filter_link("class", entry.virtual_class_id, entry.virtual_class)

    @admin.display(description=_("learner"))
    def learner_link(self, entry: LogEntry):
        return _filter_link("learner", entry.learner_id, entry.learner)

    @admin.display(description=_("who"), ordering="actor__username")
    def actor_display(self, entry: LogEntry) -> str:
        return str(entry.actor) if entry.actor_id else gettext("system")


def _filter_link(parameter: str, pk: str | None, obj) -> str:
    """The entry's class or learner, linking to the log filtered by it."""
    if pk is None:
        return "-"
    titles = {"class": gettext("Only this class"), "learner": gettext("Only this learner")}
    return format_html('<a href="?{}={}" title="{}">{}</a>', parameter, pk, titles[parameter], obj)


class HistoryInline(ReadOnlyLogMixin, admin.TabularInline):
    """A class's history, newest first, on its admin page."""

    model = LogEntry
    fk_name = "virtual_class"
    fields = ["created_at", "action", "actor", "actor_kind", "learner", "task", "details"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]
    extra = 0
    verbose_name_plural = _("history of this class (newest first; nobody can change it)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "learner", "task")
