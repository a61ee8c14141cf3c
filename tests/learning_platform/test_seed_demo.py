import re
from unittest import mock

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities import integrity, services
from activities.models import UserActivity
from classes.models import VirtualClass
from history.models import LogEntry
from learning_platform import demo
from learning_platform.models import User
from notifications.models import Message
from tasks.models import Task
from tests.commands import run, run_failing
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SMALL = ("--users", "6", "--classes", "16", "--tasks", "4")


def _signature():
    """What the demo data looks like, without its generated ids and timestamps."""
    return (
        sorted(User.objects.values_list("username", "level", "total_classes", "is_staff")),
        sorted(Task.objects.values_list("title", "type", "difficulty")),
        sorted(
            VirtualClass.objects.values_list(
                "title", "booked_by__username", "class_type", "status", "current_participants"
            )
        ),
        sorted(UserActivity.objects.values_list("user__username", "rol", "completed")),
    )


def test_an_empty_database_gets_classes_of_both_types_in_every_status():
    run("seed_demo", *SMALL)

    now = timezone.now()
    classes = VirtualClass.objects.all()
    assert set(classes.values_list("status", flat=True)) == set(VirtualClass.Status.values)
    assert set(classes.values_list("class_type", flat=True)) == set(VirtualClass.Type.values)
    assert classes.filter(starts_at__lt=now).exists() and classes.filter(starts_at__gt=now).exists()
    assert set(Task.objects.values_list("type", flat=True)) == set(Task.Type.values)
    assert set(UserActivity.objects.values_list("rol", flat=True)) == set(UserActivity.Rol.values)
    assert UserActivity.objects.filter(completed=True).exists()
    assert User.objects.filter(is_staff=False).exclude(level="").count() == 6


def test_the_default_demo_tasks_have_distinct_titles_without_counters():
    run("seed_demo", "--users", "4", "--classes", "2")

    titles = list(Task.objects.values_list("title", flat=True))
    assert len(titles) == 12
    assert len(set(titles)) == 12
    assert not [title for title in titles if re.search(r"\(\d+\)", title)]


def test_a_demo_task_titled_for_a_kind_of_exercise_has_that_type():
    run("seed_demo", "--users", "4", "--classes", "2")

    for prefix, kind in [("Listening", "audio"), ("Video", "video"), ("Reading", "reading")]:
        kinds = set(Task.objects.filter(title__startswith=prefix).values_list("type", flat=True))
        assert kinds == {kind}


def test_the_demo_data_goes_through_the_rules_and_passes_the_audit():
    with mock.patch.object(services, "record_host", wraps=services.record_host) as record_host:
        run("seed_demo", *SMALL)

    assert record_host.call_count == VirtualClass.objects.count() == 16  # the booking signal
    assert list(integrity.audit()) == []
    completed = UserActivity.objects.filter(completed=True).count()
    assert sum(User.objects.values_list("total_classes", flat=True)) == completed


def test_the_demo_logins_are_printed_and_work(client):
    result = run("seed_demo", *SMALL)

    for login in (demo.DEMO_LEARNER, demo.DEMO_STAFF):
        assert f"username {login.username}, password {login.password}" in result.out
        assert client.login(username=login.username, password=login.password)
    assert User.objects.get(username=demo.DEMO_STAFF.username).is_staff
    learner = User.objects.get(username=demo.DEMO_LEARNER.username)
    assert learner.activities.exists() and not learner.is_staff


def test_a_second_run_changes_nothing_and_prints_the_logins_again():
    run("seed_demo", *SMALL)
    before = _signature()

    result = run("seed_demo", *SMALL)

    assert _signature() == before
    assert "already loaded; nothing changed" in result.out
    assert f"password {demo.DEMO_LEARNER.password}" in result.out
    assert f"password {demo.DEMO_STAFF.password}" in result.out


def test_if_empty_prints_the_logins_when_the_demo_data_is_there():
    run("seed_demo", *SMALL)

    result = run("seed_demo", "--if-empty")

    assert f"username {demo.DEMO_LEARNER.username}, password" in result.out
    assert f"username {demo.DEMO_STAFF.username}, password" in result.out


def test_a_changed_demo_password_is_pointed_out():
    run("seed_demo", *SMALL)
    staff = User.objects.get(username=demo.DEMO_STAFF.username)
    staff.set_password("something-else-entirely")
    staff.save()

    result = run("seed_demo", "--if-empty")

    assert "password changed since seeding" in result.out


def test_if_empty_leaves_a_database_with_other_data_alone():
    UserFactory(username="someone")

    result = run("seed_demo", "--if-empty")

    assert list(User.objects.values_list("username", flat=True)) == ["someone"]
    assert "already holds data; demo data not loaded" in result.out


def test_without_if_empty_a_database_with_other_data_is_refused():
    UserFactory(username="someone")

    _, error = run_failing("seed_demo")

    assert "fills an empty database only" in error
    assert User.objects.count() == 1


def test_a_dry_run_writes_nothing():
    result = run("seed_demo", "--dry-run", *SMALL)

    assert not User.objects.exists() and not VirtualClass.objects.exists()
    assert "Would load: 6 learners, 16 classes, 4 tasks" in result.out


def test_the_same_seed_gives_the_same_data():
    run("seed_demo", *SMALL, "--seed", "7")
    first = _signature()
    _empty_the_database()

    run("seed_demo", *SMALL, "--seed", "7")

    assert _signature() == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--users", "1"), "--users: must be from 2 to 100,000, got 1"),
        (("--classes", "many"), "--classes: expected a whole number, got 'many'"),
        (("--scale", "0"), "--scale: must be from 1 to 100,000,000, got 0"),
    ],
)
def test_bad_sizes_are_refused_with_a_clear_message(args, message):
    _, error = run_failing("seed_demo", *args)

    assert message in error
    assert not User.objects.exists()


def test_the_bulk_load_is_what_the_rules_would_have_produced():
    result = run("seed_demo", "--scale", "600", "--batch-size", "100")

    assert "Loaded" in result.out
    assert UserActivity.objects.count() >= 600
    assert list(integrity.audit(batch_size=50)) == []
    # Each activity holds its class's task (rule 5), and completions only where there is one.
    assert (
        not UserActivity.objects.exclude(task=None)
        .exclude(task_id=F("virtual_class__task_id"))
        .exists()
    )
    assert not UserActivity.objects.filter(task=None, virtual_class__task__isnull=False).exists()
    assert not VirtualClass.objects.filter(status="cancelled", task__isnull=False).exists()
    statuses = set(VirtualClass.objects.values_list("status", flat=True))
    assert statuses == set(VirtualClass.Status.values)


def test_a_bulk_load_the_database_refuses_raises_and_leaves_it_empty():
    # A status the database refuses, from the first batch on: the load stops there, and the
    # rows already written go with it.
    refused = {**demo.STATUS_OF_KIND, "past_scheduled": "lost"}
    with (
        mock.patch.object(demo, "STATUS_OF_KIND", refused),
        pytest.raises(connection.Database.IntegrityError),
    ):
        run("seed_demo", "--scale", "600", "--batch-size", "100")

    assert not User.objects.exists()
    assert not VirtualClass.objects.exists()
    assert not UserActivity.objects.exists()


def test_after_a_bulk_load_the_planner_knows_how_many_activities_there_are():
    run("seed_demo", "--scale", "600", "--batch-size", "100")

    activities = UserActivity.objects.count()
    assert activities / 2 < _planner_rows(UserActivity._meta.db_table) < activities * 2


def _planner_rows(table: str) -> float:
    """The rows the query planner believes `table` holds, from its statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            return max(int(stat.split()[0]) for (stat,) in cursor.fetchall())
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_the_bulk_load_prints_the_logins_and_they_work(client):
    result = run("seed_demo", "--scale", "200")

    for login in (demo.DEMO_LEARNER, demo.DEMO_STAFF):
        assert f"username {login.username}, password {login.password}" in result.out
        assert client.login(username=login.username, password=login.password)


def test_the_bulk_load_reports_progress_in_plain_lines_off_a_terminal():
    result = run("seed_demo", "--scale", "300", "--batch-size", "100")

    lines = result.err.splitlines()
    assert len(lines) >= 3
    assert all(line.startswith("activities: ") and "\r" not in line for line in lines)


def _empty_the_database():
    # PROTECT guards history, so rows go in the order nothing points at them. The log refuses
    # deletes; only a test empties it, through the raw delete below the model.
    Message.objects.all().delete()
    LogEntry.objects.all()._raw_delete(LogEntry.objects.db)
    UserActivity.objects.all().delete()
    VirtualClass.participants.through.objects.all().delete()
    VirtualClass.objects.all().delete()
    Task.objects.all().delete()
    User.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's journal")
@pytest.mark.django_db(transaction=True)  # the journal's mode cannot change in a transaction
def test_a_bulk_load_on_sqlite_writes_through_a_rollback_journal_and_restores_the_mode():
    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(RuntimeError),
        demo.rollback_journal(),
    ):
        raise RuntimeError("the load failed")

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()
    pragmas = [q["sql"] for q in queries if q["sql"].startswith("PRAGMA journal_mode =")]
    assert pragmas == ["PRAGMA journal_mode = DELETE", f"PRAGMA journal_mode = {mode}"]
