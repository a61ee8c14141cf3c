from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from activities import selectors
from activities.forms import ActivityFilterForm
from learning_platform.pagination import keyset_page

ACTIVITIES_PER_PAGE = 20
UPCOMING_SHOWN = 20


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    filter_form = ActivityFilterForm(request.GET)
    activities = selectors.activities_for(user=request.user, **filter_form.filters())
    upcoming, past = selectors.upcoming_and_past(activities)
    # The past by the class's start, newest first, in pages that follow the last row shown (no
    # count: the totals above say how many); the upcoming classes on the first page only.
    page, query = keyset_page(
        request,
        past,
        ACTIVITIES_PER_PAGE,
        key="class_starts_at",
        descending=True,
        count=False,
    )
    upcoming = list(upcoming[:UPCOMING_SHOWN]) if page.is_first else []
    return render(
        request,
        "activities/dashboard.html",
        {
            "filter_form": filter_form,
            "counts": selectors.activity_counts(user=request.user),
            "upcoming": upcoming,
            "sections": [
                ("upcoming", _("Upcoming"), upcoming),
                ("past", _("Past"), page.object_list),
            ],
            "page": page,
            "query": query,
        },
    )
