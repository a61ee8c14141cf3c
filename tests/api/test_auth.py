"""Signing in: a token for apps, the site's session (with CSRF) for its own pages, and the token
page and admin that make and revoke the tokens."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import create_token, digest, revoke_token
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def test_without_credentials_the_api_answers_401_with_a_challenge(api):
    response = api.get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_a_token_signs_the_learner_in(api, learner, keyword):
    _, key = create_token(user=learner)
    api.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")

    assert api.get(ME).json()["id"] == learner.pk


@pytest.mark.parametrize(
    "header", ["Token nonsense", "Token", "Token a b", "Bearer \xe9\xe9".encode("latin-1")]
)
def test_a_bad_token_is_a_401(api, learner, header):
    create_token(user=learner)
    api.credentials(HTTP_AUTHORIZATION=header)

    response = api.get(ME)

    assert response.status_code == 401


def test_a_revoked_token_no_longer_works(api, learner):
    _, key = create_token(user=learner)
    revoke_token(user=learner)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api.get(ME).status_code == 401


def test_a_new_token_replaces_the_old_one(api, learner):
    _, old = create_token(user=learner)
    _, new = create_token(user=learner)

    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert api.get(ME).status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert api.get(ME).status_code == 200
    assert ApiToken.objects.filter(user=learner).count() == 1


def test_only_a_digest_of_the_key_is_stored(learner):
    token, key = create_token(user=learner)

    assert token.digest == digest(key) != key
    assert not ApiToken.objects.filter(digest=key).exists()
    assert token.prefix == key[:8]


def test_a_deactivated_learners_token_is_refused(api, learner):
    _, key = create_token(user=learner)
    learner.is_active = False
    learner.save()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api.get(ME).status_code == 401


def test_using_a_token_notes_when_it_was_last_used(as_learner, learner):
    as_learner.get(ME)

    assert ApiToken.objects.get(user=learner).last_used_at is not None


def test_the_session_signs_in_the_sites_own_pages(learner):
    client = APIClient()
    client.force_login(learner)

    assert client.get(ME).json()["id"] == learner.pk


def test_a_session_write_without_the_csrf_token_is_refused(learner, virtual_class):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(reverse("api:class-join", args=[virtual_class.pk]))

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not virtual_class.participants.exists()


def test_a_token_write_needs_no_csrf_token(learner, virtual_class):
    _, key = create_token(user=learner)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.post(reverse("api:class-join", args=[virtual_class.pk]))

    assert response.status_code == 200


# --- POST /api/v1/token/ --------------------------------------------------------------------


def test_a_username_and_password_get_a_new_token(api, learner):
    response = api.post(
        reverse("api:token"), {"username": "learner", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 201
    key = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(ME).json()["id"] == learner.pk


def test_a_wrong_password_gets_no_token(api, learner):
    response = api.post(reverse("api:token"), {"username": "learner", "password": "guess"})

    assert response.status_code == 400
    assert response.json() == {"nonFieldErrors": ["Your username and password didn't match."]}
    assert not ApiToken.objects.exists()


def test_a_token_request_without_fields_gets_field_errors(api):
    response = api.post(reverse("api:token"), {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_delete_revokes_the_callers_token(as_learner, learner):
    response = as_learner.delete(reverse("api:token"))

    assert response.status_code == 204
    assert not ApiToken.objects.filter(user=learner).exists()
    assert as_learner.get(ME).status_code == 401


# --- The token page and the admin -----------------------------------------------------------


def test_the_token_page_needs_a_signed_in_learner(client):
    response = client.get(reverse("api_token"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_profile_page_and_the_token_page_link_to_each_other(client, learner):
    client.force_login(learner)

    response = client.get(reverse("profile"))

    assert f'href="{reverse("api_token")}"' in response.text
    assert f'href="{reverse("profile")}"' in client.get(reverse("api_token")).text


def test_the_token_page_creates_a_token_and_shows_it_once(client, learner):
    client.force_login(learner)

    response = client.post(reverse("api_token"), {"action": "create"})

    key = response.context["new_key"]
    assert key in response.text
    assert response["Cache-Control"] == "no-store"
    assert ApiToken.objects.get(user=learner).digest == digest(key)
    assert key not in client.get(reverse("api_token")).text


def test_the_token_page_revokes_the_token(client, learner):
    create_token(user=learner)
    client.force_login(learner)

    response = client.post(reverse("api_token"), {"action": "revoke"}, follow=True)

    assert not ApiToken.objects.filter(user=learner).exists()
    assert "Your API token is revoked" in response.text
    assert "You have no token." in response.text


def test_staff_make_a_learners_token_in_the_admin_and_see_the_key_once(client, learner):
    client.force_login(StaffFactory(is_superuser=True))

    response = client.post(reverse("admin:api_apitoken_add"), {"user": learner.pk}, follow=True)

    token = ApiToken.objects.get(user=learner)
    (message,) = [str(m) for m in response.context["messages"] if "token for" in str(m)]
    key = message.split("The token for learner is ")[1].split(" ")[0]
    assert "shown only this once" in message
    assert token.digest == digest(key)


def test_staff_revoke_a_token_by_deleting_it_in_the_admin(client, learner):
    token, _ = create_token(user=learner)
    client.force_login(StaffFactory(is_superuser=True))

    client.post(reverse("admin:api_apitoken_delete", args=[token.pk]), {"post": "yes"})

    assert not ApiToken.objects.exists()


def test_a_learner_cannot_reach_the_token_admin(client):
    client.force_login(UserFactory())

    assert client.get(reverse("admin:api_apitoken_changelist")).status_code == 403


def test_a_new_token_replaces_one_made_in_between(learner, monkeypatch):
    """Without row locks, another request's key can land between the delete and the insert."""
    real_create = ApiToken.objects.create
    calls = []

    def create_after_a_rival(**fields):
        if not calls:
            calls.append("rival")
            real_create(user=learner, digest="rival", prefix="rival")
        return real_create(**fields)

    monkeypatch.setattr(ApiToken.objects, "create", create_after_a_rival)

    _, key = create_token(user=learner)

    assert list(ApiToken.objects.values_list("digest", flat=True)) == [digest(key)]
