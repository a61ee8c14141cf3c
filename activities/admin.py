"""Staff admin for activities: to read, and to mark completed through complete_task.

Activities are created and removed with class membership, tasks reach them through
assign_task, and completion moves the learner's total_classes: none of that is a hand edit.
"""

from collections import Counter

from django.contrib import admin
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from activities.models import UserActivity
from activities.services import ActivityError, complete_task
from classes.models import VirtualClass
from learning_platform.admin_site import RelatedSearchMixin


class ClassStatusFilter(admin.SimpleListFilter):
    title = _("class status")
    parameter_name = "class_status"

    def lookups(self, request, model_admin):
        return VirtualClass.Status.choices

    def queryset(self, request, queryset):
        if self.value() in VirtualClass.Status.values:
            return queryset.filter(virtual_class__status=self.value())
        return queryset


@admin.register(UserActivity)
class UserActivityAdmin(RelatedSearchMixin, admin.ModelAdmin):
    list_display = ["user", "class_title", "task", "rol", "completed", "created"]
    list_filter = ["rol", "completed", ClassStatusFilter]
    search_fields = ["user__username", "user__email", "virtual_class__title"]
    list_select_related = ["user", "virtual_class", "task"]
    show_full_result_count = False
    # Newest first by id: ids are ObjectIds, which begin with their creation time, so the
    # primary-key index serves this order; sorting a large table by created_at would not.
    ordering = ["-id"]
    actions = ["mark_completed"]
    fieldsets = [
        (
            None,
            {
                "fields": ["user", "virtual_class", "rol", "task", "completed"],
                "description": _(
                    "Activities are not edited by hand. They are created and removed when "
                    "participants are added to or removed from a class; the task comes from "
                    "the class (“Attach a task to selected classes”); and completing one counts "
                    "the class in the learner's total, so it is done with the action “Mark "
                    "selected activities completed” in the activity list."
                ),
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("class"))
    def class_title(self, activity: UserActivity) -> str:
        return activity.virtual_class.title

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, activity: UserActivity) -> str:
        # The day, short: the list is wide; the activity page has the full time.
        return formats.date_format(timezone.localdate(activity.created_at), "SHORT_DATE_FORMAT")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_complete_permission(self, request) -> bool:
        return request.user.has_perm("activities.change_useractivity")

    @admin.action(description=_("Mark selected activities completed"), permissions=["complete"])
    def mark_completed(self, request, queryset):
        completed, skipped = 0, Counter()
        for activity in queryset.select_related("user", "task"):
            if activity.task is None:
                skipped[gettext("No task is attached yet.")] += 1
                continue
            try:
                newly_completed = complete_task(
                    user=activity.user, task=activity.task, by=request.user
                )
            except ActivityError as error:  # e.g. the learner left the class meanwhile
                skipped[" ".join(error.messages)] += 1
            else:
                if newly_completed:
                    completed += 1
                else:
                    skipped[gettext("Already completed.")] += 1
        self.message_user(
            request,
            ngettext(
                "Marked %(count)d activity completed.",
                "Marked %(count)d activities completed.",
                completed,
            )
            % {"count": completed},
        )
        for reason, count in sorted(skipped.items()):
            self.message_user(
                request,
                ngettext(
                    "Skipped %(count)d activity: %(reason)s",
                    "Skipped %(count)d activities: %(reason)s",
                    count,
                )
                % {"count": count, "reason": reason},
                level="warning",
            )
