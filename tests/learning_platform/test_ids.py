import re

import pytest
from django.apps import apps
from django.db import connection

from activities.models import UserActivity
from learning_platform.ids import ObjectIdField, new_object_id

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


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pattern indexes are PostgreSQL's (see 0005)"
)
@pytest.mark.django_db
def test_no_id_or_reference_to_one_has_a_pattern_index_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.relname, a.attname FROM pg_index x "
            "JOIN pg_class t ON t.oid = x.indrelid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0] "
            "JOIN pg_opclass o ON o.oid = x.indclass[0] "
            "WHERE o.opcname = 'varchar_pattern_ops'"
        )
        patterned = set(cursor.fetchall())
    ids = {
        (model._meta.db_table, field.column)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.local_fields
        if isinstance(field.target_field if field.is_relation else field, ObjectIdField)
    }

    assert ("learning_platform_user", "username") in patterned  # the query finds them
    assert ids & patterned == set()
