"""Password reset by e-mail and password change: Django's own views and tokens, the site's
pages and message."""

import re

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-42"


def reset_link(message) -> str:
    return re.search(r"https?://\S+/reset/\S+/", message.body).group(0)


def test_the_login_page_offers_a_password_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).text


def test_asking_for_a_reset_mails_a_link_to_the_account_address(client, learner, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "LEARNER@example.com"})

    assert response.url == reverse("password_reset_done")
    [message] = mailoutbox
    assert message.to == ["learner@example.com"]
    assert message.subject == "Reset your Hablamos password"
    assert message.from_email == "Hablamos <noreply@localhost>"
    assert f"Hello {learner.first_name} {learner.last_name}," in message.body
    assert reset_link(message).startswith("http://testserver/reset/")


def test_asking_for_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, mailoutbox
):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response.url == reverse("password_reset_done")
    assert mailoutbox == []


def test_the_mailed_link_sets_a_new_password_once(client, learner, mailoutbox):
    client.post(reverse("password_reset"), {"email": "learner@example.com"})
    link = reset_link(mailoutbox[0])

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.url == reverse("password_reset_complete")
    assert client.login(username="learner", password=NEW_PASSWORD)
    assert not client.login(username="learner", password=PASSWORD)
    client.logout()
    assert "This link no longer works" in client.get(link, follow=True).text


def test_a_forged_reset_link_sets_nothing(client, learner):
    response = client.get(reverse("password_reset_confirm", args=["bm90YXVzZXI", "x-y"]))

    assert "This link no longer works" in response.text
    assert client.login(username="learner", password=PASSWORD)


def test_a_learner_changes_their_password(client, learner):
    client.force_login(learner)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.url == reverse("password_change_done")
    assert client.get(reverse("profile")).status_code == 200  # still signed in
    assert client.login(username="learner", password=NEW_PASSWORD)


def test_a_wrong_old_password_changes_nothing(client, learner):
    client.force_login(learner)

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert "old_password" in response.context["form"].errors
    assert client.login(username="learner", password=PASSWORD)


def test_changing_the_password_needs_a_signed_in_learner(client):
    response = client.get(reverse("password_change"))

    assert response.url.startswith(reverse("login"))


def test_the_profile_links_to_the_password_change(client):
    client.force_login(UserFactory())

    assert reverse("password_change") in client.get(reverse("profile")).text


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_mail_server_that_is_down_gives_the_same_page_not_an_error(
    client, learner, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"

    response = client.post(reverse("password_reset"), {"email": "learner@example.com"})

    assert response.url == reverse("password_reset_done")
    assert "Failed to send password reset email" in caplog.text
