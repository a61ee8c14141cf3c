"""The staff admin site: Django's, except that a signed-in learner is refused outright."""

from collections import defaultdict
from functools import update_wrapper

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from learning_platform.forms import AdminLoginForm, throttled_response


class StaffAdminSite(admin.AdminSite):
    site_header = _("Language school staff")
    site_title = _("Staff admin")
    index_title = _("Manage learners, classes, tasks and activities")
    # The lists are wide (class, host, seats, task...): they need the room more than a sidebar.
    enable_nav_sidebar = False

    # Sign-in failures are throttled per account and per client address, as on the site.
    login_form = AdminLoginForm

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        return throttled_response(
            response, (getattr(response, "context_data", None) or {}).get("form")
        )

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        def refuse_learners(request, *args, **kwargs):
            # Django would send a signed-in learner to the admin login form, as if signing in
            # again could help; a 403 says plainly that the admin is for staff.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(gettext("The admin is for staff only."))
            return guarded(request, *args, **kwargs)

        return update_wrapper(refuse_learners, guarded)


class RelatedSearchMixin:
    """Admin search that matches `search_fields` on related models inside their own tables.

    Django ORs every "contains" test across the joins, which makes the database join and read
    every row of a large table (about a second at a million activities). Finding the matching
    learners or classes first and filtering on their keys gives the same results, several times
    faster (about twice, measured). As in Django, every word of the search must match one of
    the fields; unlike Django, `search_fields` are plain field paths, without the ^ = @ prefixes.
    """

    def get_search_results(self, request, queryset, search_term):
        for word in search_term.split():
            queryset = queryset.filter(self._matching(word))
        return queryset, False

    def _matching(self, word: str) -> Q:
        own, related = Q(), defaultdict(Q)
        for path in self.search_fields:
            relation, _sep, field = path.partition("__")
            if field:
                related[relation] |= Q(**{f"{field}__icontains": word})
            else:
                own |= Q(**{f"{relation}__icontains": word})
        for relation, match in related.items():
            model = self.model._meta.get_field(relation).related_model
            own |= Q(**{f"{relation}__in": model._default_manager.filter(match)})
        return own
