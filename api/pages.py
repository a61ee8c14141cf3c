"""The API token page: a learner makes, replaces or revokes their key for API clients."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from api import services
from api.models import ApiToken


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if services.revoke_token(user=request.user):
                messages.success(request, _("Your API token is revoked; clients using it are out."))
            return redirect("api_token")
        _token, new_key = services.create_token(user=request.user)
    token = ApiToken.objects.filter(user=request.user).first()
    # The new key is shown in this response only (never stored, never redirected with).
    response = render(request, "api/token.html", {"token": token, "new_key": new_key})
    response["Cache-Control"] = "no-store"
    return response
