"""The rules' refusals, the e-mails and the profile speak the learner's language."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from activities.services import assign_task
from classes.services import ClassError, join_class, join_waitlist
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    return response.text.split('<html lang="', 1)[1].split('"', 1)[0]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def full_class(host, learner):
    return VirtualClassFactory(booked_by=host, max_participants=2, participants=[learner])


def test_waiting_for_a_class_with_a_free_seat_is_refused_in_spanish(virtual_class, learner):
    with translation.override("es"), pytest.raises(ClassError) as refusal:
        join_waitlist(user=learner, virtual_class=virtual_class)

    assert refusal.value.messages == ["Esta clase tiene un lugar libre: sumate directamente."]
    assert not virtual_class.waitlist_entries.exists()


def test_waiting_twice_is_refused_by_the_page_in_spanish(client, full_class):
    latecomer = UserFactory()
    join_waitlist(user=latecomer, virtual_class=full_class)
    client.force_login(latecomer)

    response = client.post(
        reverse("classes:join_waitlist", args=[full_class.pk]), HTTP_ACCEPT_LANGUAGE="es"
    )

    assert messages_of(response) == ["Ya estás en la lista de espera."]
    assert full_class.waitlist_entries.count() == 1


def test_the_full_class_page_offers_the_waiting_list_in_spanish(client, full_class):
    client.force_login(UserFactory())

    response = client.get(
        reverse("classes:detail", args=[full_class.pk]), HTTP_ACCEPT_LANGUAGE="es"
    )

    assert "Esta clase está completa." in response.text
    assert "Anotarme en la lista de espera" in response.text


def test_the_completion_window_says_when_in_spanish(client, host, learner):
    starts = datetime(timezone.now().year + 2, 1, 15, 10, tzinfo=UTC)
    virtual_class = VirtualClassFactory(
        booked_by=host,
        participants=[learner],
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    task = TaskFactory()
    assign_task(virtual_class=virtual_class, task=task)
    client.force_login(learner)

    page = client.get(reverse("tasks:detail", args=[task.pk]), HTTP_ACCEPT_LANGUAGE="es")
    refused = client.post(reverse("tasks:complete", args=[task.pk]), HTTP_ACCEPT_LANGUAGE="es")

    assert "Vas a poder completar esta tarea cuando empiece la clase" in page.text
    assert "15 de ene de" in page.text  # the site's Spanish date, month and all
    assert messages_of(refused)[0].startswith("Vas a poder completar esta tarea")
    assert not learner.activities.get(task=task).completed


def test_a_refusal_follows_the_learners_saved_language_over_the_browser(client, full_class):
    latecomer = UserFactory(language="es")
    client.force_login(latecomer)

    response = client.post(reverse("classes:join", args=[full_class.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert messages_of(response) == ["Esta clase está completa."]


@pytest.fixture
def send(django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://school.example.com"

    def run(rule, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return rule(*args, **kwargs)

    return run


@pytest.mark.parametrize(
    ("saved", "site", "subject", "words"),
    [
        ("es", "en", "Te sumaste a Charla", "Hola, "),
        ("en", "es", "You joined Charla", "Hello "),
        ("", "es", "Te sumaste a Charla", "Enlace de la reunión:"),
        ("", "en", "You joined Charla", "Meeting link:"),
    ],
    ids=["saved-es", "saved-en", "site-es", "site-en"],
)
def test_an_email_is_in_the_recipients_language(
    send, mailoutbox, settings, host, saved, site, subject, words
):
    settings.LANGUAGE_CODE = site
    virtual_class = VirtualClassFactory(
        booked_by=host, title="Charla", meeting_url="https://meet.example.com/x"
    )
    learner = UserFactory(language=saved, email="learner@example.com")

    with translation.override("en" if site == "es" else "es"):  # the sender's language is not it
        send(join_class, user=learner, virtual_class=virtual_class)

    (mail,) = mailoutbox
    assert mail.subject == subject
    assert words in mail.body
    html = next(content for content, mime in mail.alternatives if mime == "text/html")
    assert f'<html lang="{saved or site}">' in html


def profile_data(**changes):
    return {
        "first_name": "María",
        "last_name": "López",
        "email": "maria@example.com",
        "level": "intermedio",
        "time_zone": "America/Argentina/Buenos_Aires",
        "language": "en",
    } | changes


def test_the_profile_saves_the_language_and_the_pages_follow_it(client, learner):
    client.force_login(learner)

    client.post(reverse("profile"), profile_data(language="en"), HTTP_ACCEPT_LANGUAGE="es")
    page = client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="es")

    learner.refresh_from_db()
    assert learner.language == "en"
    assert html_lang(page) == "en"
    assert '<option value="en" selected>English</option>' in page.text


def test_the_profile_can_go_back_to_the_browsers_language(client):
    learner = UserFactory(language="en")
    client.force_login(learner)

    client.post(reverse("profile"), profile_data(language=""))
    page = client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="es")

    learner.refresh_from_db()
    assert learner.language == ""
    assert html_lang(page) == "es"


def test_an_unknown_language_on_the_profile_is_refused_and_nothing_changes(client):
    learner = UserFactory(language="es", first_name="Ana")
    client.force_login(learner)

    response = client.post(
        reverse("profile"),
        profile_data(language="fr", first_name="Otra"),
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 200
    assert "Escoja una opción válida" in response.text  # Django's own catalogue, in Spanish
    learner.refresh_from_db()
    assert (learner.language, learner.first_name) == ("es", "Ana")


@pytest.mark.parametrize(("lang", "index"), [("es", 0), ("en", 1)], ids=["es", "en"])
def test_more_learner_pages_speak_the_saved_language(client, lang, index):
    learner, host = UserFactory(language=lang), UserFactory(language=lang)
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])
    pages = [
        (learner, reverse("classes:list"), ("Próximas clases", "Upcoming classes")),
        (learner, reverse("classes:detail", args=[virtual_class.pk]), ("Quiénes vienen", "Who is")),
        (
            host,
            reverse("classes:edit", args=[virtual_class.pk]),
            ("Guardar los cambios", "Save the"),
        ),
        (learner, reverse("activities:dashboard"), ("Tu avance", "Your progress")),
        (learner, reverse("profile"), ("Tu calendario", "Your calendar")),
        (learner, reverse("api_token"), ("Token de la API", "API token")),
        (learner, reverse("password_change"), ("Cambiá tu contraseña", "Change your password")),
    ]

    for who, url, words in pages:
        client.force_login(who)
        # The browser asks for the other language: the saved one wins.
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en" if lang == "es" else "es")
        assert response.status_code == 200, url
        assert html_lang(response) == lang, url
        assert words[index] in response.text, url


@pytest.mark.parametrize(
    ("accept", "words"), [("es", "Recuperá tu contraseña"), ("en", "Reset your password")]
)
def test_the_password_reset_page_speaks_the_language(client, accept, words):
    response = client.get(reverse("password_reset"), HTTP_ACCEPT_LANGUAGE=accept)

    assert html_lang(response) == accept
    assert words in response.text
