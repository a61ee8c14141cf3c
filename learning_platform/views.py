from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from classes import selectors as class_selectors
from learning_platform.forms import LoginForm, SignUpForm, throttled_response

HOME_CLASSES = 6


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    upcoming = class_selectors.upcoming_classes()[:HOME_CLASSES]
    return render(request, "home.html", {"classes": upcoming})


@require_http_methods(["GET", "HEAD", "POST"])
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
    authentication_form = LoginForm
    redirect_authenticated_user = True
    success_message = "Welcome back, %(username)s."

    def form_invalid(self, form):
        return throttled_response(super().form_invalid(form), form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # The session is gone; the message travels in the messages cookie.
        messages.info(request, "You have logged out. See you soon!")
        return response
