import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from classes.models import VirtualClass
from learning_platform.models import User
from tests.factories import PASSWORD, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_home_shows_upcoming_open_classes(client, host):
    VirtualClassFactory(booked_by=host, title="Open class")
    VirtualClassFactory(booked_by=host, title="Called off", status=VirtualClass.Status.CANCELLED)

    response = client.get(reverse("home"))

    assert "Open class" in response.text
    assert "Called off" not in response.text


def test_home_invites_a_visitor_to_sign_up(client):
    assert reverse("signup") in client.get(reverse("home")).text


def test_signing_up_creates_the_learner_and_logs_them_in(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "maria",
            "email": "maria@example.com",
            "level": "basico",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    user = User.objects.get(username="maria")
    assert response.url == reverse("classes:list")
    assert client.session["_auth_user_id"] == user.pk
    assert user.total_classes == 0


def test_signing_up_with_mismatched_passwords_shows_the_error(client):
    response = client.post(
        reverse("signup"),
        {"username": "maria", "password1": PASSWORD, "password2": "something-else-123"},
    )

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="maria").exists()


def test_signing_up_cannot_set_total_classes(client):
    client.post(
        reverse("signup"),
        {
            "username": "maria",
            "email": "maria@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "total_classes": 99,
        },
    )

    assert User.objects.get(username="maria").total_classes == 0


def test_logging_in_welcomes_the_learner(client, learner):
    response = client.post(reverse("login"), {"username": "learner", "password": PASSWORD})

    assert response.status_code == 302
    assert messages_of(response) == [f"Welcome back, {learner.first_name} {learner.last_name}."]


def test_logging_in_welcomes_a_learner_without_a_name_by_username(client):
    UserFactory(username="nameless", first_name="", last_name="")

    response = client.post(reverse("login"), {"username": "nameless", "password": PASSWORD})

    assert messages_of(response) == ["Welcome back, nameless."]


def test_logging_in_with_a_wrong_password_shows_the_error(client, learner):
    response = client.post(reverse("login"), {"username": "learner", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_logging_out_says_goodbye(client, learner):
    client.force_login(learner)

    response = client.post(reverse("logout"))

    assert "_auth_user_id" not in client.session
    assert messages_of(response) == ["You have logged out. See you soon!"]


def test_logout_by_get_asks_first_and_keeps_the_learner_logged_in(client, learner):
    client.force_login(learner)

    response = client.get(reverse("logout"))

    assert response.status_code == 200
    assert "Log out?" in response.text
    assert f'action="{reverse("logout")}"' in response.text
    assert "_auth_user_id" in client.session


def test_logout_by_get_when_logged_out_goes_home(client):
    response = client.get(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_an_unknown_time_zone_cookie_falls_back_to_the_site_zone(client, virtual_class):
    client.cookies["tz"] = "../../etc/passwd"

    response = client.get(reverse("classes:list"))

    assert response.status_code == 200
    assert "Times are shown in <strong>UTC</strong>" in response.text


def test_the_stylesheet_is_served(client):
    response = client.get("/static/css/site.css")

    assert response.status_code == 200


def test_health_answers_a_constant_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")

    assert (response.status_code, response.content) == (200, b"ok")
