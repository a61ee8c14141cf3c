import csv
import io
import json
import re
from unittest import mock

import pytest
from django.db.models import QuerySet

from activities.models import UserActivity
from activities.services import assign_task, complete_task
from tests.commands import run, run_failing
from tests.factories import UserFactory, start_class

pytestmark = pytest.mark.django_db

# The seed's example activity (SPEC: JSON shape): its keys, in order, and its value formats.
SEED_EXAMPLE = json.loads(
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


@pytest.fixture
def history(virtual_class, host, learner, task):
    """The host's activity, its task completed, and a learner's without a task."""
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)
    complete_task(user=host, task=task)
    virtual_class.participants.add(learner)
    UserActivity.objects.filter(user=learner).update(task=None)
    return UserActivity.objects.order_by("pk")


def _json(*args: str) -> list[dict]:
    return json.loads(run("export_activities", *args).out)


def test_the_json_matches_the_seeds_shape_exactly(history, host, virtual_class, task):
    records = _json()

    assert len(records) == 2
    for record in records:
        assert list(record) == list(SEED_EXAMPLE)
        for key in ("id", "userId", "classId"):
            assert OBJECT_ID.match(record[key])
        assert TIMESTAMP.match(record["createdAt"]) and TIMESTAMP.match(record["updatedAt"])
        assert type(record["completed"]) is bool
    hosted = next(r for r in records if r["rol"] == "anfitrion")
    activity = UserActivity.objects.get(user=host)
    assert hosted == {
        "id": activity.pk,
        "userId": host.pk,
        "taskId": task.pk,
        "classId": virtual_class.pk,
        "rol": "anfitrion",
        "completed": True,
        "createdAt": activity.created_at.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{activity.created_at.microsecond // 1000:03d}Z",
        "updatedAt": activity.updated_at.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{activity.updated_at.microsecond // 1000:03d}Z",
    }


def test_an_activity_without_a_task_has_a_null_task_id(history, learner):
    (joined,) = _json("--rol", "participante")

    assert joined["userId"] == learner.pk
    assert joined["taskId"] is None
    assert joined["completed"] is False


@pytest.mark.parametrize(
    ("args", "users"),
    [
        (("--completed", "true"), {"host"}),
        (("--completed", "no"), {"learner"}),
        (("--rol", "anfitrion"), {"host"}),
        (("--user", "learner"), {"learner"}),
        (("--user", "host", "--completed", "false"), set()),
    ],
)
def test_filters_pick_the_activities(history, args, users):
    usernames = {UserActivity.objects.get(pk=record["id"]).user.username for record in _json(*args)}

    assert usernames == users


def test_user_may_be_given_by_id(history, learner):
    assert [r["userId"] for r in _json("--user", learner.pk)] == [learner.pk]


def test_a_user_named_like_another_learners_id_is_refused_as_ambiguous(history, learner):
    impostor = UserFactory(username=learner.pk)

    _, error = run_failing("export_activities", "--user", learner.pk)

    assert "is the username of one learner and the id of another" in error
    assert f"{impostor.pk} (the id of {learner.pk!r})" in error
    assert "'learner' (the username of" in error


def test_an_empty_export_is_an_empty_array(db):
    assert _json() == []


def test_csv_has_the_same_fields(history, host):
    rows = list(csv.DictReader(io.StringIO(run("export_activities", "--format", "csv").out)))

    assert list(rows[0]) == list(SEED_EXAMPLE)
    hosted = next(r for r in rows if r["rol"] == "anfitrion")
    assert hosted["userId"] == host.pk and hosted["completed"] == "true"
    assert TIMESTAMP.match(hosted["createdAt"])
    joined = next(r for r in rows if r["rol"] == "participante")
    assert joined["taskId"] == "" and joined["completed"] == "false"


def test_output_writes_the_file_and_leaves_nothing_half_written(history, tmp_path):
    target = tmp_path / "activities.json"

    result = run("export_activities", "--output", str(target))

    assert len(json.loads(target.read_text())) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["activities.json"]
    assert result.out == ""
    assert f"Wrote 2 activities to {target}." in result.err


def test_an_existing_file_is_replaced_only_with_force(history, tmp_path):
    target = tmp_path / "activities.json"
    target.write_text("keep me")

    _, error = run_failing("export_activities", "--output", str(target))
    assert f"{target} exists: pass --force to replace it." in error
    assert target.read_text() == "keep me"

    run("export_activities", "--output", str(target), "--force")
    assert len(json.loads(target.read_text())) == 2


def test_a_failure_midway_leaves_neither_the_file_nor_a_partial_one(history, tmp_path):
    target = tmp_path / "activities.json"

    with (
        mock.patch("learning_platform.records.timestamp", side_effect=RuntimeError("disk gone")),
        pytest.raises(RuntimeError),
    ):
        run("export_activities", "--output", str(target))

    assert list(tmp_path.iterdir()) == []


def test_rows_are_streamed_in_chunks_not_loaded_at_once(history):
    real_iterator = QuerySet.iterator
    with mock.patch.object(
        QuerySet, "iterator", autospec=True, side_effect=real_iterator
    ) as iterator:
        records = _json("--chunk-size", "1")

    assert len(records) == 2
    iterator.assert_called_once()
    assert iterator.call_args.kwargs == {"chunk_size": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--user", "nobody"), "No user with username or id 'nobody'."),
        (("--completed", "maybe"), "--completed: expected true or false, got 'maybe'"),
        (("--rol", "teacher"), "--rol: invalid choice: 'teacher'"),
        (("--format", "xml"), "--format: invalid choice: 'xml'"),
        (("--output", "/nonexistent/folder/a.json"), "not a file in an existing folder"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(history, args, message):
    _, error = run_failing("export_activities", *args)

    assert message in error
