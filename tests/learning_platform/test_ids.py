import re

import pytest

from activities.models import UserActivity
from learning_platform.ids import new_object_id

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")


def test_new_ids_are_24_lowercase_hex_characters():
    assert OBJECT_ID.match(new_object_id())


def test_new_ids_are_unique_and_ordered_by_creation_time():
    ids = [new_object_id() for _ in range(1000)]

    assert len(set(ids)) == 1000
    # The first 8 hex digits are the creation second, as in MongoDB.
    assert ids[0][:8] <= ids[-1][:8]


@pytest.mark.django_db
def test_every_record_gets_an_object_id_from_the_application(virtual_class, task, host):
    activity = UserActivity.objects.get(user=host)

    for record in (host, virtual_class, task, activity):
        assert OBJECT_ID.match(record.pk), record
