from django import forms

from activities.models import UserActivity


class ActivityFilterForm(forms.Form):
    """The dashboard's filters. Invalid values are ignored rather than refused."""

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
        if not self.is_valid():
            return {}
        return {
            "completed": self.PROGRESS.get(self.cleaned_data["progress"]),
            "rol": self.cleaned_data["role"],
        }
