import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities import integrity
from activities.services import assign_task
from tests.activities import breaches
from tests.commands import run, run_failing
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return breaches.build_school()


def test_a_database_kept_by_the_rules_passes(school):
    result = run("check_integrity")

    assert list(integrity.audit()) == []
    assert "No breaches found." in result.out


@pytest.mark.parametrize("breach", breaches.ALL, ids=lambda f: f.__name__)
def test_each_breach_is_found_with_its_ids(school, breach):
    expected = breach(school)

    found = list(integrity.audit())

    assert sorted(found, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("breach", breaches.ALL, ids=lambda f: f.__name__)
def test_the_command_lists_each_breach_and_fails_with_a_summary(school, breach):
    expected = breach(school)

    result, error = run_failing("check_integrity")

    assert sorted(result.out.splitlines()) == sorted(str(b) for b in expected)
    assert error.startswith(f"{integrity.breaches(len(expected))} found: ")
    for b in expected:
        assert f"1 {b.kind}" in error


def test_breaches_of_several_kinds_are_all_listed(school):
    expected = breaches.inflate_total_classes(school) + breaches.drop_host_activity(school)

    result, error = run_failing("check_integrity")

    assert result.out.splitlines() == [str(b) for b in expected]
    assert school.learner.pk in result.out and school.virtual_class.pk in result.out
    assert error == "2 breaches found: 1 total_classes, 1 missing_host_activity"


def test_quiet_verbosity_keeps_the_summary(school):
    breaches.miscount_seats(school)

    result, error = run_failing("check_integrity", "--verbosity", "0")

    assert result.out == ""
    assert error == "1 breach found: 1 current_participants"


def test_small_batches_find_the_same_breaches(school):
    expected = breaches.inflate_total_classes(school) + breaches.miscount_seats(school)

    assert sorted(integrity.audit(batch_size=1), key=str) == sorted(expected, key=str)


# PostgreSQL: the audit turns query compilation off for its queries, and on again after them.
JIT_OFF_AND_ON = 2 if connection.vendor == "postgresql" else 0


def test_the_audit_asks_the_same_number_of_queries_however_many_rows(school):
    small = _audit_queries()
    for _ in range(15):  # many more learners, classes, participants and activities
        virtual_class = VirtualClassFactory(participants=UserFactory.create_batch(3))
        assign_task(virtual_class=virtual_class, task=TaskFactory())

    large = _audit_queries()

    # users: 1 range boundary + 1 recount; classes: 1 boundary + 6 checks; one batch each
    assert small == large == 9 + JIT_OFF_AND_ON


def test_queries_grow_with_batches_not_rows(school):
    # 4 users and 2 classes in batches of 1: 5 user ranges and 3 class ranges (the last empty)
    assert _audit_queries(batch_size=1) == 5 * 2 + 3 * 7 + JIT_OFF_AND_ON


@pytest.mark.parametrize("size", ["0", "99999999999999999999"])
def test_a_batch_size_out_of_range_is_refused(school, size):
    _, error = run_failing("check_integrity", "--batch-size", size)

    assert "--batch-size: must be from 1 to 100,000" in error


def _audit_queries(batch_size: int = 1000) -> int:
    with CaptureQueriesContext(connection) as queries:
        list(integrity.audit(batch_size=batch_size))
    return len(queries)
