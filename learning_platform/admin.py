from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from learning_platform.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "email",
        "level",
        "total_classes",
        "joined",
    ]
    list_filter = ["level", "is_staff", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["-date_joined"]
    show_full_result_count = False
    readonly_fields = ["total_classes", "activities_link", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "time_zone"]}),
        (
            _("Learning"),
            {
                "fields": ["level", "total_classes", "activities_link"],
                "description": _(
                    "Total classes counts the classes this learner has completed. It moves only "
                    "when one of their activities is marked completed, so it cannot be edited here."
                ),
            },
        ),
        (
            _("Permissions"),
            {
                "classes": ["collapse"],
                "fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"],
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "email",
                    "level",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    @admin.display(description=_("date joined"), ordering="date_joined")
    def joined(self, user: User):
        return timezone.localdate(user.date_joined)  # the day is enough in a list

    @admin.display(description=_("activities"))
    def activities_link(self, user: User) -> str:
        count = user.activities.count()
        url = reverse("admin:activities_useractivity_changelist")
        return format_html(
            '<a href="{}?user__id__exact={}">{}</a>',
            url,
            user.pk,
            ngettext("%(count)s activity", "%(count)s activities", count) % {"count": count},
        )
