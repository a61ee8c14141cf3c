from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classes.models import VirtualClass
from classes.selectors import CALL_OPENS_BEFORE, call_for
from tests.factories import UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.com/spanish-small-talk"


@pytest.fixture
def joined_class(host, learner):
    return VirtualClassFactory(
        booked_by=host, title="Spanish small talk", meeting_url=LINK, participants=[learner]
    )


def move(virtual_class, *, starts_in: timedelta, lasts=timedelta(hours=1)) -> VirtualClass:
    """Put the class at a time relative to now (past times included, as the booking rules
    would refuse them)."""
    starts_at = timezone.now() + starts_in
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        starts_at=starts_at, ends_at=starts_at + lasts
    )
    virtual_class.refresh_from_db()
    return virtual_class


# The window's edges, at exact moments


def test_the_call_is_not_offered_a_moment_before_the_window(joined_class):
    opens_at = joined_class.starts_at - CALL_OPENS_BEFORE

    call = call_for(
        virtual_class=joined_class, member=True, now=opens_at - timedelta(microseconds=1)
    )

    assert (call.state, call.url) == ("soon", "")
    assert call.opens_at == opens_at


def test_the_call_opens_fifteen_minutes_before_the_start(joined_class):
    opens_at = joined_class.starts_at - timedelta(minutes=15)

    call = call_for(virtual_class=joined_class, member=True, now=opens_at)

    assert (call.state, call.url) == ("open", LINK)


def test_the_call_stays_open_until_the_last_moment_of_the_class(joined_class):
    now = joined_class.ends_at - timedelta(microseconds=1)

    call = call_for(virtual_class=joined_class, member=True, now=now)

    assert (call.state, call.url) == ("open", LINK)


def test_the_call_is_gone_when_the_class_ends(joined_class):
    assert call_for(virtual_class=joined_class, member=True, now=joined_class.ends_at) is None


def test_the_call_is_never_offered_to_someone_outside_the_class(joined_class):
    assert call_for(virtual_class=joined_class, member=False, now=joined_class.starts_at) is None


def test_a_cancelled_class_offers_no_call(joined_class):
    joined_class.status = VirtualClass.Status.CANCELLED

    assert call_for(virtual_class=joined_class, member=True, now=joined_class.starts_at) is None


def test_a_pending_class_offers_no_call_until_it_is_confirmed(joined_class):
    joined_class.status = VirtualClass.Status.PENDING

    call = call_for(virtual_class=joined_class, member=True, now=joined_class.starts_at)

    assert (call.state, call.url) == ("unconfirmed", "")


def test_a_class_without_a_link_says_so_in_the_window(joined_class):
    joined_class.meeting_url = ""

    call = call_for(virtual_class=joined_class, member=True, now=joined_class.starts_at)

    assert (call.state, call.url) == ("no-link", "")


# The class page


def test_a_participant_sees_join_the_call_now_in_the_window(client, learner, joined_class):
    move(joined_class, starts_in=timedelta(minutes=10))
    client.force_login(learner)

    response = client.get(reverse("classes:detail", args=[joined_class.pk]))

    assert "Join the call now" in response.text
    assert f'href="{LINK}"' in response.text


def test_the_host_sees_join_the_call_now_while_the_class_is_on(client, host, joined_class):
    move(joined_class, starts_in=-timedelta(minutes=30))
    client.force_login(host)

    response = client.get(reverse("classes:detail", args=[joined_class.pk]))

    assert "Join the call now" in response.text
    assert "Your class is on now" in response.text


def test_before_the_window_the_page_says_when_the_link_appears(client, learner, joined_class):
    move(joined_class, starts_in=timedelta(minutes=16))
    client.force_login(learner)

    response = client.get(reverse("classes:detail", args=[joined_class.pk]))

    assert "Join the call now" not in response.text
    assert LINK not in response.text
    assert "The meeting link appears here 15 minutes before the start" in response.text


def test_after_the_class_the_link_is_not_offered(client, learner, joined_class):
    move(joined_class, starts_in=-timedelta(hours=2))
    client.force_login(learner)

    response = client.get(reverse("classes:detail", args=[joined_class.pk]))

    assert LINK not in response.text
    assert "Join the call now" not in response.text


def test_a_learner_who_has_not_joined_never_sees_the_link(client, joined_class):
    move(joined_class, starts_in=timedelta(minutes=5))
    client.force_login(UserFactory())

    response = client.get(reverse("classes:detail", args=[joined_class.pk]))

    assert LINK not in response.text
    assert "Join the call now" not in response.text


def test_a_visitor_never_sees_the_link(client, joined_class):
    move(joined_class, starts_in=timedelta(minutes=5))

    response = client.get(reverse("classes:detail", args=[joined_class.pk]))

    assert LINK not in response.text
