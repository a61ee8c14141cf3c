from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.models import UserActivity


class ActivityFilterForm(forms.Form):
    """The dashboard's filters. An invalid value is ignored rather than refused; the others
    still apply."""

    PROGRESS = {"completed": True, "pending": False}

    progress = forms.ChoiceField(
        label=_("Progress"),
        choices=[
            ("", _("All")),
            ("completed", pgettext_lazy("task", "Completed")),
            ("pending", pgettext_lazy("task", "Pending")),
        ],
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            ("", _("All")),
            (UserActivity.Rol.ANFITRION, _("Hosted")),
            (UserActivity.Rol.PARTICIPANTE, _("Joined")),
        ],
        required=False,
    )

    def filters(self) -> dict:
        self.is_valid()  # fields with a bad value are left out of cleaned_data
        return {
            "completed": self.PROGRESS.get(self.cleaned_data.get("progress", "")),
            "rol": self.cleaned_data.get("role", ""),
        }
