from datetime import UTC, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from classes.models import VirtualClass
from classes.services import join_class, update_class
from tests.factories import UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# The class list


def test_the_list_shows_upcoming_classes_with_host_and_seats(client, virtual_class):
    response = client.get(reverse("classes:list"))

    assert response.status_code == 200
    assert "Spanish small talk" in response.text
    assert "1/4 taken" in response.text


def test_the_list_leaves_out_classes_that_have_started(client, host):
    VirtualClassFactory(booked_by=host, title="Tomorrow's class")
    started = VirtualClassFactory(booked_by=host, title="Started class")
    VirtualClass.objects.filter(pk=started.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )

    response = client.get(reverse("classes:list"))

    assert "Tomorrow&#x27;s class" in response.text
    assert "Started class" not in response.text


def test_the_list_filters_by_type(client, host):
    VirtualClassFactory(booked_by=host, title="Group chat")
    VirtualClassFactory(booked_by=host, title="Private lesson", individual=True)

    response = client.get(reverse("classes:list"), {"type": "individual"})

    assert "Private lesson" in response.text
    assert "Group chat" not in response.text


def test_the_list_filters_by_status(client, host):
    VirtualClassFactory(booked_by=host, title="Still on")
    VirtualClassFactory(booked_by=host, title="Called off", status=VirtualClass.Status.CANCELLED)

    response = client.get(reverse("classes:list"), {"status": "cancelled"})

    assert "Called off" in response.text
    assert "Still on" not in response.text


def test_the_list_leaves_out_cancelled_classes_unless_asked(client, host):
    VirtualClassFactory(booked_by=host, title="Still on")
    VirtualClassFactory(booked_by=host, title="Called off", status=VirtualClass.Status.CANCELLED)

    response = client.get(reverse("classes:list"))

    assert "Still on" in response.text
    assert "Called off" not in response.text


def test_the_list_filters_classes_with_free_seats(client, host, learner):
    VirtualClassFactory(booked_by=host, title="Room left")
    VirtualClassFactory(booked_by=host, title="Packed", max_participants=2, participants=[learner])

    response = client.get(reverse("classes:list"), {"free_seats": "on"})

    assert "Room left" in response.text
    assert "Packed" not in response.text


def test_the_list_ignores_unknown_filter_values_and_keeps_the_others(client, host):
    VirtualClassFactory(booked_by=host, title="Group talk")
    VirtualClassFactory(booked_by=host, title="One to one", individual=True)

    response = client.get(
        reverse("classes:list"), {"type": "individual", "status": "bogus", "page": "x"}
    )

    assert response.status_code == 200
    assert "One to one" in response.text
    assert "Group talk" not in response.text


def _titles(response) -> list[str]:
    return [c.title for c in response.context["page"].object_list]


def _link(response, rel: str) -> str:
    page = response.context["page"]
    query = response.context["query"]
    cursor = {"next": f"after={page.after}", "prev": f"before={page.before}"}[rel]
    return f"?{query}&{cursor}" if query else f"?{cursor}"


@pytest.fixture
def thirty_classes(host):
    """Thirty group classes an hour apart, two of them at the same minute (the id decides)."""
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    classes = [
        VirtualClassFactory(booked_by=host, title=f"C{n:02}", starts_at=start + timedelta(hours=n))
        for n in range(29)
    ]
    twin = VirtualClassFactory(booked_by=host, title="C14b", starts_at=classes[14].starts_at)
    return sorted([*classes, twin], key=lambda c: (c.starts_at, c.pk))


def test_the_list_walks_later_and_sooner_pages_keeping_the_filters(client, thirty_classes):
    expected = [c.title for c in thirty_classes]

    first = client.get(reverse("classes:list"), {"type": "grupal"})
    assert _titles(first) == expected[:12]
    assert first.context["page"].before is None
    assert f"?type=grupal&amp;after={first.context['page'].after}" in first.text

    second = client.get(reverse("classes:list") + _link(first, "next"))
    assert _titles(second) == expected[12:24]  # the two classes at one minute on either side
    third = client.get(reverse("classes:list") + _link(second, "next"))
    assert _titles(third) == expected[24:]
    assert third.context["page"].after is None

    back = client.get(reverse("classes:list") + _link(third, "prev"))
    assert _titles(back) == expected[12:24]
    back_to_first = client.get(reverse("classes:list") + _link(back, "prev"))
    assert _titles(back_to_first) == expected[:12]
    assert back_to_first.context["page"].before is None


def test_the_last_page_is_read_from_the_end(client, thirty_classes):
    response = client.get(reverse("classes:list"), {"last": "1"})

    assert _titles(response) == [c.title for c in thirty_classes][-12:]
    assert response.context["page"].after is None
    assert response.context["page"].before is not None


@pytest.mark.parametrize(
    "cursor", ["after=x", "before=12_zz", "after=99999999999999999999_" + "a" * 24]
)
def test_an_unreadable_cursor_gives_the_first_page(client, thirty_classes, cursor):
    response = client.get(reverse("classes:list") + "?" + cursor)

    assert response.status_code == 200
    assert _titles(response) == [c.title for c in thirty_classes][:12]


def test_the_count_is_capped(client, thirty_classes, monkeypatch):
    monkeypatch.setattr("learning_platform.pagination.COUNT_CAP", 25)

    response = client.get(reverse("classes:list"))

    assert "More than 25 classes" in response.text


def test_the_count_is_exact_below_the_cap(client, thirty_classes):
    response = client.get(reverse("classes:list"))

    assert "30 classes" in response.text


def test_a_list_found_longer_than_the_cap_is_not_counted_again_for_a_while(
    client, thirty_classes, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("learning_platform.pagination.COUNT_CAP", 25)
    client.get(reverse("classes:list"))

    # the page of classes only: the list was counted above the cap a moment ago
    with django_assert_num_queries(1):
        response = client.get(reverse("classes:list"))

    assert "More than 25 classes" in response.text


def test_a_count_below_the_cap_is_counted_on_every_request(client, thirty_classes, host):
    client.get(reverse("classes:list"))
    VirtualClassFactory(booked_by=host)

    response = client.get(reverse("classes:list"))

    assert "31 classes" in response.text


def test_each_filter_remembers_its_own_long_count(client, thirty_classes, host, monkeypatch):
    monkeypatch.setattr("learning_platform.pagination.COUNT_CAP", 25)
    client.get(reverse("classes:list"))

    response = client.get(reverse("classes:list"), {"status": "cancelled"})

    assert "0 classes" in response.text


def test_a_card_shows_what_changed_since_it_was_last_shown(client, host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, title="Before", max_participants=4)
    client.get(reverse("classes:list"))
    join_class(user=learner, virtual_class=virtual_class)
    update_class(virtual_class=virtual_class, by=host, title="After")

    response = client.get(reverse("classes:list"))

    assert "After" in response.text
    assert "Before" not in response.text
    assert "2/4 taken" in response.text


def test_a_card_is_shown_in_the_viewers_language_and_zone(client, virtual_class):
    client.get(reverse("classes:list"))
    client.cookies["tz"] = "Asia/Tokyo"

    response = client.get(reverse("classes:list"), HTTP_ACCEPT_LANGUAGE="es")

    assert "1/4 ocupados" in response.text
    assert "JST" in response.text


def test_the_status_filter_does_not_offer_completed(client):
    response = client.get(reverse("classes:list"))

    assert 'value="completed"' not in response.text
    assert 'value="cancelled"' in response.text


def test_a_card_says_why_its_class_cannot_be_joined(client, host, learner):
    VirtualClassFactory(booked_by=host, title="Packed", max_participants=2, participants=[learner])
    VirtualClassFactory(booked_by=host, title="Mine to join")
    other = UserFactory(username="other")
    client.force_login(other)

    response = client.get(reverse("classes:list"))

    notes = {c.title: c.why_not for c in response.context["page"].object_list}
    assert notes == {"Packed": "This class is full.", "Mine to join": None}
    assert "This class is full." in response.text


def test_a_card_tells_the_host_and_a_participant_where_they_stand(client, host, learner):
    VirtualClassFactory(booked_by=host, title="Hosted", max_participants=3, participants=[learner])
    client.force_login(learner)
    as_participant = client.get(reverse("classes:list"))
    client.force_login(host)
    as_host = client.get(reverse("classes:list"))

    assert "You have already joined this class." in as_participant.text
    assert "You are the host of this class." in as_host.text


def test_a_cancelled_class_says_so_on_its_card(client, host):
    VirtualClassFactory(booked_by=host, title="Called off", status=VirtualClass.Status.CANCELLED)

    response = client.get(reverse("classes:list"), {"status": "cancelled"})

    assert "This class has been cancelled." in response.text


def test_the_list_shows_start_times_in_the_learners_time_zone(client, host):
    starts_at = timezone.now().replace(hour=9, minute=30, second=0, microsecond=0)
    starts_at += timedelta(days=2)
    VirtualClassFactory(booked_by=host, starts_at=starts_at)
    client.cookies["tz"] = "Asia/Tokyo"  # UTC+9, no daylight saving

    response = client.get(reverse("classes:list"))

    assert "18:30 JST" in response.text


@pytest.mark.parametrize("classes", [2, 12])
def test_the_list_runs_the_same_queries_whatever_the_number_of_classes(
    client, learner, django_assert_num_queries, classes
):
    VirtualClassFactory.create_batch(classes)
    client.force_login(learner)

    # session, user, one page of classes with their hosts, the capped count, the viewer's seats
    with django_assert_num_queries(5):
        response = client.get(reverse("classes:list"))

    assert len(response.context["page"].object_list) == classes


@pytest.mark.parametrize("where", ["", "?last=1", "?type=grupal&free_seats=on&last=1"])
def test_a_deep_page_runs_the_same_queries_as_the_first(
    client, learner, django_assert_num_queries, thirty_classes, where
):
    client.force_login(learner)

    with django_assert_num_queries(5):
        response = client.get(reverse("classes:list") + where)

    assert len(response.context["page"].object_list) == 12


# The class detail


def test_an_unknown_class_is_not_found(client):
    assert client.get(reverse("classes:detail", args=["0" * 24])).status_code == 404


@pytest.mark.parametrize("bad_id", ["nope", "A" * 24, "a" * 300])
def test_a_malformed_class_id_is_not_found(client, bad_id):
    assert client.get(f"/classes/{bad_id}/").status_code == 404


def test_a_class_id_holding_a_nul_byte_is_a_bad_request(client):
    assert client.get("/classes/a%00b/").status_code == 400


def test_the_detail_lists_the_host_and_participants_to_learners(client, host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])
    client.force_login(UserFactory())

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    assert escape(host.get_full_name()) in response.text
    assert escape(learner.get_full_name()) in response.text


def test_the_seats_row_says_once_that_the_host_takes_a_seat(client, host, learner):
    virtual_class = VirtualClassFactory(
        booked_by=host, max_participants=4, participants=[learner, UserFactory()]
    )
    client.force_login(UserFactory())

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    assert "3/4 taken (the host included), 1 left" in response.text
    assert response.text.count("the host included") == 1


def test_a_learner_with_a_free_seat_is_offered_to_join(client, learner, virtual_class):
    client.force_login(learner)

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    assert response.context["action"] == "join"
    assert reverse("classes:join", args=[virtual_class.pk]) in response.text


def test_a_participant_is_offered_to_leave(client, learner, host):
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])
    client.force_login(learner)

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    assert response.context["action"] == "leave"


def test_the_host_is_offered_to_cancel(client, host, virtual_class):
    client.force_login(host)

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    assert response.context["action"] == "cancel"


def test_a_visitor_is_asked_to_log_in_to_join(client, virtual_class):
    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    assert response.context["action"] == "login"
    assert "Log in to join" in response.text


def test_a_full_class_says_why_nobody_can_join_and_offers_the_waiting_list(client, host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, max_participants=2, participants=[learner])
    client.force_login(UserFactory())

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    assert response.context["action"] == "join_waitlist"
    assert "This class is full." in response.text
    assert "Join the waiting list" in response.text


def test_a_cancelled_class_says_so_to_its_host(client, host):
    virtual_class = VirtualClassFactory(booked_by=host, status=VirtualClass.Status.CANCELLED)
    client.force_login(host)

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    assert response.context["action"] is None
    assert "This class is already cancelled." in response.text


@pytest.mark.parametrize("participants", [1, 6])
def test_the_detail_runs_the_same_queries_whatever_the_number_of_participants(
    client, learner, django_assert_num_queries, participants
):
    virtual_class = VirtualClassFactory(
        max_participants=10, participants=UserFactory.create_batch(participants)
    )
    client.force_login(learner)

    # session, user, class with host and task, participants, the viewer's activity,
    # why_cannot_join: already a participant?
    with django_assert_num_queries(6):
        response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    assert response.status_code == 200


# Booking


def booking(**overrides) -> dict:
    starts_at = timezone.localtime() + timedelta(days=3)
    data = {
        "title": "Ordering food",
        "description": "Restaurants and markets.",
        "learning_focus": "Food vocabulary",
        "class_type": "grupal",
        "max_participants": "5",
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "meeting_url": "",
    }
    return data | overrides


def test_booking_needs_a_signed_in_learner(client):
    response = client.get(reverse("classes:book"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_booking_creates_the_class_with_the_learner_as_host(client, learner):
    client.force_login(learner)

    response = client.post(reverse("classes:book"), booking())

    virtual_class = VirtualClass.objects.get()
    assert virtual_class.booked_by == learner
    assert virtual_class.max_participants == 5
    assert response.url == reverse("classes:detail", args=[virtual_class.pk])
    assert "Your class “Ordering food” is booked. Other learners can join." in messages_of(response)


def test_an_individual_class_is_booked_with_one_seat(client, learner):
    client.force_login(learner)

    client.post(reverse("classes:book"), booking(class_type="individual", max_participants="9"))

    assert VirtualClass.objects.get().max_participants == 1


def test_booking_a_group_with_too_few_seats_shows_the_rule_on_the_form(client, learner):
    client.force_login(learner)

    response = client.post(reverse("classes:book"), booking(max_participants="1"))

    assert response.status_code == 200
    assert response.context["form"].errors["max_participants"] == [
        "A group class needs at least two seats."
    ]
    assert not VirtualClass.objects.exists()


def test_booking_in_the_past_shows_the_rule_on_the_start_field(client, learner):
    client.force_login(learner)
    yesterday = timezone.localtime() - timedelta(days=1)

    response = client.post(
        reverse("classes:book"),
        booking(
            starts_at=yesterday.strftime("%Y-%m-%dT%H:%M"),
            ends_at=(yesterday + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )

    assert response.context["form"].errors["starts_at"] == [
        "A class can only be booked to start in the future."
    ]
    assert not VirtualClass.objects.exists()


def test_booking_an_end_before_the_start_shows_the_rule_on_the_end_field(client, learner):
    client.force_login(learner)
    data = booking()

    response = client.post(reverse("classes:book"), booking(ends_at=data["starts_at"]))

    assert response.context["form"].errors["ends_at"] == ["The class must end after it starts."]


@pytest.mark.parametrize(
    ("zone", "starts_at", "ends_at", "field", "error"),
    [
        # Near the calendar's ends, converting these to UTC would overflow.
        (
            "America/Los_Angeles",
            "9999-12-31T20:00",
            "9999-12-31T21:00",
            "starts_at",
            "A class can be scheduled at most two years ahead.",
        ),
        (
            "Asia/Tokyo",
            "0001-01-01T00:00",
            "0001-01-01T01:00",
            "starts_at",
            "A class cannot start before the year 2000.",
        ),
        (
            "UTC",
            None,
            "9999-12-31T23:00",
            "ends_at",
            "A class lasts at most twelve hours.",
        ),
    ],
)
def test_booking_dates_out_of_reach_are_refused_on_the_form(
    client, learner, zone, starts_at, ends_at, field, error
):
    client.force_login(learner)
    client.cookies["tz"] = zone
    data = booking(ends_at=ends_at) | ({"starts_at": starts_at} if starts_at else {})

    response = client.post(reverse("classes:book"), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert not VirtualClass.objects.exists()


def test_booking_reads_the_times_in_the_learners_time_zone(client, learner):
    client.force_login(learner)
    client.cookies["tz"] = "Asia/Tokyo"
    next_year = timezone.now().year + 1

    client.post(
        reverse("classes:book"),
        booking(starts_at=f"{next_year}-03-01T18:00", ends_at=f"{next_year}-03-01T19:00"),
    )

    starts_at = VirtualClass.objects.get().starts_at
    assert (starts_at.astimezone(UTC).hour, starts_at.minute) == (9, 0)


# Join, leave, cancel


def test_joining_takes_a_seat_and_says_so(client, learner, virtual_class):
    client.force_login(learner)

    response = client.post(reverse("classes:join", args=[virtual_class.pk]))

    virtual_class.refresh_from_db()
    assert virtual_class.participants.filter(pk=learner.pk).exists()
    assert messages_of(response) == ["You have joined “Spanish small talk”."]


def test_joining_a_full_class_is_refused_with_the_reason(client, host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, max_participants=2, participants=[learner])
    latecomer = UserFactory()
    client.force_login(latecomer)

    response = client.post(reverse("classes:join", args=[virtual_class.pk]))

    assert messages_of(response) == ["This class is full."]
    assert not virtual_class.participants.filter(pk=latecomer.pk).exists()


def test_the_host_joining_their_own_class_is_refused(client, host, virtual_class):
    client.force_login(host)

    response = client.post(reverse("classes:join", args=[virtual_class.pk]))

    assert messages_of(response) == ["You are the host of this class."]


CLASS_ACTIONS = [
    "classes:join",
    "classes:leave",
    "classes:cancel",
    "classes:join_waitlist",
    "classes:leave_waitlist",
]


@pytest.mark.parametrize("action", CLASS_ACTIONS)
def test_class_actions_by_put_are_not_allowed(client, learner, virtual_class, action):
    client.force_login(learner)

    assert client.put(reverse(action, args=[virtual_class.pk])).status_code == 405


@pytest.mark.parametrize("action", CLASS_ACTIONS)
def test_class_actions_by_get_on_an_unknown_class_are_not_found(client, learner, action):
    client.force_login(learner)

    assert client.get(reverse(action, args=["a" * 24])).status_code == 404


@pytest.mark.parametrize("action", CLASS_ACTIONS)
def test_class_actions_on_an_unknown_class_are_not_found(client, learner, action):
    client.force_login(learner)

    assert client.post(reverse(action, args=["a" * 24])).status_code == 404


@pytest.mark.parametrize("action", CLASS_ACTIONS)
def test_class_actions_need_a_signed_in_learner(client, virtual_class, action):
    before = (virtual_class.status, virtual_class.current_participants)

    response = client.post(reverse(action, args=[virtual_class.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    virtual_class.refresh_from_db()
    assert (virtual_class.status, virtual_class.current_participants) == before


def test_leaving_frees_the_seat_and_says_so(client, host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])
    client.force_login(learner)

    response = client.post(reverse("classes:leave", args=[virtual_class.pk]))

    virtual_class.refresh_from_db()
    assert virtual_class.current_participants == 1
    assert messages_of(response) == [f"You have left “{virtual_class.title}”. Your seat is free."]


def test_leaving_a_class_not_joined_is_refused(client, learner, virtual_class):
    client.force_login(learner)

    response = client.post(reverse("classes:leave", args=[virtual_class.pk]))

    assert messages_of(response) == ["You have not joined this class."]


def test_the_host_cancels_their_class(client, host, virtual_class):
    client.force_login(host)

    response = client.post(reverse("classes:cancel", args=[virtual_class.pk]))

    virtual_class.refresh_from_db()
    assert virtual_class.status == VirtualClass.Status.CANCELLED
    assert messages_of(response) == ["“Spanish small talk” is cancelled."]


def test_a_learner_cannot_cancel_someone_elses_class(client, learner, virtual_class):
    client.force_login(learner)

    response = client.post(reverse("classes:cancel", args=[virtual_class.pk]))

    virtual_class.refresh_from_db()
    assert virtual_class.status == VirtualClass.Status.SCHEDULED
    assert messages_of(response) == ["Only the host or staff can cancel this class."]


def test_every_form_carries_a_csrf_token(client, learner, virtual_class):
    client.force_login(learner)

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    forms = response.text.count('<form method="post"')
    assert forms == 3  # log out, language, join
    assert response.text.count("csrfmiddlewaretoken") == forms


def test_an_individual_class_needs_no_seat_count(client, learner):
    client.force_login(learner)

    client.post(reverse("classes:book"), booking(class_type="individual", max_participants=""))

    assert VirtualClass.objects.get().max_participants == 1


def test_a_group_class_needs_a_seat_count(client, learner):
    client.force_login(learner)

    response = client.post(reverse("classes:book"), booking(max_participants=""))

    assert "max_participants" in response.context["form"].errors
    assert not VirtualClass.objects.exists()


def test_a_visitor_does_not_see_who_joined(client, host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    assert escape(learner.get_full_name()) not in response.text
    assert "2 learners so far." in response.text


# What each action costs (as in production: no test transaction around it)


@pytest.mark.django_db(transaction=True)
def test_joining_and_leaving_cost_a_fixed_number_of_queries(client, django_assert_num_queries):
    host, learner = UserFactory(), UserFactory()
    virtual_class = VirtualClassFactory(booked_by=host, max_participants=4)
    client.force_login(learner)

    # session, user, the class (may the viewer see it?), BEGIN, the class under lock (and
    # whether the viewer has joined), Django's membership read and insert, the seat, the
    # activity, the learner's waiting-list entry, the log entry, its message, COMMIT; then the
    # message is sent: read, claimed, marked sent
    with django_assert_num_queries(16):
        client.post(reverse("classes:join", args=[virtual_class.pk]))
    # session, user, BEGIN, the class under lock, the activity (completed?), the memberships,
    # the leaving activities read (completed?) and deleted, the seat, the membership, the log
    # entry, the first learner waiting, COMMIT
    with django_assert_num_queries(13):
        client.post(reverse("classes:leave", args=[virtual_class.pk]))

    virtual_class.refresh_from_db()
    assert virtual_class.current_participants == 1
    assert not virtual_class.activities.filter(user=learner).exists()


@pytest.mark.django_db(transaction=True)
def test_booking_costs_the_inserts_only(client, django_assert_num_queries):
    client.force_login(UserFactory())
    start = timezone.now() + timedelta(days=2)
    form = {
        "title": "Tapas talk",
        "class_type": "grupal",
        "max_participants": 4,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }

    # session, user, BEGIN, the class, the host's activity, the log entry, its message, COMMIT;
    # then the message is sent: read, claimed, marked sent
    with django_assert_num_queries(11):
        response = client.post(reverse("classes:book"), form)

    assert response.status_code == 302
    assert VirtualClass.objects.get(title="Tapas talk").activities.count() == 1


def test_joining_an_unknown_class_is_not_found(client, learner):
    client.force_login(learner)

    assert client.post(reverse("classes:join", args=["0" * 24])).status_code == 404


def test_the_filters_show_what_was_chosen(client):
    response = client.get(reverse("classes:list"), {"type": "grupal", "free_seats": "on"})

    assert '<option value="grupal" selected>' in response.text
    assert 'name="free_seats" id="id_free_seats" checked>' in response.text
    assert '<option value="" selected>Scheduled</option>' in response.text
