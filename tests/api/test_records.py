"""Records in the seed's shape: its keys, in its order, with its types and formats, the same
from the API as from the export."""

import json
import re

import pytest
from django.urls import reverse

from activities.models import UserActivity
from activities.services import assign_task, complete_task
from api import serializers
from learning_platform import records
from tests.commands import run
from tests.factories import VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db

# The seed's example activity (SPEC: JSON shape).
SEED_ACTIVITY = json.loads(
    """{
  "id": "507f1f77bcf86cd799439011",
  "userId": "507f191e810c19729de860ea",
  "taskId": "507f1f77bcf86cd799439012",
  "classId": "507f1f77bcf86cd799439013",
  "rol": "anfitrion",
  "completed": true,
  "createdAt": "2025-03-01T10:00:00.000Z",
  "updatedAt": "2025-03-01T11:30:00.000Z"
}"""
)
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def assert_like_seed(record: dict, example: dict) -> None:
    """Same keys in the same order; each value of the example's type and format."""
    assert list(record) == list(example)
    for key, value in example.items():
        if key == "taskId" and record[key] is None:
            continue  # null when absent
        assert type(record[key]) is type(value), key
        if key.endswith("Id") or key == "id":
            assert OBJECT_ID.match(record[key]), key
        if key.endswith("At"):
            assert TIMESTAMP.match(record[key]), key


@pytest.fixture
def completed_activity(virtual_class, host, task):
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)
    complete_task(user=host, task=task)
    return UserActivity.objects.get(user=host)


def test_an_activity_from_the_api_has_the_seeds_keys_types_and_formats(as_host, completed_activity):
    (record,) = as_host.get(reverse("api:activity-list")).json()["results"]

    assert_like_seed(record, SEED_ACTIVITY)
    assert record["completed"] is True
    assert record["rol"] == "anfitrion"


def test_an_activity_without_a_task_has_a_null_task_id(as_host, virtual_class):
    (record,) = as_host.get(reverse("api:activity-list")).json()["results"]

    assert_like_seed(record, SEED_ACTIVITY)
    assert record["taskId"] is None
    assert record["completed"] is False


def test_the_api_and_the_export_write_the_same_record(as_host, completed_activity, host):
    (from_api,) = as_host.get(reverse("api:activity-list")).json()["results"]
    (from_export,) = json.loads(run("export_activities", "--user", host.username).out)

    assert from_api == from_export


def test_the_completion_answer_is_the_same_record_as_the_list(as_host, completed_activity):
    (listed,) = as_host.get(reverse("api:activity-list")).json()["results"]
    completed = as_host.post(reverse("api:task-complete", args=[completed_activity.task_id]))

    assert completed.json() == listed


def test_timestamps_are_utc_with_milliseconds(settings, as_host, virtual_class):
    settings.TIME_ZONE = "America/Bogota"
    activity = UserActivity.objects.get(user=virtual_class.booked_by)

    (record,) = as_host.get(reverse("api:activity-list")).json()["results"]

    assert record["createdAt"] == records.timestamp(activity.created_at)
    assert record["createdAt"].endswith("Z")
    assert record["createdAt"][:19] == activity.created_at.strftime("%Y-%m-%dT%H:%M:%S")


def test_a_class_record_has_the_specs_camel_case_keys(as_learner, learner):
    virtual_class = VirtualClassFactory(participants=[learner])

    record = as_learner.get(reverse("api:class-detail", args=[virtual_class.pk])).json()

    assert record["bookedById"] == virtual_class.booked_by_id
    assert record["participantsIds"] == [learner.pk]
    assert record["currentParticipants"] == 2
    assert record["maxParticipants"] == virtual_class.max_participants
    assert record["classType"] == "grupal"
    assert record["taskId"] is None
    assert TIMESTAMP.match(record["startsAt"]) and TIMESTAMP.match(record["endsAt"])
    assert OBJECT_ID.match(record["id"])


def test_the_me_record_has_total_classes(as_learner, learner):
    record = as_learner.get(reverse("api:me")).json()

    assert record == {
        "id": learner.pk,
        "username": "learner",
        "firstName": learner.first_name,
        "lastName": learner.last_name,
        "email": learner.email,
        "level": learner.level,
        "isStaff": False,
        "totalClasses": 0,
    }


@pytest.mark.parametrize(
    ("serializer", "fields", "extra"),
    [
        (serializers.ActivitySerializer, records.ACTIVITY, ["task", "class"]),
        (serializers.ClassSerializer, records.CLASS, ["participantsIds"]),
        (serializers.TaskSerializer, records.TASK, ["solvedContent"]),
        (serializers.UserSerializer, records.USER, []),
    ],
)
def test_the_schema_declares_exactly_the_records_keys(serializer, fields, extra):
    assert list(serializer().fields) == [*fields, *extra]
