from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import services as account_services
from learning_platform import throttling
from learning_platform.models import User

# Longer than any passphrase; a megabyte of "password" is refused before it is hashed.
PASSWORD_MAX_LENGTH = 1024
THROTTLED = "throttled"


def _limit_password_length(form, *names: str) -> None:
    for name in names:
        field = form.fields[name]
        field.max_length = PASSWORD_MAX_LENGTH
        field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
        field.widget.attrs["maxlength"] = str(PASSWORD_MAX_LENGTH)


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "first_name", "last_name", "level")
        labels = {"level": _("Your level")}
        help_texts = {"email": _("For password reset and messages about your classes.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        _limit_password_length(self, "password1", "password2")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        try:
            account_services.check_email_free(email)
        except ValidationError as error:
            raise ValidationError(error.message_dict["email"]) from None
        return email


class ThrottledLoginMixin:
    """Sign-in that stops guessing: after too many failures for one account, or from one client
    address, every try is refused (the right password too) until the window ends, and the form
    says how long that is. Only failures count."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_password_length(self, "password")
        self.retry_after: int | None = None  # seconds, when throttled

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if self.request is None or not username or not password:
            return super().clean()
        if wait := throttling.login_wait(self.request, username):
            self.retry_after = wait
            raise ValidationError(
                gettext("Too many failed sign-in attempts.") + " " + throttling.wait_message(wait),
                code=THROTTLED,
            )
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttling.record_login_failure(self.request, username)
            raise


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


def throttled_response(response, form):
    """A sign-in page refused for throttling answers 429 with Retry-After."""
    if form is not None and form.has_error("__all__", THROTTLED):
        response.status_code = 429
        response["Retry-After"] = str(form.retry_after)
    return response
