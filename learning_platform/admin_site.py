"""The staff admin site: Django's, except that a signed-in learner is refused outright."""

from functools import update_wrapper

from django.contrib import admin
from django.core.exceptions import PermissionDenied


class StaffAdminSite(admin.AdminSite):
    site_header = "Language school staff"
    site_title = "Staff admin"
    index_title = "Manage learners, classes, tasks and activities"
    # The lists are wide (class, host, seats, task...): they need the room more than a sidebar.
    enable_nav_sidebar = False

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        def refuse_learners(request, *args, **kwargs):
            # Django would send a signed-in learner to the admin login form, as if signing in
            # again could help; a 403 says plainly that the admin is for staff.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("The admin is for staff only.")
            return guarded(request, *args, **kwargs)

        return update_wrapper(refuse_learners, guarded)
