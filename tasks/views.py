from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from activities.models import UserActivity
from activities.services import (
    ActivityError,
    TaskNotAssigned,
    complete_task,
    why_cannot_complete,
)
from tasks.markdown import render_markdown


def _my_activity(request: HttpRequest, task_pk: str) -> UserActivity:
    """The viewer's activity holding the task: a task is visible only to the learners who hold
    it, so anyone else gets a 404, not a hint that it exists."""
    return get_object_or_404(
        UserActivity.objects.select_related("task", "virtual_class"),
        user=request.user,
        task_id=task_pk,
    )


@login_required
@require_safe
def task_detail(request: HttpRequest, pk: str) -> HttpResponse:
    activity = _my_activity(request, pk)
    task = activity.task
    return render(
        request,
        "tasks/detail.html",
        {
            "activity": activity,
            "task": task,
            "content": render_markdown(task.content),
            # The solution leaves the server only once the learner has completed the task.
            "solution": render_markdown(task.solved_content) if activity.completed else None,
            # Said instead of offering a button that would be refused.
            "not_yet": None
            if activity.completed
            else why_cannot_complete(activity.virtual_class, learner=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def complete(request: HttpRequest, pk: str) -> HttpResponse:
    if request.method in ("GET", "HEAD"):  # a bookmarked or shared action URL: the button is on
        return redirect("tasks:detail", pk=pk)  # the task page
    # No read first: the service's conditional update finds the viewer's activity for the task.
    try:
        newly_completed = complete_task(user=request.user, task=pk)
    except TaskNotAssigned as error:  # not the viewer's task: as hidden as on the task page
        raise Http404 from error
    except ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if newly_completed:
            messages.success(request, _("Well done! Task completed; the solution is below."))
        else:
            messages.info(request, _("You had already completed this task."))
    return redirect("tasks:detail", pk=pk)
