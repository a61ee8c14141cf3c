"""Rule 13: a class as an .ics file for its members, and each learner's private feed."""

from datetime import UTC, timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.services import renew_calendar_token
from classes.models import VirtualClass
from classes.services import cancel_class, leave_class
from notifications.calendar import class_uid
from tests.factories import StaffFactory, UserFactory, VirtualClassFactory
from tests.notifications.readers import events

pytestmark = pytest.mark.django_db


def feed_url(user) -> str:
    return reverse("notifications:feed", kwargs={"token": user.calendar_token})


def class_ics_url(virtual_class) -> str:
    return reverse("notifications:class_calendar", kwargs={"pk": virtual_class.pk})


def move(virtual_class, by: timedelta) -> None:
    # As the rule that moves a class does: new times, and the sequence raised with them.
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        starts_at=F("starts_at") + by, ends_at=F("ends_at") + by, sequence=F("sequence") + 1
    )


# The file for one class


def test_the_host_downloads_their_class_as_an_ics_file(client, host, virtual_class):
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        meeting_url="https://meet.example.com/abc"
    )
    client.force_login(host)

    response = client.get(class_ics_url(virtual_class))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="class-{virtual_class.pk}.ics"'
    assert events(response.content) == [
        {
            "uid": f"{virtual_class.pk}@classes.hablamos",
            "sequence": 0,
            "start": virtual_class.starts_at.astimezone(UTC).replace(microsecond=0),
            "end": virtual_class.ends_at.astimezone(UTC).replace(microsecond=0),
            "summary": "Spanish small talk",
            "status": "CONFIRMED",
            "location": "https://meet.example.com/abc",
            "url": "https://meet.example.com/abc",
        }
    ]


def test_the_file_writes_times_in_utc(client, host, virtual_class):
    client.force_login(host)
    client.cookies["tz"] = "Europe/Madrid"

    content = client.get(class_ics_url(virtual_class)).content.decode()

    start = virtual_class.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}\r\n" in content
    assert "TZID" not in content


def test_the_description_links_to_the_class_page(client, host, virtual_class):
    client.force_login(host)

    content = client.get(class_ics_url(virtual_class)).content.decode().replace("\r\n ", "")

    assert f"Class page: http://testserver/classes/{virtual_class.pk}/" in content


def test_a_participant_downloads_the_class(client, learner, virtual_class):
    virtual_class.participants.add(learner)
    client.force_login(learner)

    assert client.get(class_ics_url(virtual_class)).status_code == 200


@pytest.mark.parametrize("who", ["stranger", "staff"])
def test_someone_not_taking_part_gets_a_404(client, virtual_class, who):
    client.force_login(UserFactory() if who == "stranger" else StaffFactory())

    assert client.get(class_ics_url(virtual_class)).status_code == 404


def test_the_class_file_needs_a_signed_in_learner(client, virtual_class):
    response = client.get(class_ics_url(virtual_class))

    assert response.url.startswith(reverse("login"))


def test_the_class_page_offers_the_file_to_members_only(client, host, learner, virtual_class):
    page = reverse("classes:detail", kwargs={"pk": virtual_class.pk})
    client.force_login(learner)
    assert class_ics_url(virtual_class) not in client.get(page).text

    client.force_login(host)
    assert class_ics_url(virtual_class) in client.get(page).text


# The learner's feed


def test_the_feed_lists_the_classes_a_learner_hosts_and_joined(client, learner):
    hosted = VirtualClassFactory(booked_by=learner)
    joined = VirtualClassFactory(participants=[learner])
    VirtualClassFactory()  # someone else's

    response = client.get(feed_url(learner))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=0"
    assert sorted(event["uid"] for event in events(response.content)) == sorted(
        [class_uid(hosted), class_uid(joined)]
    )


def test_the_feed_reaches_30_days_back(client, learner):
    now = timezone.now()
    recent = VirtualClassFactory(booked_by=learner, starts_at=now - timedelta(days=29))
    VirtualClassFactory(booked_by=learner, starts_at=now - timedelta(days=31))

    response = client.get(feed_url(learner))

    assert [event["uid"] for event in events(response.content)] == [class_uid(recent)]


def test_a_cancelled_class_stays_in_the_feed_as_cancelled_with_a_higher_sequence(
    client, host, virtual_class
):
    before = events(client.get(feed_url(host)).content)

    cancel_class(virtual_class=virtual_class, by=host)
    after = events(client.get(feed_url(host)).content)

    assert [(event["uid"], event["status"]) for event in after] == [
        (class_uid(virtual_class), "CANCELLED")
    ]
    assert after[0]["sequence"] > before[0]["sequence"]


def test_a_moved_class_keeps_its_uid_with_a_higher_sequence(client, host, virtual_class):
    [before] = events(client.get(feed_url(host)).content)

    move(virtual_class, by=timedelta(hours=3))
    [after] = events(client.get(feed_url(host)).content)

    assert after["uid"] == before["uid"]
    assert after["sequence"] == before["sequence"] + 1
    assert after["start"] == before["start"] + timedelta(hours=3)


def test_a_pending_class_is_tentative(client, host):
    VirtualClassFactory(booked_by=host, status=VirtualClass.Status.PENDING)

    [event] = events(client.get(feed_url(host)).content)

    assert event["status"] == "TENTATIVE"


def test_a_class_the_learner_left_leaves_the_feed(client, learner, virtual_class):
    virtual_class.participants.add(learner)
    leave_class(user=learner, virtual_class=virtual_class)

    assert events(client.get(feed_url(learner)).content) == []


def test_an_unchanged_feed_reads_the_same_every_time(client, host, virtual_class):
    assert client.get(feed_url(host)).content == client.get(feed_url(host)).content


def test_the_feed_is_a_valid_calendar_for_subscriptions(client, host, virtual_class):
    content = client.get(feed_url(host)).content.decode()

    assert content.startswith("BEGIN:VCALENDAR\r\n")
    assert "VERSION:2.0\r\n" in content
    assert "PRODID:-//Hablamos//Live classes//EN\r\n" in content
    assert "METHOD:PUBLISH\r\n" in content
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in content


def test_an_unknown_token_gets_a_404(client, host, virtual_class):
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404


def test_a_renewed_token_retires_the_old_feed_url(client, host, virtual_class):
    old_url = feed_url(host)

    renew_calendar_token(user=host)

    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(host)).status_code == 200


def test_an_inactive_learners_feed_is_gone(client, host, virtual_class):
    host.is_active = False
    host.save()

    assert client.get(feed_url(host)).status_code == 404


def test_each_learner_has_their_own_token(db):
    assert len({UserFactory().calendar_token for _ in range(5)}) == 5


@pytest.mark.parametrize("classes", [1, 20])
def test_the_feed_runs_two_queries_however_many_classes(
    client, learner, django_assert_num_queries, classes
):
    for _ in range(classes):
        VirtualClassFactory(participants=[learner])

    # the learner by token, their classes
    with django_assert_num_queries(2):
        response = client.get(feed_url(learner))

    assert len(events(response.content)) == classes


def test_the_class_file_runs_three_queries(client, host, virtual_class, django_assert_num_queries):
    client.force_login(host)

    # session, user, the class among the learner's
    with django_assert_num_queries(3):
        assert client.get(class_ics_url(virtual_class)).status_code == 200
