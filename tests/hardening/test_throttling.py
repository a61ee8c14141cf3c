"""Sign-in throttling (per account, per client address) and the daily booking limit."""

import os
import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from classes.models import VirtualClass
from learning_platform import throttling
from tests.api.conftest import client_for
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGINS = {"site": "/login/", "admin": "/admin/login/"}
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = "3/15m"
    settings.LOGIN_FAILURES_PER_ADDRESS = "5/15m"
    return settings


def _sign_in(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("door", LOGINS)
def test_after_too_many_failures_even_the_right_password_is_refused(client, limits, door):
    staff = StaffFactory(username="mara")
    for _ in range(3):
        assert _sign_in(client, LOGINS[door], "mara", "wrong").status_code == 200

    response = _sign_in(client, LOGINS[door], "mara", PASSWORD)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 15 * 60
    # The wait runs to the end of the 15-minute window.
    assert re.search(
        r"Too many failed sign-in attempts\. Try again in \d+ (seconds?|minutes?)\.", response.text
    )
    assert not _signed_in(client)
    assert staff.last_login is None


@pytest.mark.parametrize("door", LOGINS)
def test_failures_below_the_limit_do_not_stop_the_right_password(client, limits, door):
    StaffFactory(username="mara")
    for _ in range(2):
        _sign_in(client, LOGINS[door], "mara", "wrong")

    response = _sign_in(client, LOGINS[door], "mara", PASSWORD)

    assert response.status_code == 302
    assert _signed_in(client)


def test_the_account_count_ignores_the_case_of_the_username(client, limits):
    UserFactory(username="mara")
    for username in ("mara", "MARA", " Mara"):
        _sign_in(client, "/login/", username, "wrong")

    assert _sign_in(client, "/login/", "mara", PASSWORD).status_code == 429


def test_the_site_and_the_admin_share_the_count(client, limits):
    StaffFactory(username="mara")
    _sign_in(client, "/login/", "mara", "wrong")
    _sign_in(client, "/admin/login/", "mara", "wrong")
    _sign_in(client, "/login/", "mara", "wrong")

    assert _sign_in(client, "/admin/login/", "mara", PASSWORD).status_code == 429


def test_successful_sign_ins_are_not_counted(client, limits):
    UserFactory(username="mara")
    for _ in range(5):
        assert _sign_in(client, "/login/", "mara", PASSWORD).status_code == 302
        client.logout()

    assert _sign_in(client, "/login/", "mara", PASSWORD).status_code == 302


def test_one_address_guessing_many_accounts_is_stopped(client, limits):
    UserFactory(username="victim")
    for number in range(5):
        _sign_in(client, "/login/", f"someone{number}", "wrong")

    response = _sign_in(client, "/login/", "victim", PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(client)


def test_a_locked_address_does_not_lock_other_addresses(client, limits):
    UserFactory(username="victim")
    for number in range(5):
        _sign_in(client, "/login/", f"someone{number}", "wrong", REMOTE_ADDR="203.0.113.9")

    response = _sign_in(client, "/login/", "victim", PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 302


def test_the_wait_ends_with_the_window(client, limits):
    UserFactory(username="mara")
    for _ in range(3):
        _sign_in(client, "/login/", "mara", "wrong")
    assert _sign_in(client, "/login/", "mara", PASSWORD).status_code == 429

    later = time.time() + 15 * 60 + 1
    with mock.patch("django_ratelimit.core.time.time", return_value=later):
        response = _sign_in(client, "/login/", "mara", PASSWORD)

    assert response.status_code == 302


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(client, limits):
    UserFactory(username="victim")
    for number in range(5):
        # A client rotating X-Forwarded-For still counts as its own address.
        _sign_in(client, "/login/", f"x{number}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")

    assert _sign_in(client, "/login/", "victim", PASSWORD).status_code == 429


def test_behind_a_trusted_proxy_the_address_it_saw_counts(client, limits):
    limits.TRUSTED_PROXY = True
    UserFactory(username="victim")
    for number in range(5):
        # The proxy appends the address it saw; what the client sent before it is not believed.
        forwarded = f"10.0.0.{number}, 203.0.113.9"
        _sign_in(client, "/login/", f"x{number}", "wrong", HTTP_X_FORWARDED_FOR=forwarded)

    elsewhere = _sign_in(client, "/login/", "victim", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    client.logout()
    same = _sign_in(
        client, "/login/", "victim", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )

    assert elsewhere.status_code == 302
    assert same.status_code == 429


@pytest.mark.parametrize("address", ["", "not-an-address", "999.1.1.1"])
def test_an_unusable_address_is_counted_as_unknown_not_an_error(rf, settings, address):
    settings.TRUSTED_PROXY = True
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)

    expected = "127.0.0.1" if address == "" else throttling.UNKNOWN_ADDRESS
    assert throttling.client_address(request) == expected


def test_a_cache_that_fails_does_not_lock_anyone_out(client, limits):
    UserFactory(username="mara")
    with mock.patch.object(throttling, "get_usage", side_effect=ConnectionError("cache down")):
        response = _sign_in(client, "/login/", "mara", PASSWORD)

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("seconds", "message"),
    [
        (1, "Try again in 1 second."),
        (59, "Try again in 59 seconds."),
        (61, "Try again in 2 minutes."),
        (899, "Try again in 15 minutes."),
        (20 * 3600, "Try again in 20 hours."),
    ],
)
def test_the_wait_is_said_in_words(seconds, message):
    assert throttling.wait_message(seconds) == message


# Bookings per learner per day


def _book_form(title="Daily practice"):
    starts_at = timezone.localtime() + timedelta(days=3)
    return {
        "title": title,
        "class_type": VirtualClass.Type.GRUPAL,
        "max_participants": 4,
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }


def test_a_learner_books_at_most_the_days_limit(client, settings, learner):
    settings.BOOKINGS_PER_DAY = 2
    client.force_login(learner)
    for number in range(2):
        assert client.post(reverse("classes:book"), _book_form(f"C{number}")).status_code == 302

    response = client.post(reverse("classes:book"), _book_form("One too many"))

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 24 * 3600
    assert "You have booked 2 classes today, the most a day. Try again in" in response.text
    assert not VirtualClass.objects.filter(title="One too many").exists()
    assert VirtualClass.objects.filter(booked_by=learner).count() == 2


def test_refused_bookings_do_not_use_up_the_day(client, settings, learner):
    settings.BOOKINGS_PER_DAY = 1
    client.force_login(learner)
    refused = _book_form() | {"max_participants": 500}
    assert client.post(reverse("classes:book"), refused).status_code == 200

    assert client.post(reverse("classes:book"), _book_form()).status_code == 302


def test_the_daily_limit_is_per_learner(client, settings, learner, host):
    settings.BOOKINGS_PER_DAY = 1
    client.force_login(learner)
    client.post(reverse("classes:book"), _book_form())
    client.force_login(host)

    assert client.post(reverse("classes:book"), _book_form("Host's")).status_code == 302


def test_a_limit_of_zero_means_no_limit(client, settings, learner):
    settings.BOOKINGS_PER_DAY = 0
    client.force_login(learner)
    for number in range(12):
        assert client.post(reverse("classes:book"), _book_form(f"C{number}")).status_code == 302


def _api_booking(title):
    starts_at = timezone.now() + timedelta(days=3)
    return {
        "title": title,
        "classType": "grupal",
        "maxParticipants": 4,
        "startsAt": starts_at.isoformat(),
        "endsAt": (starts_at + timedelta(hours=1)).isoformat(),
    }


def test_the_api_applies_the_days_limit_in_the_pages_words(settings, learner):
    settings.BOOKINGS_PER_DAY = 2
    api = client_for(learner)
    assert api.post("/api/v1/classes/", _api_booking("C0"), format="json").status_code == 201
    assert api.post("/api/v1/classes/", _api_booking("C1"), format="json").status_code == 201

    response = api.post("/api/v1/classes/", _api_booking("One too many"), format="json")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 24 * 3600
    assert response.json()["detail"].startswith(
        "You have booked 2 classes today, the most a day. Try again in"
    )
    assert not VirtualClass.objects.filter(title="One too many").exists()


def test_the_page_and_the_api_count_against_one_limit(client, settings, learner):
    settings.BOOKINGS_PER_DAY = 2
    client.force_login(learner)
    api = client_for(learner)
    assert client.post(reverse("classes:book"), _book_form("On the page")).status_code == 302
    assert (
        api.post("/api/v1/classes/", _api_booking("By the API"), format="json").status_code == 201
    )

    page = client.post(reverse("classes:book"), _book_form("Page, one too many"))
    through_api = api.post("/api/v1/classes/", _api_booking("API, one too many"), format="json")

    assert (page.status_code, through_api.status_code) == (429, 429)
    assert VirtualClass.objects.filter(booked_by=learner).count() == 2


def test_a_refused_api_booking_does_not_use_up_the_day(settings, learner):
    settings.BOOKINGS_PER_DAY = 1
    api = client_for(learner)
    refused = _api_booking("Too big") | {"maxParticipants": 500}
    assert api.post("/api/v1/classes/", refused, format="json").status_code == 400

    assert api.post("/api/v1/classes/", _api_booking("Fine"), format="json").status_code == 201


# Redis: the counts are shared by every worker process


@pytest.fixture
def redis_cache(settings):
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not answering at {REDIS_URL}; CI must run this test.")
        pytest.skip(f"Redis is not answering at {REDIS_URL} (TEST_REDIS_URL names another)")
    connection.flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    yield connection
    connection.flushdb()


def test_with_redis_the_failures_are_counted_in_redis(client, limits, redis_cache):
    UserFactory(username="mara")
    for _ in range(3):
        _sign_in(client, "/login/", "mara", "wrong")

    assert redis_cache.dbsize() == 2  # one count for the account, one for the address
    assert _sign_in(client, "/login/", "mara", PASSWORD).status_code == 429
