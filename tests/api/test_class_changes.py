"""Changing a class, its waiting list, and pending bookings through the API: each through the
class services, refused with the pages' own messages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classes.models import VirtualClass, WaitlistEntry
from classes.services import join_waitlist
from tests.api.conftest import client_for
from tests.factories import StaffFactory, UserFactory, VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db

LIST = "/api/v1/classes/"


def detail(virtual_class: VirtualClass) -> str:
    return reverse("api:class-detail", args=[virtual_class.pk])


def waitlist(virtual_class: VirtualClass) -> str:
    return reverse("api:class-waitlist", args=[virtual_class.pk])


def row(virtual_class: VirtualClass) -> dict:
    return VirtualClass.objects.filter(pk=virtual_class.pk).values().get()


def waiting(virtual_class: VirtualClass) -> list[str]:
    return list(
        WaitlistEntry.objects.filter(virtual_class=virtual_class)
        .order_by("created_at", "pk")
        .values_list("user__username", flat=True)
    )


# --- PATCH /classes/{id}/ -------------------------------------------------------------------


def test_the_host_changes_the_fields_sent_and_only_those(as_host, virtual_class):
    starts = (timezone.now() + timedelta(days=4)).replace(microsecond=0)
    before = row(virtual_class)

    response = as_host.patch(
        detail(virtual_class),
        {
            "title": "Ordering food",
            "learningFocus": "Restaurants",
            "meetingUrl": "https://meet.example.com/food",
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(minutes=90)).isoformat(),
            "maxParticipants": 6,
        },
        format="json",
    )

    assert response.status_code == 200
    record = response.json()
    assert record["title"] == "Ordering food"
    assert record["learningFocus"] == "Restaurants"
    assert record["meetingUrl"] == "https://meet.example.com/food"
    assert record["maxParticipants"] == 6
    assert record["startsAt"] == starts.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    after = row(virtual_class)
    assert after["description"] == before["description"]
    assert after["ends_at"] == starts + timedelta(minutes=90)


def test_an_empty_change_changes_nothing(as_host, virtual_class):
    before = row(virtual_class)

    response = as_host.patch(detail(virtual_class), {}, format="json")

    assert response.status_code == 200
    assert response.json()["title"] == "Spanish small talk"
    assert row(virtual_class) == before


def test_staff_change_any_class(virtual_class):
    response = client_for(StaffFactory()).patch(
        detail(virtual_class), {"title": "Renamed by staff"}, format="json"
    )

    assert response.status_code == 200
    assert row(virtual_class)["title"] == "Renamed by staff"


def assert_refused(response, status: int, body: dict, virtual_class, before: dict) -> None:
    assert response.status_code == status
    assert response.json() == body
    assert row(virtual_class) == before


def test_another_learner_changing_a_class_is_a_409(as_learner, virtual_class):
    before = row(virtual_class)

    response = as_learner.patch(detail(virtual_class), {"title": "Mine"}, format="json")

    assert_refused(
        response,
        409,
        {"detail": "Only the host or staff can change this class."},
        virtual_class,
        before,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": VirtualClass.Status.CANCELLED}, "This class is cancelled; it cannot change."),
        (
            {
                "starts_at": timezone.now() - timedelta(hours=2),
                "ends_at": timezone.now() - timedelta(hours=1),
            },
            "This class has ended; it cannot change.",
        ),
    ],
)
def test_a_class_that_cannot_change_any_more_is_a_409(as_host, virtual_class, changes, message):
    VirtualClass.objects.filter(pk=virtual_class.pk).update(**changes)
    before = row(virtual_class)

    response = as_host.patch(detail(virtual_class), {"title": "Late"}, format="json")

    assert_refused(response, 409, {"detail": message}, virtual_class, before)


def test_seats_below_those_taken_are_a_400_on_the_field(as_host, host):
    virtual_class = VirtualClassFactory(
        booked_by=host, max_participants=4, participants=UserFactory.create_batch(2)
    )
    before = row(virtual_class)

    response = as_host.patch(detail(virtual_class), {"maxParticipants": 2}, format="json")

    message = "3 seats are taken (the host included): there cannot be fewer seats than that."
    assert_refused(response, 400, {"maxParticipants": [message]}, virtual_class, before)


def test_time_and_seats_stay_once_the_class_started_but_the_text_may_change(as_host, virtual_class):
    start_class(virtual_class)
    before = row(virtual_class)
    later = timezone.now() + timedelta(days=1)

    response = as_host.patch(
        detail(virtual_class),
        {"startsAt": later.isoformat(), "maxParticipants": 8},
        format="json",
    )

    stays = "The class has started: its time and seats stay as they are."
    assert_refused(
        response, 400, {"startsAt": [stays], "maxParticipants": [stays]}, virtual_class, before
    )
    changed = as_host.patch(detail(virtual_class), {"title": "Still on"}, format="json")
    assert changed.json()["title"] == "Still on"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"startsAt": "2000-01-01T10:00:00Z", "endsAt": "2000-01-01T11:00:00Z"},
            {"startsAt": ["A class can only be moved to start in the future."]},
        ),
        ({"endsAt": "2001-01-01T10:00:00Z"}, {"endsAt": ["The class must end after it starts."]}),
        ({"maxParticipants": 1}, {"maxParticipants": ["A group class needs at least two seats."]}),
    ],
)
def test_the_services_field_rules_are_camel_case_400s(as_host, virtual_class, body, errors):
    before = row(virtual_class)

    response = as_host.patch(detail(virtual_class), body, format="json")

    assert_refused(response, 400, errors, virtual_class, before)


def test_malformed_fields_are_400s_naming_each(as_host, virtual_class):
    before = row(virtual_class)

    response = as_host.patch(
        detail(virtual_class),
        {"title": "", "meetingUrl": "not a link", "startsAt": "soon", "maxParticipants": 0},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"title", "meetingUrl", "startsAt", "maxParticipants"}
    assert row(virtual_class) == before


def test_changing_needs_a_signed_in_learner(api, virtual_class):
    before = row(virtual_class)

    response = api.patch(detail(virtual_class), {"title": "Anonymous"}, format="json")

    assert response.status_code == 401
    assert row(virtual_class) == before


def test_changing_an_unknown_class_is_a_404(as_host):
    response = as_host.patch(f"{LIST}{'0' * 24}/", {"title": "Ghost"}, format="json")

    assert response.status_code == 404


def test_added_seats_go_to_the_waiting_learners(as_host, host, learner):
    full = VirtualClassFactory(booked_by=host, max_participants=2, participants=[learner])
    waiter = UserFactory(username="waiter")
    join_waitlist(user=waiter, virtual_class=full)

    response = as_host.patch(detail(full), {"maxParticipants": 3}, format="json")

    assert waiter.pk in response.json()["participantsIds"]
    assert response.json()["currentParticipants"] == 3
    assert waiting(full) == []


# --- POST and DELETE /classes/{id}/waitlist/ ------------------------------------------------


@pytest.fixture
def full(host, learner):
    """Two seats: the host and the learner."""
    return VirtualClassFactory(booked_by=host, max_participants=2, participants=[learner])


@pytest.fixture
def waiter():
    return UserFactory(username="waiter")


def test_a_learner_waits_for_a_seat_in_a_full_class(full, waiter):
    response = client_for(waiter).post(waitlist(full))

    assert response.status_code == 200
    assert response.json()["id"] == full.pk
    assert waiter.pk not in response.json()["participantsIds"]
    assert waiting(full) == ["waiter"]


def test_a_learner_stops_waiting(full, waiter):
    join_waitlist(user=waiter, virtual_class=full)

    response = client_for(waiter).delete(waitlist(full))

    assert response.status_code == 200
    assert response.json()["id"] == full.pk
    assert waiting(full) == []


def test_a_seat_freed_by_leaving_goes_to_the_waiting_learner(as_learner, full, waiter):
    client_for(waiter).post(waitlist(full))

    response = as_learner.post(reverse("api:class-leave", args=[full.pk]))

    assert response.json()["participantsIds"] == [waiter.pk]
    assert waiting(full) == []


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("host", "You are the host of this class."),
        ("learner", "You have already joined this class."),
    ],
)
def test_members_waiting_is_a_409(request, full, who, message):
    response = client_for(request.getfixturevalue(who)).post(waitlist(full))

    assert response.status_code == 409
    assert response.json() == {"detail": message}
    assert waiting(full) == []


def test_waiting_for_a_class_with_a_free_seat_is_a_409(virtual_class, waiter):
    response = client_for(waiter).post(waitlist(virtual_class))

    assert response.status_code == 409
    assert response.json() == {"detail": "This class has a free seat: join it instead."}
    assert waiting(virtual_class) == []


def test_waiting_for_an_individual_class_is_a_409(host, waiter):
    individual = VirtualClassFactory(
        booked_by=host, class_type=VirtualClass.Type.INDIVIDUAL, max_participants=1
    )

    response = client_for(waiter).post(waitlist(individual))

    assert response.status_code == 409
    assert response.json() == {
        "detail": "An individual class has one seat, taken by its host: it has no waiting list."
    }
    assert waiting(individual) == []


def test_waiting_twice_is_a_409(full, waiter):
    client = client_for(waiter)
    client.post(waitlist(full))

    response = client.post(waitlist(full))

    assert response.status_code == 409
    assert response.json() == {"detail": "You are already on the waiting list."}
    assert waiting(full) == ["waiter"]


def test_waiting_for_a_cancelled_class_is_a_409(full, waiter):
    VirtualClass.objects.filter(pk=full.pk).update(status=VirtualClass.Status.CANCELLED)

    response = client_for(waiter).post(waitlist(full))

    assert response.status_code == 409
    assert response.json() == {"detail": "This class has been cancelled."}


def test_leaving_a_waiting_list_not_on_it_is_a_409(full, waiter):
    response = client_for(waiter).delete(waitlist(full))

    assert response.status_code == 409
    assert response.json() == {"detail": "You are not on the waiting list of this class."}


@pytest.mark.parametrize("method", ["post", "delete"])
def test_the_waiting_list_needs_a_signed_in_learner(api, full, method):
    response = getattr(api, method)(waitlist(full))

    assert response.status_code == 401
    assert waiting(full) == []


@pytest.mark.parametrize("method", ["post", "delete"])
def test_the_waiting_list_of_an_unknown_class_is_a_404(as_learner, method):
    response = getattr(as_learner, method)(f"{LIST}{'0' * 24}/waitlist/")

    assert response.status_code == 404


# --- Pending bookings: their host's and staff's alone ---------------------------------------


@pytest.fixture
def pending(host):
    return VirtualClassFactory(booked_by=host, status=VirtualClass.Status.PENDING)


def test_a_booking_through_the_api_starts_pending_when_the_school_confirms(settings, as_learner):
    settings.BOOKINGS_NEED_CONFIRMATION = True
    starts = timezone.now() + timedelta(days=3)

    response = as_learner.post(
        LIST,
        {
            "title": "Needs a yes",
            "classType": "grupal",
            "maxParticipants": 4,
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=1)).isoformat(),
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "pending"


def test_a_pending_class_is_never_listed(api, as_learner, as_host, pending):
    for client in (api, as_learner, as_host):
        assert client.get(LIST).json()["results"] == []
        assert client.get(LIST, {"status": "pending"}).json()["results"] == []


@pytest.mark.parametrize("who", ["host", "staff"])
def test_its_host_and_staff_read_a_pending_class(request, pending, who):
    reader = StaffFactory() if who == "staff" else request.getfixturevalue("host")

    response = client_for(reader).get(detail(pending))

    assert response.status_code == 200
    assert response.json()["status"] == "pending"


def test_anyone_else_gets_a_404_for_a_pending_class(api, as_learner, pending):
    assert api.get(detail(pending)).status_code == 404
    assert as_learner.get(detail(pending)).status_code == 404


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("post", "class-join"),
        ("post", "class-leave"),
        ("post", "class-cancel"),
        ("post", "class-waitlist"),
        ("delete", "class-waitlist"),
        ("patch", "class-detail"),
    ],
)
def test_every_action_on_someone_elses_pending_class_is_a_404(as_learner, pending, method, name):
    before = row(pending)

    response = getattr(as_learner, method)(reverse(f"api:{name}", args=[pending.pk]))

    assert response.status_code == 404
    assert row(pending) == before


def test_the_host_changes_and_cancels_their_pending_class(as_host, pending):
    changed = as_host.patch(detail(pending), {"title": "Renamed"}, format="json")
    cancelled = as_host.post(reverse("api:class-cancel", args=[pending.pk]))

    assert changed.json()["title"] == "Renamed"
    assert cancelled.json()["status"] == "cancelled"


def test_staff_joining_a_pending_class_hear_why_not(pending):
    response = client_for(StaffFactory()).post(reverse("api:class-join", args=[pending.pk]))

    assert response.status_code == 409
    assert response.json() == {"detail": "This class is waiting for the school to confirm it."}
