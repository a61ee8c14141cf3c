"""New learners give an e-mail address no other account has (whatever its case): password
reset and messages find them by it."""

import pytest
from django.urls import reverse

from learning_platform.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, **fields):
    data = {"username": "maria", "password1": PASSWORD, "password2": PASSWORD} | fields
    return client.post(reverse("signup"), data)


def test_signing_up_without_an_email_is_refused(client):
    response = sign_up(client, email="")

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.filter(username="maria").exists()


def test_signing_up_with_an_email_another_account_has_in_another_case_is_refused(client):
    UserFactory(email="maria@example.com")

    response = sign_up(client, email="MARIA@Example.com")

    assert response.context["form"].errors["email"] == [
        "Another account already uses this e-mail address."
    ]
    assert not User.objects.filter(username="maria").exists()


def test_signing_up_keeps_the_email_as_given(client):
    sign_up(client, email="Maria.Lopez@Example.COM")

    # The domain is case-insensitive and normalised; the local part is kept as typed.
    assert User.objects.get(username="maria").email == "Maria.Lopez@example.com"


def test_the_welcome_uses_the_learners_first_name_when_given(client):
    response = sign_up(client, email="maria@example.com", first_name="María", last_name="López")

    assert response.status_code == 302
    response = client.get(response.url)
    assert "Welcome, María López!" in response.text
