import pytest

from activities.models import UserActivity
from classes.models import VirtualClass
from tests.commands import run, run_failing
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder():
    """A learner who already holds the task through another class."""
    return UserFactory(username="zoe")


@pytest.fixture
def setting(holder, task):
    other = VirtualClassFactory(participants=[holder])
    run("assign_task", "--class", other.pk, "--task", task.pk)
    return VirtualClassFactory(participants=[UserFactory(username="ana"), holder])


def _tasks(virtual_class):
    return dict(
        UserActivity.objects.filter(virtual_class=virtual_class).values_list(
            "user__username", "task_id"
        )
    )


def test_it_attaches_the_task_and_reports_assigned_and_skipped_learners(setting, task):
    result = run("assign_task", "--class", setting.pk, "--task", task.pk)

    assert VirtualClass.objects.get(pk=setting.pk).task_id == task.pk
    assert _tasks(setting) == {setting.booked_by.username: task.pk, "ana": task.pk, "zoe": None}
    assert f"Gave “{task}” to 2 activities of “{setting}”." in result.out
    assert "Skipped 1 learner who already holds this task through another class" in result.out
    assert result.out.rstrip().endswith(": zoe.")


def test_a_dry_run_reports_the_same_and_changes_nothing(setting, task):
    result = run("assign_task", "--class", setting.pk, "--task", task.pk, "--dry-run")

    assert f"Would give “{task}” to 2 activities" in result.out
    assert "zoe" in result.out
    assert VirtualClass.objects.get(pk=setting.pk).task_id is None
    assert set(_tasks(setting).values()) == {None}


def test_a_second_run_gives_nothing_new(setting, task):
    run("assign_task", "--class", setting.pk, "--task", task.pk)

    result = run("assign_task", "--class", setting.pk, "--task", task.pk)

    assert "to 0 activities" in result.out


def test_a_class_with_another_task_is_refused(setting, task):
    run("assign_task", "--class", setting.pk, "--task", task.pk)
    other = TaskFactory()

    _, error = run_failing("assign_task", "--class", setting.pk, "--task", other.pk)

    assert error == f"This class already has the task “{task}”."
    assert VirtualClass.objects.get(pk=setting.pk).task_id == task.pk


def test_a_cancelled_class_is_refused(task):
    cancelled = VirtualClassFactory(status=VirtualClass.Status.CANCELLED)

    _, error = run_failing("assign_task", "--class", cancelled.pk, "--task", task.pk)

    assert "cancelled; no task can be attached" in error


@pytest.mark.parametrize("option", ["--class", "--task"])
def test_an_unknown_or_malformed_id_is_refused(option, task, virtual_class):
    ids = {"--class": virtual_class.pk, "--task": task.pk}

    _, unknown = run_failing("assign_task", *_args({**ids, option: "0" * 24}))
    _, malformed = run_failing("assign_task", *_args({**ids, option: "nope"}))

    assert f"{option}: no " in unknown
    assert "is not an id (24 hexadecimal characters)" in malformed
    assert VirtualClass.objects.get(pk=virtual_class.pk).task_id is None


def _args(ids):
    return [part for pair in ids.items() for part in pair]
