"""Which language a page speaks, and the switch that changes it."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from activities.services import assign_task
from learning_platform.models import User
from learning_platform.services import set_language_preference
from tests.factories import StaffFactory, TaskFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _the_sites_default(settings):
    settings.LANGUAGE_CODE = "es"  # as deployed: the suite's English default is lifted here


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.text).group(1)


def test_a_visitor_without_preferences_gets_spanish(client):
    response = client.get(reverse("home"))

    assert html_lang(response) == "es"
    assert response.headers["Content-Language"] == "es"
    assert "Próximas clases" in response.text


def test_the_browsers_language_comes_next(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert html_lang(response) == "en"
    assert "Upcoming classes" in response.text


def test_a_learners_saved_language_wins_over_the_browser(client, learner):
    User.objects.filter(pk=learner.pk).update(language="en")
    client.force_login(learner)

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")

    assert html_lang(response) == "en"
    assert "Your next class" in response.text


def test_a_learner_without_a_saved_language_follows_the_browser(client, learner):
    client.force_login(learner)

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert html_lang(response) == "en"


def test_the_switch_is_on_every_page_for_visitors_too(client):
    response = client.get(reverse("login"))

    assert f'action="{reverse("set_language")}"' in response.text
    assert '<option value="en" lang="en">English</option>' in response.text
    assert '<option value="es" lang="es" selected>Español</option>' in response.text


def test_a_visitor_switching_gets_english_back_on_the_same_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/classes/"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/classes/"
    assert html_lang(client.get(reverse("home"))) == "en"


def test_a_signed_in_learner_switching_saves_the_language(client, learner):
    client.force_login(learner)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    learner.refresh_from_db()
    assert learner.language == "en"
    client.cookies.clear()  # another device: no language cookie
    client.force_login(learner)
    assert html_lang(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")) == "en"


def test_an_unknown_language_is_refused_and_changes_nothing(client, learner):
    client.force_login(learner)

    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    assert response.status_code == 400
    learner.refresh_from_db()
    assert learner.language == ""
    assert "django_language" not in response.cookies


def test_the_switch_by_get_changes_nothing(client, learner):
    client.force_login(learner)

    response = client.get(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.language == ""


def _learner_pages(learner, host):
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])
    task = TaskFactory()
    assign_task(virtual_class=virtual_class, task=task)
    return {
        reverse("home"): ("Tu próxima clase", "Your next class"),
        reverse("classes:book"): ("Reservar la clase", "Book the class"),
        reverse("tasks:detail", args=[task.pk]): ("¿La terminaste?", "Done with it?"),
        reverse("classes:leave", args=[virtual_class.pk]): ("organizada por", "hosted by"),
        reverse("logout"): ("Seguir con la sesión iniciada", "Stay logged in"),
    }


@pytest.mark.parametrize(
    ("accept", "lang", "index"), [("es", "es", 0), ("en", "en", 1)], ids=["es", "en"]
)
def test_the_learner_pages_speak_the_language(client, learner, host, accept, lang, index):
    pages = _learner_pages(learner, host)
    client.force_login(learner)

    for url, words in pages.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=accept)
        assert response.status_code == 200, url
        assert html_lang(response) == lang, url
        assert words[index] in response.text, url


@pytest.mark.parametrize(
    ("accept", "lang", "words"),
    [("es", "es", "Creá tu cuenta"), ("en", "en", "Create your account")],
    ids=["es", "en"],
)
def test_the_visitor_pages_speak_the_language(client, accept, lang, words):
    for url in (reverse("signup"), reverse("login")):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=accept)
        assert html_lang(response) == lang, url
    assert words in client.get(reverse("signup"), HTTP_ACCEPT_LANGUAGE=accept).text
    missing = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=accept)
    assert missing.status_code == 404
    assert html_lang(missing) == lang


def test_the_admin_index_speaks_the_language(client):
    client.force_login(StaffFactory(is_superuser=True))

    spanish = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="es")
    english = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")

    assert html_lang(spanish) == "es"
    assert "Tareas" in spanish.text
    assert html_lang(english) == "en"
    assert "Tasks" in english.text


@pytest.mark.parametrize(
    ("language", "words"),
    [("es", "Algo salió mal"), ("en", "Something went wrong")],
)
def test_the_error_page_without_a_request_speaks_the_active_language(language, words):
    with translation.override(language):
        html = render_to_string("500.html")

    assert f'<html lang="{language}">' in html
    assert words in html


def test_task_labels_and_choices_are_translated(task):
    with translation.override("es"):
        assert str(task._meta.verbose_name) == "tarea"
        assert task.get_difficulty_display() in {"Fácil", "Media", "Difícil"}


def test_the_preference_service_refuses_an_unknown_language_and_keeps_the_saved_one(learner):
    set_language_preference(user=learner, language="en")

    with pytest.raises(ValidationError, match="Idioma desconocido"):
        set_language_preference(user=learner, language="fr")

    learner.refresh_from_db()
    assert learner.language == "en"
    set_language_preference(user=learner, language="")  # back to following the browser
    learner.refresh_from_db()
    assert learner.language == ""
