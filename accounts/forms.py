from functools import cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts import services
from learning_platform.middleware import zone_from_cookie
from learning_platform.models import Language, User, time_zone_names


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


class TimeZoneSelect(forms.Select):
    """A select of the ~600 zones. Django's widget renders a template per option, about 150 ms a
    page here; the options are escaped once instead, and only the selected one changes."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = str(value) if value is not None else ""
        options = "".join(
            _option(choice, label, selected=True) if choice == selected else html
            for choice, label, html in _zone_options()
        )
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(attrs), mark_safe(options))


@cache
def _zone_options() -> tuple[tuple[str, str, str], ...]:
    return tuple((choice, label, _option(choice, label)) for choice, label in time_zone_choices())


def _option(choice: str, label: str, *, selected: bool = False) -> str:
    return format_html(
        '<option value="{}"{}>{}</option>', choice, " selected" if selected else "", label
    )


class ProfileForm(forms.Form):
    """What a learner edits about themselves. A plain form: the request's user is changed only
    by accounts.services.update_profile, never by a form that fails validation half-way."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("For password reset and messages about your classes."),
    )
    level = forms.ChoiceField(
        label=_("Your level"), choices=[("", "---------"), *User.Level.choices]
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        widget=TimeZoneSelect,
        help_text=_("Class times on the site are shown in this zone."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The browser's language")), *Language.choices],
        required=False,
        help_text=_("The language of the pages and of the messages we send you."),
    )

    def __init__(self, data=None, *, user: User, request):
        # The zone: the learner's choice, else the one their browser reports, else the site's.
        cookie_zone = zone_from_cookie(request)
        time_zone = user.time_zone or (str(cookie_zone) if cookie_zone else settings.TIME_ZONE)
        initial = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "level": user.level,
            "time_zone": time_zone,
            "language": user.language,
        }
        super().__init__(data, initial=initial)
        self.fields["level"].required = False
        self.user = user

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        try:
            services.check_email_free(email, user=self.user)
        except ValidationError as error:
            raise ValidationError(error.message_dict["email"]) from None
        return email
