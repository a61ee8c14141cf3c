"""The waiting list and the seat change under real races: threads on their own connections.

Like tests/activities/test_concurrency.py, they need concurrent writers (PostgreSQL, MongoDB).
Each prints its figures (run with -s to see them).
"""

import time

import pytest
from django.db import connection

from classes.models import VirtualClass, WaitlistEntry
from classes.services import ClassError, join_class, join_waitlist, leave_class, update_class
from tests.activities.test_concurrency import _race
from tests.factories import UserFactory, VirtualClassFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor not in ("postgresql", "mongodb"),
        reason="races need concurrent writers: run with DATABASE_URL on PostgreSQL or MongoDB",
    ),
]


def _timed(calls):
    started = time.perf_counter()
    outcomes = _race(calls)
    return outcomes, time.perf_counter() - started


def _consistent(virtual_class):
    """Seats, members and waiting list agree, and nobody is both seated and waiting."""
    virtual_class.refresh_from_db()
    members = set(virtual_class.participants.values_list("pk", flat=True))
    waiting = set(virtual_class.waitlist_entries.values_list("user_id", flat=True))
    assert virtual_class.current_participants == 1 + len(members)
    assert virtual_class.current_participants <= virtual_class.max_participants
    assert not members & waiting
    return members, waiting


def test_three_seats_freed_at_once_promote_exactly_the_first_three_waiting():
    leavers = UserFactory.create_batch(3)
    stay = UserFactory.create_batch(2)
    virtual_class = VirtualClassFactory(max_participants=6, participants=[*leavers, *stay])
    waiting = UserFactory.create_batch(30)
    for user in waiting:
        join_waitlist(user=user, virtual_class=virtual_class)

    outcomes, seconds = _timed(
        [lambda u=u: leave_class(user=u, virtual_class=virtual_class) for u in leavers]
    )

    assert not [o for o in outcomes if isinstance(o, Exception)]
    members, still_waiting = _consistent(virtual_class)
    assert members == {u.pk for u in stay} | {u.pk for u in waiting[:3]}
    assert still_waiting == {u.pk for u in waiting[3:]}
    assert virtual_class.current_participants == 6
    print(f"\n3 leaves, 30 waiting: 3 promoted in order, 27 waiting, {seconds * 1000:.0f} ms")


def test_a_leave_racing_direct_joins_on_the_last_seat_never_oversells():
    rounds, refused, promoted_first = 10, 0, 0
    started = time.perf_counter()
    for _ in range(rounds):
        leaver = UserFactory()
        virtual_class = VirtualClassFactory(
            max_participants=3, participants=[leaver, UserFactory()]
        )
        first, second = UserFactory.create_batch(2)
        join_waitlist(user=first, virtual_class=virtual_class)
        join_waitlist(user=second, virtual_class=virtual_class)
        joiners = UserFactory.create_batch(6)
        calls = [lambda u=leaver, c=virtual_class: leave_class(user=u, virtual_class=c)]
        calls += [lambda u=u, c=virtual_class: join_class(user=u, virtual_class=c) for u in joiners]

        outcomes = _race(calls)

        members, _ = _consistent(virtual_class)
        assert virtual_class.current_participants == 3
        refused += sum(isinstance(o, ClassError) for o in outcomes)
        promoted_first += first.pk in members
    print(
        f"\n{rounds} rounds of 1 leave + 6 direct joins on a full class with 2 waiting: "
        f"never oversold, first in line seated in {promoted_first}/{rounds}, "
        f"{refused} joins refused, {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    # With row locks every freed seat goes to the line; without them a direct join may win it.
    if connection.vendor == "postgresql":
        assert promoted_first == rounds


def test_seats_lowered_while_twenty_learners_join_never_oversell():
    rounds, applied = 6, 0
    started = time.perf_counter()
    for position in range(0, 21, 4):  # the change released among the joins at varying places
        host = UserFactory()
        virtual_class = VirtualClassFactory(booked_by=host, max_participants=30)
        joiners = UserFactory.create_batch(20)
        calls = [lambda u=u, c=virtual_class: join_class(user=u, virtual_class=c) for u in joiners]
        calls.insert(
            position,
            lambda h=host, c=virtual_class: update_class(virtual_class=c, by=h, max_participants=8),
        )

        outcomes = _race(calls)

        members, _ = _consistent(virtual_class)
        change = outcomes.pop(position)
        assert sum(isinstance(o, VirtualClass) for o in outcomes) == len(members)
        assert not [o for o in outcomes if not isinstance(o, (VirtualClass, ClassError))]
        if isinstance(change, VirtualClass):
            applied += 1
            assert virtual_class.max_participants == 8
        else:
            assert isinstance(change, ClassError), change
            assert virtual_class.max_participants == 30
    seconds = time.perf_counter() - started
    print(
        f"\n{rounds} rounds of seats 30 -> 8 racing 20 joins: never oversold, change applied in "
        f"{applied}, refused in {rounds - applied}, {seconds * 1000:.0f} ms"
    )


def test_the_same_learner_waiting_twice_at_once_gets_one_entry():
    virtual_class = VirtualClassFactory(max_participants=2, participants=[UserFactory()])
    learner = UserFactory()

    outcomes = _race([lambda: join_waitlist(user=learner, virtual_class=virtual_class)] * 8)

    assert sum(isinstance(o, WaitlistEntry) for o in outcomes) == 1
    assert {o.messages[0] for o in outcomes if isinstance(o, ClassError)} == {
        "You are already on the waiting list."
    }
    assert virtual_class.waitlist_entries.count() == 1
