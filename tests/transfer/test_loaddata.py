"""Loading a dump restores the records as they were: the class signals do not add activities or
seats that the dump already holds."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from activities.models import UserActivity
from classes.models import VirtualClass
from history.models import LogEntry
from learning_platform.models import User
from notifications.models import Message
from tasks.models import Task
from tests.transfer.conftest import dump

pytestmark = pytest.mark.django_db


def _delete_everything():
    # The log refuses deletes; only a test empties it, through the raw delete below the model.
    Message.objects.all().delete()
    LogEntry.objects.all()._raw_delete(LogEntry.objects.db)
    UserActivity.objects.all().delete()
    VirtualClass.objects.all().delete()
    Task.objects.all().delete()
    User.objects.all().delete()
    Group.objects.all().delete()


def test_loading_a_dump_into_an_empty_database_restores_every_record(school, tmp_path):
    before = dump(tmp_path / "before.json")
    _delete_everything()

    call_command("loaddata", tmp_path / "before.json", verbosity=0)

    assert dump(tmp_path / "after.json") == before


def test_a_time_within_a_millisecond_of_a_second_is_restored_as_the_same_instant(school, tmp_path):
    # The dump keeps milliseconds: 10:00:00.000500 is written 10:00:00.000Z and comes back as
    # 10:00:00, which the next dump writes without a fraction.
    activity = UserActivity.objects.first()
    UserActivity.objects.filter(pk=activity.pk).update(
        created_at=activity.created_at.replace(microsecond=500)
    )
    before = dump(tmp_path / "before.json")
    _delete_everything()

    call_command("loaddata", tmp_path / "before.json", verbosity=0)

    assert dump(tmp_path / "after.json") == before
    restored = UserActivity.objects.get(pk=activity.pk).created_at
    assert restored == activity.created_at.replace(microsecond=0)


def test_loading_a_class_with_participants_adds_no_activity_and_no_seat(school, tmp_path):
    dump(tmp_path / "school.json")
    _delete_everything()

    call_command("loaddata", tmp_path / "school.json", verbosity=0)

    restored = VirtualClass.objects.get(pk=school.pk)
    assert restored.current_participants == 3
    assert restored.participants.count() == 2
    assert UserActivity.objects.filter(virtual_class=restored).count() == 3


def test_loading_the_same_dump_twice_changes_nothing(school, tmp_path):
    before = dump(tmp_path / "before.json")

    call_command("loaddata", tmp_path / "before.json", verbosity=0)

    assert dump(tmp_path / "after.json") == before
