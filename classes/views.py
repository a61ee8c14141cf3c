from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from activities.models import UserActivity
from classes import selectors, services
from classes.forms import BookClassForm, ClassFilterForm, EditClassForm
from classes.models import VirtualClass
from learning_platform import throttling
from learning_platform.models import User
from learning_platform.pagination import keyset_page

CLASSES_PER_PAGE = 12


@require_safe
def class_list(request: HttpRequest) -> HttpResponse:
    filter_form = ClassFilterForm(request.GET)
    filters = filter_form.filters()
    classes = selectors.upcoming_classes(**filters)
    page, query = keyset_page(
        request,
        classes,
        CLASSES_PER_PAGE,
        key="starts_at",
        count_key="upcoming-classes:" + ",".join(f"{k}={v}" for k, v in sorted(filters.items())),
    )
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


@require_safe
def class_detail(request: HttpRequest, pk: str) -> HttpResponse:
    virtual_class = _visible_class(request, selectors.class_with_people(), pk)
    user = request.user
    activity = None
    if user.is_authenticated:
        activity = UserActivity.objects.filter(user=user, virtual_class=virtual_class).first()
    action, reason = _viewer_action(request, virtual_class, activity)
    call = selectors.call_for(virtual_class=virtual_class, member=activity is not None)
    place_in_line = None
    if user.is_authenticated and action is None and reason == services.CLASS_FULL:
        # Only a full class has a waiting list to offer: the other pages ask nothing more.
        place_in_line = services.waitlist_position(user=user, virtual_class=virtual_class)
        if place_in_line is not None:
            action = "leave_waitlist"
        elif not services.why_cannot_wait(user=user, virtual_class=virtual_class):
            action = "join_waitlist"
    can_edit = user.is_authenticated and not services.why_cannot_update(
        by=user, virtual_class=virtual_class
    )
    return render(
        request,
        "classes/detail.html",
        {
            "class": virtual_class,
            "activity": activity,
            "action": action,
            "reason": reason,
            "call": call,
            "place_in_line": place_in_line,
            "can_edit": can_edit,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, pk: str) -> HttpResponse:
    virtual_class = _visible_class(request, VirtualClass.objects.all(), pk)
    if reason := services.why_cannot_update(by=request.user, virtual_class=virtual_class):
        messages.error(request, reason)
        return redirect("classes:detail", pk=virtual_class.pk)
    form = EditClassForm(request.POST or None, virtual_class=virtual_class)
    if request.method == "POST" and form.is_valid():
        try:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            services.update_class(virtual_class=virtual_class, by=request.user, **changes)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is changed.") % {"title": virtual_class.title})
            return redirect("classes:detail", pk=virtual_class.pk)
    return render(request, "classes/edit.html", {"form": form, "class": virtual_class})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    form = BookClassForm(request.POST or None)
    retry_after = None
    if request.method == "POST" and form.is_valid():
        if refusal := throttling.booking_refusal(request):
            message, retry_after = refusal
            form.add_error(None, message)
        else:
            try:
                virtual_class = services.book_class(host=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                throttling.record_booking(request)
                if virtual_class.is_pending:
                    booked = _(
                        "It waits for the school to confirm it; then other learners can join."
                    )
                else:
                    booked = _("Other learners can join.")
                messages.success(
                    request,
                    _("Your class “%(title)s” is booked.") % {"title": virtual_class.title}
                    + " "
                    + booked,
                )
                return redirect("classes:detail", pk=virtual_class.pk)
    response = render(
        request, "classes/book.html", {"form": form}, status=429 if retry_after else 200
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@dataclass(frozen=True)
class ClassAction:
    """One thing a learner does to a class from its page. A POST does it; a GET (a bookmarked
    or shared action URL, or the way back from the login page) asks first, on a page that works
    without JavaScript, or goes back to the class saying why the action is not available."""

    url_name: str
    question: str
    consequence: str
    button: str
    keep: str
    success: str
    why_not: Callable[[User, VirtualClass], str | None]
    run: Callable[[User, VirtualClass], object]
    danger: bool = False
    # False: the POST hands the service only the class's id, and the service returns the class.
    read_first: bool = True


JOIN = ClassAction(
    url_name="classes:join",
    question=gettext_lazy("Join “{title}”?"),
    consequence=gettext_lazy("You take one of its seats and get its task when there is one."),
    button=gettext_lazy("Join this class"),
    keep=gettext_lazy("Not now"),
    success=gettext_lazy("You have joined “{title}”."),
    why_not=lambda user, c: services.why_cannot_join(user=user, virtual_class=c),
    run=lambda user, c: services.join_class(user=user, virtual_class=c),
)
LEAVE = ClassAction(
    url_name="classes:leave",
    question=gettext_lazy("Leave “{title}”?"),
    consequence=gettext_lazy(
        "Your seat goes to someone else and this class leaves your activities. "
        "You can join again while seats are left."
    ),
    button=gettext_lazy("Yes, leave this class"),
    keep=gettext_lazy("Keep my place"),
    success=gettext_lazy("You have left “{title}”. Your seat is free."),
    why_not=lambda user, c: services.why_cannot_leave(user=user, virtual_class=c),
    run=lambda user, c: services.leave_class(user=user, virtual_class=c),
    danger=True,
    read_first=False,
)
CANCEL = ClassAction(
    url_name="classes:cancel",
    question=gettext_lazy("Cancel “{title}”?"),
    consequence=gettext_lazy(
        "Nobody can join it any more and everyone who joined sees it cancelled. "
        "This cannot be undone."
    ),
    button=gettext_lazy("Yes, cancel this class"),
    keep=gettext_lazy("Keep the class"),
    success=gettext_lazy("“{title}” is cancelled."),
    why_not=lambda user, c: services.why_cannot_cancel(by=user, virtual_class=c),
    run=lambda user, c: services.cancel_class(virtual_class=c, by=user),
    danger=True,
)


JOIN_WAITLIST = ClassAction(
    url_name="classes:join_waitlist",
    question=gettext_lazy("Wait for a seat in “{title}”?"),
    consequence=gettext_lazy(
        "When a seat frees, the earliest learner waiting gets it and joins the class."
    ),
    button=gettext_lazy("Join the waiting list"),
    keep=gettext_lazy("Not now"),
    success=gettext_lazy(
        "You are on the waiting list of “{title}”. A freed seat is yours in turn."
    ),
    why_not=lambda user, c: services.why_cannot_wait(user=user, virtual_class=c),
    run=lambda user, c: services.join_waitlist(user=user, virtual_class=c),
)
LEAVE_WAITLIST = ClassAction(
    url_name="classes:leave_waitlist",
    question=gettext_lazy("Leave the waiting list of “{title}”?"),
    consequence=gettext_lazy("You lose your place in line."),
    button=gettext_lazy("Yes, leave the waiting list"),
    keep=gettext_lazy("Keep my place"),
    success=gettext_lazy("You have left the waiting list of “{title}”."),
    why_not=lambda user, c: services.why_cannot_leave_waitlist(user=user, virtual_class=c),
    run=lambda user, c: services.leave_waitlist(user=user, virtual_class=c),
    danger=True,
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, pk: str) -> HttpResponse:
    return _act_on_class(request, pk, JOIN)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def leave(request: HttpRequest, pk: str) -> HttpResponse:
    return _act_on_class(request, pk, LEAVE)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request: HttpRequest, pk: str) -> HttpResponse:
    return _act_on_class(request, pk, CANCEL)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join_waitlist(request: HttpRequest, pk: str) -> HttpResponse:
    return _act_on_class(request, pk, JOIN_WAITLIST)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def leave_waitlist(request: HttpRequest, pk: str) -> HttpResponse:
    return _act_on_class(request, pk, LEAVE_WAITLIST)


def _visible_class(request: HttpRequest, classes, pk: str) -> VirtualClass:
    """The class, if the viewer may see it (selectors.visible_to); anyone else gets a 404, not a
    hint that it exists."""
    return get_object_or_404(selectors.visible_to(classes, viewer=request.user), pk=pk)


def _act_on_class(request: HttpRequest, pk: str, action: ClassAction) -> HttpResponse:
    """GET: ask to confirm `action`, or say why it is not available. POST: run its service, say
    how it went, and go back to the class."""
    if request.method == "POST" and not action.read_first:
        return _run_on_class_id(request, pk, action)
    virtual_class = _visible_class(request, VirtualClass.objects.select_related("booked_by"), pk)
    if request.method in ("GET", "HEAD"):
        if reason := action.why_not(request.user, virtual_class):
            messages.info(request, reason)
            return redirect("classes:detail", pk=virtual_class.pk)
        question = action.question.format(title=virtual_class.title)
        return render(
            request,
            "classes/confirm.html",
            {"class": virtual_class, "action": action, "question": question},
        )
    try:
        action.run(request.user, virtual_class)
    except ValidationError as error:  # a class rule, or an activity rule behind it
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, action.success.format(title=virtual_class.title))
    return redirect("classes:detail", pk=virtual_class.pk)


def _run_on_class_id(request: HttpRequest, pk: str, action: ClassAction) -> HttpResponse:
    """Join and leave re-read the class under their lock anyway: they get only its id, and
    their answer gives the title. (Neither is open to a pending class.)"""
    try:
        changed = action.run(request.user, VirtualClass(pk=pk))
    except VirtualClass.DoesNotExist as error:
        raise Http404(_("No such class.")) from error
    except ValidationError as error:  # a class rule, or an activity rule behind it
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, action.success.format(title=changed.title))
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


def _add_errors(form: BookClassForm | EditClassForm, error: ValidationError) -> None:
    """Put a service refusal on the form: on its field where there is one, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
