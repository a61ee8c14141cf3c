"""Races run for real: many threads, each on its own database connection, released together.

They need a database with concurrent writers, so they run on PostgreSQL (row locks and
conditional updates) and on MongoDB (conditional updates alone): `make test` runs them when
TEST_POSTGRES_URL or TEST_MONGODB_URL is set.
"""

import threading

import pytest
from django.db import connection, connections

from activities.models import UserActivity
from activities.services import ActivityError, assign_task, complete_task
from classes.models import VirtualClass
from classes.services import ClassError, join_class, leave_class
from learning_platform.models import User
from tests.factories import UserFactory, VirtualClassFactory, start_class

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor not in ("postgresql", "mongodb"),
        reason="races need concurrent writers: run with DATABASE_URL on PostgreSQL or MongoDB",
    ),
]


def _race(calls):
    """Run each call in its own thread, all released at once; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_of_many_learners_racing_for_the_last_seat_exactly_one_gets_it():
    virtual_class = VirtualClassFactory(max_participants=3, participants=[UserFactory()])
    racers = UserFactory.create_batch(12)

    outcomes = _race([lambda u=u: join_class(user=u, virtual_class=virtual_class) for u in racers])

    winners = [o for o in outcomes if isinstance(o, VirtualClass)]
    refusals = [o for o in outcomes if isinstance(o, ClassError)]
    assert (len(winners), len(refusals)) == (1, 11)
    assert {r.messages[0] for r in refusals} == {"This class is full."}
    virtual_class.refresh_from_db()
    assert virtual_class.current_participants == 3
    assert virtual_class.participants.count() == 2
    assert UserActivity.objects.filter(virtual_class=virtual_class).count() == 3


def test_twenty_simultaneous_completions_count_the_class_once(task):
    learner = UserFactory()
    virtual_class = VirtualClassFactory(participants=[learner])
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)

    outcomes = _race([lambda: complete_task(user=learner, task=task)] * 20)

    assert outcomes.count(True) == 1
    assert outcomes.count(False) == 19
    assert User.objects.get(pk=learner.pk).total_classes == 1


def test_completions_of_different_tasks_racing_are_all_counted(task):
    learner = UserFactory()
    tasks = [task, *[type(task).objects.create(title=f"T{i}", type="exam") for i in range(9)]]
    for each in tasks:
        virtual_class = VirtualClassFactory(participants=[learner])
        assign_task(virtual_class=virtual_class, task=each)
        start_class(virtual_class)

    outcomes = _race([lambda t=t: complete_task(user=learner, task=t) for t in tasks])

    assert outcomes == [True] * 10
    assert User.objects.get(pk=learner.pk).total_classes == 10


def test_racing_joins_into_a_class_being_given_a_task_all_get_the_task(task):
    virtual_class = VirtualClassFactory(max_participants=10)
    racers = UserFactory.create_batch(8)
    calls = [lambda u=u: join_class(user=u, virtual_class=virtual_class) for u in racers]
    calls.append(lambda: assign_task(virtual_class=virtual_class, task=task))

    outcomes = _race(calls)

    assert not [o for o in outcomes if isinstance(o, Exception)]
    activities = UserActivity.objects.filter(virtual_class=virtual_class)
    assert activities.count() == 9
    assert set(activities.values_list("task_id", flat=True)) == {task.pk}


def test_a_learner_leaving_twice_at_once_frees_one_seat():
    learner = UserFactory()
    virtual_class = VirtualClassFactory(max_participants=4, participants=[learner, UserFactory()])

    _race([lambda: leave_class(user=learner, virtual_class=virtual_class)] * 8)

    virtual_class.refresh_from_db()
    assert virtual_class.current_participants == 2
    assert not virtual_class.participants.filter(pk=learner.pk).exists()


def test_joins_racing_the_same_task_given_through_other_classes_never_fail(task):
    learners = UserFactory.create_batch(8)
    elsewhere = VirtualClassFactory(max_participants=10, participants=learners)
    joined = VirtualClassFactory(max_participants=10)
    assign_task(virtual_class=joined, task=task)
    calls = [lambda u=u: join_class(user=u, virtual_class=joined) for u in learners]
    calls.append(lambda: assign_task(virtual_class=elsewhere, task=task))

    outcomes = _race(calls)

    assert all(isinstance(o, VirtualClass) for o in outcomes[:-1]), outcomes
    # assign_task either attaches the task or says to try again; it never half-applies.
    assert not isinstance(outcomes[-1], Exception) or isinstance(outcomes[-1], ActivityError)
    # One activity per learner per task: each learner holds it in exactly one of the classes.
    for learner in learners:
        assert UserActivity.objects.filter(user=learner, task=task).count() == 1
    assert VirtualClass.objects.get(pk=joined.pk).current_participants == 9
