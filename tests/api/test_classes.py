"""Classes through the API: the same reads as the class pages, and every write through the
class services, refused with the pages' own messages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import UserActivity
from classes.models import VirtualClass
from tests.api.conftest import client_for
from tests.factories import StaffFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/classes/"


def action(name: str, virtual_class: VirtualClass) -> str:
    return reverse(f"api:class-{name}", args=[virtual_class.pk])


def booking(**changes) -> dict:
    starts = timezone.now() + timedelta(days=3)
    return {
        "title": "Subjunctive in practice",
        "classType": "grupal",
        "maxParticipants": 5,
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=1)).isoformat(),
        "learningFocus": "Subjunctive",
        **changes,
    }


# --- Reads ----------------------------------------------------------------------------------


def test_the_list_shows_upcoming_open_classes_soonest_first(api):
    later = VirtualClassFactory(starts_at=timezone.now() + timedelta(days=5))
    sooner = VirtualClassFactory(starts_at=timezone.now() + timedelta(days=2))
    VirtualClassFactory(status=VirtualClass.Status.CANCELLED)

    records = api.get(LIST).json()["results"]

    assert [r["id"] for r in records] == [sooner.pk, later.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"type": "individual"}, {"one to one"}),
        ({"type": "grupal"}, {"group, full", "group, free"}),
        ({"freeSeats": "true"}, {"group, free"}),  # the host fills a one-to-one
        ({"status": "cancelled"}, {"cancelled"}),
    ],
)
def test_the_list_takes_the_class_pages_filters(api, query, expected):
    VirtualClassFactory(title="one to one", individual=True)
    VirtualClassFactory(title="group, full", max_participants=2, participants=[UserFactory()])
    VirtualClassFactory(title="group, free")
    VirtualClassFactory(title="cancelled", status=VirtualClass.Status.CANCELLED)

    records = api.get(LIST, query).json()["results"]

    assert {r["title"] for r in records} == expected


@pytest.mark.parametrize("query", [{"type": "lecture"}, {"status": "x"}, {"freeSeats": "1"}])
def test_a_bad_class_filter_is_a_400(api, query):
    response = api.get(LIST, query)

    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_the_list_costs_the_same_queries_however_many_classes(api, django_assert_num_queries):
    for _ in range(3):
        VirtualClassFactory(participants=[UserFactory()])
    # the page of classes (with their hosts), the participants' ids of that page
    with django_assert_num_queries(2):
        api.get(LIST)
    for _ in range(15):
        VirtualClassFactory(participants=[UserFactory(), UserFactory()])
    with django_assert_num_queries(2):
        response = api.get(LIST)
    assert len(response.json()["results"]) == 18


def test_a_class_reads_by_id(api, virtual_class):
    record = api.get(reverse("api:class-detail", args=[virtual_class.pk])).json()

    assert record["id"] == virtual_class.pk
    assert record["title"] == "Spanish small talk"


def test_an_unknown_class_is_a_json_404(api):
    response = api.get(f"{LIST}{'0' * 24}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No VirtualClass matches the given query."}


def test_a_malformed_id_is_a_json_404(api):
    response = api.get(f"{LIST}not-an-id/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- Booking --------------------------------------------------------------------------------


def test_booking_makes_the_caller_host(as_learner, learner):
    response = as_learner.post(LIST, booking(), format="json")

    assert response.status_code == 201
    record = response.json()
    assert record["bookedById"] == learner.pk
    assert record["currentParticipants"] == 1
    assert record["maxParticipants"] == 5
    assert record["participantsIds"] == []
    assert response["Location"] == reverse("api:class-detail", args=[record["id"]])
    activity = UserActivity.objects.get(virtual_class_id=record["id"])
    assert (activity.user, activity.rol) == (learner, "anfitrion")


def test_an_individual_class_gets_one_seat_by_default(as_learner):
    body = booking(classType="individual")
    del body["maxParticipants"]

    response = as_learner.post(LIST, body, format="json")

    assert response.json()["maxParticipants"] == 1


def test_booking_in_the_past_is_a_400_on_the_field(as_learner):
    starts = timezone.now() - timedelta(days=1)
    body = booking(startsAt=starts.isoformat(), endsAt=(starts + timedelta(hours=1)).isoformat())

    response = as_learner.post(LIST, body, format="json")

    assert response.status_code == 400
    assert response.json() == {"startsAt": ["A class can only be booked to start in the future."]}
    assert not VirtualClass.objects.exists()


def test_the_models_rules_come_back_as_camel_case_field_errors(as_learner):
    response = as_learner.post(LIST, booking(maxParticipants=1), format="json")

    assert response.status_code == 400
    assert response.json() == {"maxParticipants": ["A group class needs at least two seats."]}


def test_missing_and_malformed_fields_are_400s(as_learner):
    response = as_learner.post(
        LIST, {"classType": "seminar", "startsAt": "soon", "maxParticipants": 500}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"title", "classType", "startsAt", "endsAt", "maxParticipants"}


def test_malformed_json_is_a_400(as_learner):
    response = as_learner.post(LIST, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_booking_needs_a_signed_in_learner(api):
    assert api.post(LIST, booking(), format="json").status_code == 401
    assert not VirtualClass.objects.exists()


# --- Join, leave, cancel --------------------------------------------------------------------


def test_joining_takes_a_seat(as_learner, learner, virtual_class):
    response = as_learner.post(action("join", virtual_class))

    assert response.status_code == 200
    assert response.json()["participantsIds"] == [learner.pk]
    assert response.json()["currentParticipants"] == 2
    assert UserActivity.objects.get(user=learner).rol == "participante"


def test_joining_a_full_class_is_a_409_with_the_pages_message(as_learner, learner):
    full = VirtualClassFactory(max_participants=2, participants=[UserFactory()])

    response = as_learner.post(action("join", full))

    assert response.status_code == 409
    assert response.json() == {"detail": "This class is full."}
    assert not UserActivity.objects.filter(user=learner).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": VirtualClass.Status.CANCELLED}, "This class has been cancelled."),
        ({"status": VirtualClass.Status.COMPLETED}, "This class has already taken place."),
        ({"starts_at": timezone.now() - timedelta(minutes=5)}, "This class has already started."),
    ],
)
def test_every_join_refusal_is_a_409_with_its_message(as_learner, virtual_class, changes, message):
    VirtualClass.objects.filter(pk=virtual_class.pk).update(**changes)

    response = as_learner.post(action("join", virtual_class))

    assert response.status_code == 409
    assert response.json() == {"detail": message}


def test_the_host_joining_is_a_409(as_host, virtual_class):
    response = as_host.post(action("join", virtual_class))

    assert response.json() == {"detail": "You are the host of this class."}


def test_joining_twice_is_a_409(as_learner, virtual_class):
    as_learner.post(action("join", virtual_class))

    response = as_learner.post(action("join", virtual_class))

    assert response.status_code == 409
    assert response.json() == {"detail": "You have already joined this class."}
    virtual_class.refresh_from_db()
    assert virtual_class.current_participants == 2


def test_leaving_frees_the_seat(as_learner, learner, virtual_class):
    as_learner.post(action("join", virtual_class))

    response = as_learner.post(action("leave", virtual_class))

    assert response.status_code == 200
    assert response.json()["participantsIds"] == []
    assert response.json()["currentParticipants"] == 1
    assert not UserActivity.objects.filter(user=learner).exists()


def test_leaving_a_class_not_joined_is_a_409(as_learner, virtual_class):
    response = as_learner.post(action("leave", virtual_class))

    assert response.status_code == 409
    assert response.json() == {"detail": "You have not joined this class."}


def test_the_host_cancels_their_class(as_host, virtual_class):
    response = as_host.post(action("cancel", virtual_class))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_staff_cancel_any_class(virtual_class):
    response = client_for(StaffFactory()).post(action("cancel", virtual_class))

    assert response.json()["status"] == "cancelled"


def test_a_learner_cannot_cancel_someone_elses_class(as_learner, virtual_class):
    response = as_learner.post(action("cancel", virtual_class))

    assert response.status_code == 409
    assert response.json() == {"detail": "Only the host or staff can cancel this class."}
    virtual_class.refresh_from_db()
    assert virtual_class.status == "scheduled"


def test_cancelling_twice_is_a_409(as_host, virtual_class):
    as_host.post(action("cancel", virtual_class))

    response = as_host.post(action("cancel", virtual_class))

    assert response.json() == {"detail": "This class is already cancelled."}


@pytest.mark.parametrize("name", ["join", "leave", "cancel"])
def test_every_action_needs_a_signed_in_learner(api, virtual_class, name):
    assert api.post(action(name, virtual_class)).status_code == 401


@pytest.mark.parametrize("name", ["join", "leave", "cancel"])
def test_every_action_on_an_unknown_class_is_a_404(as_learner, name):
    response = as_learner.post(f"{LIST}{'0' * 24}/{name}/")

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["join", "leave", "cancel"])
def test_every_action_refuses_get(as_learner, virtual_class, name):
    response = as_learner.get(action(name, virtual_class))

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "GET" not allowed.'}
