from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError

from accounts import services as account_services
from learning_platform.models import User


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "first_name", "last_name", "level")
        labels = {"level": "Your level"}
        help_texts = {"email": "For password reset and messages about your classes."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        try:
            account_services.check_email_free(email)
        except ValidationError as error:
            raise ValidationError(error.message_dict["email"]) from None
        return email
