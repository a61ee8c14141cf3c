from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from classes import selectors as class_selectors
from learning_platform.forms import SignUpForm

HOME_CLASSES = 6


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For a load balancer's checks: the application answers, through the whole middleware, and
    touches no database (the sessions middleware reads nothing without a cookie)."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    upcoming = class_selectors.upcoming_classes()[:HOME_CLASSES]
    return render(request, "home.html", {"classes": upcoming})


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("activities:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        messages.success(request, f"Welcome, {user.username}! Find a class to join or book one.")
        return redirect("classes:list")
    return render(request, "registration/signup.html", {"form": form})


class LoginView(SuccessMessageMixin, auth_views.LoginView):
    redirect_authenticated_user = True
    success_message = "Welcome back, %(username)s."


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # The session is gone; the message travels in the messages cookie.
        messages.info(request, "You have logged out. See you soon!")
        return response
