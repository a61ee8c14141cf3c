"""PostgreSQL: no pattern index beside the index of an ObjectId column.

Django gives every indexed varchar column on PostgreSQL a second index (varchar_pattern_ops) for
LIKE 'prefix%' lookups. Nothing looks up a 24-hex id by its prefix, so on the ids and the
references to them those indexes only cost every insert, every update of a reference, and the
bulk load's index builds. A migration that adds an ObjectId column adds one again: run
`drop_pattern_indexes_on_ids` after it (tests/learning_platform/test_ids.py checks).
"""

from django.db import migrations

from learning_platform.ids import ObjectIdField

PATTERN_INDEXES = """
    SELECT i.relname FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
    JOIN pg_opclass o ON o.oid = x.indclass[0]
    WHERE t.relname = %s AND a.attname = %s AND x.indnatts = 1
        AND o.opcname = 'varchar_pattern_ops'
"""


def drop_pattern_indexes_on_ids(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.local_fields:
                if isinstance(field.target_field if field.is_relation else field, ObjectIdField):
                    cursor.execute(PATTERN_INDEXES, [model._meta.db_table, field.column])
                    for (name,) in cursor.fetchall():
                        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("learning_platform", "0004_translated_labels"),
        ("activities", "0003_class_copies"),
        ("api", "0001_api_token"),
        ("classes", "0009_translated_labels"),
        ("history", "0001_initial"),
        ("notifications", "0001_initial"),
        ("tasks", "0003_translated_labels"),
    ]

    operations = [migrations.RunPython(drop_pattern_indexes_on_ids, migrations.RunPython.noop)]
