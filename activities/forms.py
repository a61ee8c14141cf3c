from django import forms

from activities.models import UserActivity


class ActivityFilterForm(forms.Form):
    """The dashboard's filters. An invalid value is ignored rather than refused; the others
    still apply."""

    PROGRESS = {"completed": True, "pending": False}

    progress = forms.ChoiceField(
        label="Progress",
        choices=[("", "All"), ("completed", "Completed"), ("pending", "Pending")],
        required=False,
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[
            ("", "All"),
            (UserActivity.Rol.ANFITRION, "Hosted"),
            (UserActivity.Rol.PARTICIPANTE, "Joined"),
        ],
        required=False,
    )

    def filters(self) -> dict:
        self.is_valid()  # fields with a bad value are left out of cleaned_data
        return {
            "completed": self.PROGRESS.get(self.cleaned_data.get("progress", "")),
            "rol": self.cleaned_data.get("role", ""),
        }
