from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.text == "ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_head_without_a_body(client):
    response = client.head(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b""


def test_healthz_queries_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(reverse("healthz"))


def test_healthz_answers_503_when_the_database_fails(client):
    failing = mock.patch(
        "learning_platform.views.User.objects.exists", side_effect=OperationalError("gone")
    )
    with failing:
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.text == "database unavailable\n"


def test_healthz_refuses_writes(client):
    assert client.post(reverse("healthz")).status_code == 405
