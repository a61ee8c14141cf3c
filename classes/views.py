from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities.models import UserActivity
from classes import selectors, services
from classes.forms import BookClassForm, ClassFilterForm
from classes.models import VirtualClass
from learning_platform.pagination import keyset_page

CLASSES_PER_PAGE = 12


@require_GET
def class_list(request: HttpRequest) -> HttpResponse:
    filter_form = ClassFilterForm(request.GET)
    classes = selectors.upcoming_classes(**filter_form.filters())
    page, query = keyset_page(request, classes, CLASSES_PER_PAGE, key="starts_at")
    joined = selectors.joined_among(user=request.user, classes=page.object_list)
    for virtual_class in page.object_list:
        # Why the viewer cannot join, shown on the card: the class rule, with what the page
        # already knows, so no card costs a query.
        virtual_class.why_not = services.why_cannot_join(
            user=request.user, virtual_class=virtual_class, joined=virtual_class.pk in joined
        )
    return render(
        request, "classes/list.html", {"filter_form": filter_form, "page": page, "query": query}
    )


@require_GET
def class_detail(request: HttpRequest, pk: str) -> HttpResponse:
    virtual_class = get_object_or_404(selectors.class_with_people(), pk=pk)
    user = request.user
    activity = None
    if user.is_authenticated:
        activity = UserActivity.objects.filter(user=user, virtual_class=virtual_class).first()
    action, reason = _viewer_action(request, virtual_class, activity)
    return render(
        request,
        "classes/detail.html",
        {"class": virtual_class, "activity": activity, "action": action, "reason": reason},
    )


@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    form = BookClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            virtual_class = services.book_class(host=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, f"Your class “{virtual_class.title}” is booked. Other learners can join."
            )
            return redirect("classes:detail", pk=virtual_class.pk)
    return render(request, "classes/book.html", {"form": form})


@login_required
@require_POST
def join(request: HttpRequest, pk: str) -> HttpResponse:
    return _act_on_class(
        request,
        pk,
        lambda virtual_class: services.join_class(user=request.user, virtual_class=virtual_class),
        success="You have joined “{title}”.",
        read_first=False,
    )


@login_required
@require_POST
def leave(request: HttpRequest, pk: str) -> HttpResponse:
    return _act_on_class(
        request,
        pk,
        lambda virtual_class: services.leave_class(user=request.user, virtual_class=virtual_class),
        success="You have left “{title}”. Your seat is free.",
        read_first=False,
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: str) -> HttpResponse:
    return _act_on_class(
        request,
        pk,
        lambda virtual_class: services.cancel_class(virtual_class=virtual_class, by=request.user),
        success="“{title}” is cancelled.",
    )


def _act_on_class(
    request: HttpRequest, pk: str, action, *, success: str, read_first: bool = True
) -> HttpResponse:
    """Run one service on the class, say how it went, and go back to the class.

    Without `read_first` the service gets only the class's id (join and leave re-read the class
    under their lock anyway) and its answer gives the title.
    """
    virtual_class = get_object_or_404(VirtualClass, pk=pk) if read_first else VirtualClass(pk=pk)
    try:
        changed = action(virtual_class)
    except VirtualClass.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:  # a class rule, or an activity rule behind it
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success.format(title=changed.title))
    return redirect("classes:detail", pk=pk)


def _viewer_action(
    request: HttpRequest, virtual_class: VirtualClass, activity: UserActivity | None
) -> tuple[str | None, str | None]:
    """The one action the class offers this viewer ("join", "leave", "cancel", "login"), or
    None and the reason none applies. The rules themselves stay in classes.services."""
    user = request.user
    if not user.is_authenticated:
        if reason := services.why_cannot_join(user=user, virtual_class=virtual_class):
            return None, reason
        return "login", None
    if virtual_class.booked_by_id == user.pk:
        if reason := services.why_cannot_cancel(by=user, virtual_class=virtual_class):
            return None, reason
        return "cancel", None
    if activity is not None:
        if reason := services.why_cannot_leave(user=user, virtual_class=virtual_class):
            return None, reason
        return "leave", None
    if reason := services.why_cannot_join(user=user, virtual_class=virtual_class):
        return None, reason
    return "join", None


def _add_errors(form: BookClassForm, error: ValidationError) -> None:
    """Put a service refusal on the form: on its field where there is one, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
