from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from activities import selectors
from activities.forms import ActivityFilterForm
from learning_platform.pagination import paginate

ACTIVITIES_PER_PAGE = 20


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    filter_form = ActivityFilterForm(request.GET)
    activities = selectors.activities_for(user=request.user, **filter_form.filters())
    page, query = paginate(request, activities, ACTIVITIES_PER_PAGE)
    return render(
        request,
        "activities/dashboard.html",
        {
            "filter_form": filter_form,
            "counts": selectors.activity_counts(user=request.user),
            "page": page,
            "query": query,
        },
    )
