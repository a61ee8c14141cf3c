"""Errors are JSON with the right status, never an HTML page; writes are rate-limited."""

import pytest
from django.urls import reverse

from classes.models import VirtualClass
from tests.factories import PASSWORD, VirtualClassFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/", "/api/v2/me/", "/api/v1/nothing/", "/api/v1/me"])
def test_an_unknown_api_address_is_a_json_404(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_writes_beyond_the_rate_are_429_and_change_nothing(settings, as_learner, learner):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api-write": "2/minute", "api-token": "10/minute"},
    }
    classes = [VirtualClassFactory() for _ in range(3)]

    statuses = [
        as_learner.post(reverse("api:class-join", args=[c.pk])).status_code for c in classes
    ]

    assert statuses == [200, 200, 429]
    assert not VirtualClass.objects.get(pk=classes[2].pk).participants.exists()
    assert (
        "Request was throttled"
        in as_learner.post(reverse("api:class-join", args=[classes[2].pk])).json()["detail"]
    )


def test_changes_and_waiting_list_leaves_count_as_writes(settings, as_host, host):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api-write": "1/minute", "api-token": "10/minute"},
    }
    virtual_class = VirtualClassFactory(booked_by=host)
    detail = reverse("api:class-detail", args=[virtual_class.pk])

    first = as_host.patch(detail, {"title": "Once"}, format="json")
    again = as_host.patch(detail, {"title": "Twice"}, format="json")
    leave = as_host.delete(reverse("api:class-waitlist", args=[virtual_class.pk]))

    assert (first.status_code, again.status_code, leave.status_code) == (200, 429, 429)
    assert VirtualClass.objects.get(pk=virtual_class.pk).title == "Once"


def test_reads_are_not_rate_limited(settings, as_learner):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api-write": "1/minute", "api-token": "10/minute"},
    }

    assert {as_learner.get(reverse("api:me")).status_code for _ in range(4)} == {200}


def test_password_guesses_for_a_token_are_rate_limited(settings, api, learner):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api-write": "60/minute", "api-token": "2/minute"},
    }
    guess = {"username": "learner", "password": "guess"}

    statuses = [api.post(reverse("api:token"), guess).status_code for _ in range(2)]
    right = api.post(reverse("api:token"), {"username": "learner", "password": PASSWORD})

    assert statuses == [400, 400]
    assert right.status_code == 429
