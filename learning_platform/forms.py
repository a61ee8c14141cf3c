from django.contrib.auth.forms import UserCreationForm

from learning_platform.models import User


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "first_name", "last_name", "level")
        labels = {"level": "Your level"}
