from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import ProfileForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user=user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("profile")
    elif request.method == "GET" and not user.email:
        messages.warning(
            request, _("Please add your e-mail address: password reset and class messages need it.")
        )
    feed_url = request.build_absolute_uri(
        reverse("notifications:feed", kwargs={"token": user.calendar_token})
    )
    return render(request, "accounts/profile.html", {"form": form, "feed_url": feed_url})


@login_required
@require_POST
def renew_calendar(request: HttpRequest) -> HttpResponse:
    services.renew_calendar_token(user=request.user)
    messages.success(
        request,
        _("Your calendar has a new address. The old one no longer works: subscribe again."),
    )
    return redirect("profile")
