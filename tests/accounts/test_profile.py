import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.services import update_profile
from learning_platform.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def profile_data(**changes):
    return {
        "first_name": "María",
        "last_name": "López",
        "email": "maria@example.com",
        "level": "intermedio",
        "time_zone": "America/Mexico_City",
    } | changes


def test_the_profile_needs_a_signed_in_learner(client):
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_learner_edits_their_profile(client, learner):
    client.force_login(learner)

    response = client.post(reverse("profile"), profile_data())

    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.first_name, learner.last_name, learner.email) == (
        "María",
        "López",
        "maria@example.com",
    )
    assert (learner.level, learner.time_zone) == ("intermedio", "America/Mexico_City")


def test_the_profile_cannot_change_the_username_or_total_classes(client, learner):
    client.force_login(learner)

    client.post(reverse("profile"), profile_data(username="someone", total_classes=50))

    learner.refresh_from_db()
    assert (learner.username, learner.total_classes) == ("learner", 0)


def test_an_unknown_time_zone_is_refused_and_nothing_changes(client, learner):
    client.force_login(learner)
    before = User.objects.values().get(pk=learner.pk)

    response = client.post(reverse("profile"), profile_data(time_zone="Mars/Olympus_Mons"))

    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert User.objects.values().get(pk=learner.pk) == before


def test_a_refused_profile_does_not_show_the_unsaved_name_in_the_header(client, learner):
    client.force_login(learner)

    response = client.post(reverse("profile"), profile_data(first_name="Zacarías", email=""))

    assert response.status_code == 200
    assert "Zacarías" not in response.text.split("<main")[0]


def test_an_email_another_account_has_in_another_case_is_refused(client, learner):
    UserFactory(email="taken@example.com")
    client.force_login(learner)

    response = client.post(reverse("profile"), profile_data(email="TAKEN@example.com"))

    assert response.context["form"].errors["email"] == [
        "Another account already uses this e-mail address."
    ]
    assert User.objects.get(pk=learner.pk).email == "learner@example.com"


def test_a_learner_may_keep_their_own_email_in_another_case(client, learner):
    client.force_login(learner)

    response = client.post(reverse("profile"), profile_data(email="LEARNER@example.com"))

    assert response.status_code == 302
    assert User.objects.get(pk=learner.pk).email == "LEARNER@example.com"


def test_a_learner_without_an_email_is_asked_for_one(client):
    learner = UserFactory(email="")
    client.force_login(learner)

    response = client.get(reverse("profile"))

    assert "Please add your e-mail address" in response.text
    response = client.post(reverse("profile"), profile_data(email=""))
    assert "email" in response.context["form"].errors


def test_a_learner_with_an_email_is_not_asked_for_one(client, learner):
    client.force_login(learner)

    assert "Please add your e-mail address" not in client.get(reverse("profile")).text


def test_the_time_zone_is_prefilled_from_the_browser_cookie(client, learner):
    client.force_login(learner)
    client.cookies["tz"] = "Asia/Tokyo"

    response = client.get(reverse("profile"))

    assert response.context["form"]["time_zone"].value() == "Asia/Tokyo"
    assert '<option value="Asia/Tokyo" selected>' in response.text


def test_a_chosen_time_zone_wins_over_the_browser_cookie(client, learner):
    learner.time_zone = "Europe/Madrid"
    learner.save()
    client.force_login(learner)
    client.cookies["tz"] = "Asia/Tokyo"

    response = client.get(reverse("profile"))

    assert response.context["form"]["time_zone"].value() == "Europe/Madrid"
    assert "Times are shown in <strong>Europe/Madrid</strong>" in response.text


def test_the_header_shows_the_learners_initial_and_name(client):
    learner = UserFactory(username="mlopez", first_name="maría", last_name="López")
    client.force_login(learner)

    response = client.get(reverse("home"))

    assert '<span class="avatar avatar-small" aria-hidden="true">M</span> maría López' in (
        response.text
    )


def test_the_header_falls_back_to_the_username_without_a_name(client):
    learner = UserFactory(username="mlopez", first_name="", last_name="")
    client.force_login(learner)

    response = client.get(reverse("home"))

    assert '<span class="avatar avatar-small" aria-hidden="true">M</span> mlopez' in response.text


def test_update_profile_refuses_an_empty_email_from_any_caller(learner):
    with pytest.raises(ValidationError, match="e-mail address is required"):
        update_profile(user=learner, **profile_data(email=""))

    assert User.objects.get(pk=learner.pk).email == "learner@example.com"


def test_update_profile_refuses_a_taken_email_from_any_caller(learner):
    UserFactory(email="taken@example.com")

    with pytest.raises(ValidationError, match="Another account already uses"):
        update_profile(user=learner, **profile_data(email="Taken@Example.com"))

    assert User.objects.get(pk=learner.pk).email == "learner@example.com"


def test_update_profile_refuses_an_unknown_time_zone_and_leaves_the_learner_as_it_was(learner):
    first_name = learner.first_name
    with pytest.raises(ValidationError, match="not a known time zone"):
        update_profile(user=learner, **profile_data(time_zone="Nowhere/Atlantis"))

    assert (learner.first_name, learner.time_zone) == (first_name, "")
    assert User.objects.get(pk=learner.pk).time_zone == ""


def test_the_profile_shows_the_private_calendar_address(client, learner):
    client.force_login(learner)

    response = client.get(reverse("profile"))

    assert f'value="http://testserver/calendar/{learner.calendar_token}.ics"' in response.text


def test_renewing_the_calendar_address_replaces_the_token(client, learner):
    old_token = learner.calendar_token
    client.force_login(learner)

    response = client.post(reverse("renew_calendar"))

    assert response.url == reverse("profile")
    new_token = User.objects.get(pk=learner.pk).calendar_token
    assert new_token != old_token
    assert f"/calendar/{new_token}.ics" in client.get(reverse("profile")).text


def test_renewing_the_calendar_address_needs_a_post(client, learner):
    old_token = learner.calendar_token
    client.force_login(learner)

    assert client.get(reverse("renew_calendar")).status_code == 405
    assert User.objects.get(pk=learner.pk).calendar_token == old_token
