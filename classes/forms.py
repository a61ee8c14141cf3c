from django import forms
from django.utils.translation import gettext_lazy as _

from classes.models import VirtualClass


class ClassFilterForm(forms.Form):
    """The class list's filters. An invalid value is ignored rather than refused; the others
    still apply."""

    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any type")), *VirtualClass.Type.choices], required=False
    )
    # The list shows classes yet to start that learners may see: none of them is completed, and
    # pending bookings are their hosts' alone.
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Scheduled")), (VirtualClass.Status.CANCELLED, _("Cancelled"))],
        required=False,
    )
    free_seats = forms.BooleanField(label=_("Has free seats"), required=False)

    def filters(self) -> dict:
        self.is_valid()  # fields with a bad value are left out of cleaned_data
        return {
            "class_type": self.cleaned_data.get("type", ""),
            "status": self.cleaned_data.get("status", ""),
            "has_free_seats": self.cleaned_data.get("free_seats", False),
        }


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class BookClassForm(forms.Form):
    """What a learner fills in to book a class. The rules are checked by book_class."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=VirtualClass.DESCRIPTION_MAX_LENGTH,
    )
    learning_focus = forms.CharField(
        label=_("Learning focus"),
        max_length=200,
        required=False,
        help_text=_("What the class practises, e.g. “Past tenses” or “Ordering food”."),
    )
    class_type = forms.ChoiceField(
        label=_("Type"),
        choices=VirtualClass.Type.choices,
        initial=VirtualClass.Type.GRUPAL,
        widget=forms.RadioSelect,
    )
    max_participants = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=VirtualClass.MAX_SEATS,
        initial=4,
        help_text=_("Seats in all, you included. An individual class has one seat."),
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())
    meeting_url = forms.URLField(
        label=_("Meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("Optional: where the call happens."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Seats are asked of group classes only (the page greys the box out for individual).
        if self.data.get("class_type") == VirtualClass.Type.INDIVIDUAL:
            self.fields["max_participants"].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("class_type") == VirtualClass.Type.INDIVIDUAL:
            cleaned["max_participants"] = 1
        return cleaned


class EditClassForm(forms.Form):
    """What a host changes in their class. The rules are checked by update_class: the page only
    offers what the class allows (no seats for an individual class)."""

    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    learning_focus = forms.CharField(max_length=200, required=False)
    meeting_url = forms.URLField(label=_("Meeting link"), required=False, assume_scheme="https")
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())
    max_participants = forms.IntegerField(
        label=_("Seats"),
        min_value=2,
        max_value=VirtualClass.MAX_SEATS,
        help_text=_("Seats in all, you included; never fewer than those taken."),
    )

    def __init__(self, *args, virtual_class: VirtualClass, **kwargs):
        initial = {name: getattr(virtual_class, name) for name in self.base_fields}
        super().__init__(*args, initial=initial, **kwargs)
        if virtual_class.class_type == VirtualClass.Type.INDIVIDUAL:
            del self.fields["max_participants"]
        if virtual_class.has_started:
            # Time and seats stay once the class has started; the text can still change.
            for name in ("starts_at", "ends_at", "max_participants"):
                self.fields.pop(name, None)
