import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from classes import selectors as class_selectors
from learning_platform.forms import LoginForm, SignUpForm, throttled_response
from learning_platform.models import Language, User
from learning_platform.services import set_language_preference

logger = logging.getLogger(__name__)

HOME_CLASSES = 6


@require_safe
def livez(request: HttpRequest) -> HttpResponse:
    """Liveness, for a load balancer's frequent checks (and the benchmarks' floor): the
    application answers through the whole middleware and touches no database (the sessions
    middleware reads nothing without a cookie). /healthz also asks the database."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    upcoming = class_selectors.upcoming_classes()[:HOME_CLASSES]
    context = {"classes": upcoming}
    if request.user.is_authenticated:
        mine = class_selectors.next_class(user=request.user)
        context["next_class"] = mine
        context["call"] = mine and class_selectors.call_for(virtual_class=mine, member=True)
    return render(request, "home.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("activities:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        messages.success(
            request,
            _("Welcome, %(name)s! Find a class to join or book one.") % {"name": user.display_name},
        )
        return redirect("classes:list")
    return render(request, "registration/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, _("Welcome back, %(name)s.") % {"name": self.request.user.display_name}
        )
        return response

    def form_invalid(self, form):
        return throttled_response(super().form_invalid(form), form)


class LogoutView(auth_views.LogoutView):
    # Logging out is a POST (Django's rule); a GET, from a bookmark or a typed URL, asks first.
    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("home")
        return render(request, "registration/logout_confirm.html")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # The session is gone; the message travels in the messages cookie.
        messages.info(request, _("You have logged out. See you soon!"))
        return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and uptime monitors (GET or HEAD): 200 when the database answers a
    query, 503 when it does not. Says nothing else about the site."""
    try:
        # A real query, not just a connection check: a persistent connection may be stale.
        User.objects.exists()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_http_methods(["GET", "POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch: Django's set_language (the cookie, then back to the page), and for a
    signed-in learner the saved preference too, so every device follows it."""
    if request.method == "POST":
        language = request.POST.get("language", "")
        if language not in Language.values:
            return HttpResponseBadRequest(_("Unknown language."))
        if request.user.is_authenticated:
            set_language_preference(user=request.user, language=language)
    # A GET (a bookmarked URL) changes nothing and goes back to the page.
    return i18n.set_language(request)
