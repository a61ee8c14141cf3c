"""The rule-critical queries, compiled for MongoDB without a server.

The rules run on the test database; each update they make, and the dashboard's reads, are compiled
again by django-mongodb-backend and checked for the shape the rules count on there: seats and
completions change through one conditional update of one document (MongoDB applies those
atomically, with no transaction or lock), and a learner's history is one aggregation. This reaches
into the backend's compiler, so it lives alone in this file.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.db.models import Index, UniqueConstraint
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import CURSOR
from django.db.utils import ConnectionHandler

from activities.models import UserActivity
from activities.selectors import activities_for
from activities.services import assign_task, complete_task
from classes.services import join_class, leave_class
from tests.factories import start_class

pytest.importorskip(
    "django_mongodb_backend",
    reason="django-mongodb-backend is not installed: pip install -e '.[mongodb]'",
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def mongodb():
    """A django-mongodb-backend connection that is never opened: compiling needs no server."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django_mongodb_backend",
                "HOST": "mongodb://127.0.0.1:27017",
                "NAME": "learning_platform",
            }
        }
    )
    return handler["default"]


def _updates(mongodb, rule):
    """Run `rule`; return each update it made as MongoDB's (collection, filter, pipeline)."""
    made = []
    real_get_compiler = UpdateQuery.get_compiler

    def record(query, *args, **kwargs):
        made.append(query.clone())
        return real_get_compiler(query, *args, **kwargs)

    with mock.patch.object(UpdateQuery, "get_compiler", autospec=True, side_effect=record):
        rule()

    compiled = []
    for query in made:
        compiler = query.get_compiler(connection=mongodb)
        # update_many is where the compiler would call the server: record its arguments.
        compiler.update = lambda criteria, pipeline, c=compiler: compiled.append(
            (c.collection_name, criteria, pipeline)
        )
        compiler.execute_sql(CURSOR)
    return compiled


def _pipeline(mongodb, queryset):
    compiler = queryset.query.get_compiler(connection=mongodb)
    compiler.pre_sql_setup()
    return compiler.build_query(compiler.columns).get_pipeline()


def _contains(tree, part) -> bool:
    """Whether the MongoDB expression `tree` has `part` somewhere inside it."""
    if tree == part:
        return True
    if isinstance(tree, dict):
        return any(_contains(value, part) for value in tree.values())
    if isinstance(tree, list):
        return any(_contains(item, part) for item in tree)
    return False


def test_taking_a_seat_is_one_conditional_update_of_the_class(mongodb, virtual_class, learner):
    updates = _updates(mongodb, lambda: join_class(user=learner, virtual_class=virtual_class))

    [(collection, criteria, pipeline)] = updates
    assert collection == "classes_virtualclass"
    # Only a class with a seat left matches: the check and the increment are one operation.
    assert {"id": virtual_class.pk} in criteria["$and"]
    seat_left = {
        "$lte": ["$current_participants", {"$subtract": ["$max_participants", {"$literal": 1}]}]
    }
    assert _contains(criteria, seat_left)
    assert pipeline == [
        {"$set": {"current_participants": {"$add": ["$current_participants", {"$literal": 1}]}}}
    ]


def test_leaving_gives_the_seat_back_in_place(mongodb, virtual_class, learner):
    join_class(user=learner, virtual_class=virtual_class)

    updates = _updates(mongodb, lambda: leave_class(user=learner, virtual_class=virtual_class))

    assert updates == [
        (
            "classes_virtualclass",
            {"id": virtual_class.pk},
            [
                {
                    "$set": {
                        "current_participants": {
                            "$subtract": ["$current_participants", {"$literal": 1}]
                        }
                    }
                }
            ],
        )
    ]


def test_completing_is_a_conditional_update_then_an_increment_in_place(
    mongodb, virtual_class, learner, task
):
    join_class(user=learner, virtual_class=virtual_class)
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)
    activity = UserActivity.objects.get(user=learner)

    # Without transactions (MongoDB) the completion reads first: no update can join the class.
    with mock.patch("activities.services.rolls_back", return_value=False):
        completion, count = _updates(mongodb, lambda: complete_task(user=learner, task=task))

    # Only a pending activity matches: of simultaneous completions exactly one changes it.
    assert completion == (
        "activities_useractivity",
        {"$and": [{"completed": False}, {"id": activity.pk}]},
        [{"$set": {"completed": {"$literal": True}, "updated_at": mock.ANY}}],
    )
    assert count == (
        "learning_platform_user",
        {"id": learner.pk},
        [{"$set": {"total_classes": {"$add": ["$total_classes", {"$literal": 1}]}}}],
    )


def test_attaching_a_task_takes_only_a_class_without_one(mongodb, virtual_class, task):
    to_class, to_activities = _updates(
        mongodb, lambda: assign_task(virtual_class=virtual_class, task=task)
    )

    collection, criteria, _ = to_class
    assert collection == "classes_virtualclass"
    assert criteria == {
        "$and": [
            {"id": virtual_class.pk},
            {"$or": [{"task_id": {"$exists": False}}, {"task_id": None}]},
        ]
    }
    assert to_activities[0] == "activities_useractivity"


def test_a_learners_history_is_one_aggregation_with_class_and_task(mongodb, learner):
    pipeline = _pipeline(mongodb, activities_for(user=learner, completed=True))

    joined = [stage["$lookup"]["from"] for stage in pipeline if "$lookup" in stage]
    assert joined == ["classes_virtualclass", "tasks_task"]
    assert {"$match": {"$and": [{"user_id": learner.pk}, {"completed": True}]}} in pipeline
    # Newest first, as the (user, completed, -created_at) index reads.
    assert pipeline[-1] == {"$sort": {"created_at": -1, "id": -1}}


def test_a_learners_counts_are_one_group_over_their_activities_alone(mongodb, learner):
    from activities.selectors import activity_counts

    with mock.patch("django.db.models.query.QuerySet._fetch_all", autospec=True) as fetch:
        fetch.side_effect = lambda queryset: setattr(queryset, "_result_cache", [])
        activity_counts(user=learner)
    (queryset,) = [call.args[0] for call in fetch.call_args_list]

    pipeline = _pipeline(mongodb, queryset)
    assert pipeline[0] == {"$match": {"user_id": learner.pk}}
    assert not any("$lookup" in stage for stage in pipeline)
    assert set(pipeline[1]["$group"]["_id"]) == {"rol", "completed", "class_cancelled"}


def test_moving_a_class_moves_its_activities_copy_in_one_update(mongodb, virtual_class, host):
    from classes.services import update_class

    later = virtual_class.starts_at + timedelta(days=1)

    updates = _updates(
        mongodb,
        lambda: update_class(
            virtual_class=virtual_class,
            by=host,
            starts_at=later,
            ends_at=later + timedelta(hours=1),
        ),
    )

    assert (
        "activities_useractivity",
        {"virtual_class_id": virtual_class.pk},
        # MongoDB stores UTC without a zone.
        [{"$set": {"class_starts_at": {"$literal": later.replace(tzinfo=None)}}}],
    ) in updates


def test_cancelling_marks_its_activities_in_one_update(mongodb, virtual_class, host):
    from classes.services import cancel_class

    updates = _updates(mongodb, lambda: cancel_class(virtual_class=virtual_class, by=host))

    assert (
        "activities_useractivity",
        {"virtual_class_id": {"$in": (virtual_class.pk,)}},
        [{"$set": {"class_cancelled": {"$literal": True}}}],
    ) in updates


def test_every_index_and_unique_constraint_becomes_a_mongodb_index(mongodb):
    editor = mongodb.schema_editor()
    models = [
        model
        for label in ("learning_platform", "classes", "tasks", "activities")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    declared, built = [], []
    for model in models:
        for index in model._meta.indexes:
            declared.append(index.name)
            built.append(index.get_pymongo_index_model(model, editor).document["name"])
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint):
                declared.append(constraint.name)
                # How the backend creates a unique constraint: a unique (partial) index.
                index = Index(
                    fields=constraint.fields, name=constraint.name, condition=constraint.condition
                )
                built.append(
                    index.get_pymongo_index_model(model, editor, unique=True).document["name"]
                )

    assert "activity_one_per_user_and_task" in declared
    assert built == declared


def test_the_class_list_compiles_its_status_filter_to_an_in(mongodb):
    from classes.selectors import upcoming_classes

    pipeline = _pipeline(mongodb, upcoming_classes(class_type="grupal")[:13])

    # One $match on an index's fields, the listed statuses as a plain $in.
    assert _contains(pipeline, {"status": {"$in": ("scheduled",)}})
