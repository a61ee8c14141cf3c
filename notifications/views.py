from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from classes.models import VirtualClass
from learning_platform.models import User
from notifications import calendar

CONTENT_TYPE = "text/calendar; charset=utf-8"


@login_required
@require_safe
def class_calendar(request: HttpRequest, pk: str) -> HttpResponse:
    """One class as an `.ics` file, for its host and participants (it carries the meeting
    link, which only they see)."""
    virtual_class = get_object_or_404(
        VirtualClass.objects.filter(activities__user=request.user), pk=pk
    )
    content = calendar.calendar_file(
        [virtual_class], page_url=_page_url(request), name=virtual_class.title
    )
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="class-{virtual_class.pk}.ics"'
    return response


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A learner's private feed: the secret in the URL is the only key (calendar programs
    send no cookies). Two queries, however many classes: the learner, then their classes."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("No such calendar.")
    classes = calendar.feed_classes(user=user, now=timezone.now())
    content = calendar.calendar_file(classes, page_url=_page_url(request), name=calendar.FEED_NAME)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    # The URL is a secret: keep it out of shared caches and search engines.
    response["Cache-Control"] = "private, max-age=0"
    response["X-Robots-Tag"] = "noindex"
    return response


def _page_url(request: HttpRequest):
    def page_url(virtual_class: VirtualClass) -> str:
        return request.build_absolute_uri(
            reverse("classes:detail", kwargs={"pk": virtual_class.pk})
        )

    return page_url
