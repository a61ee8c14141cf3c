import pytest

from activities import integrity
from activities.models import UserActivity
from classes.models import VirtualClass
from learning_platform.models import User
from tests.activities import breaches
from tests.commands import run, run_failing

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return breaches.build_school()


def _snapshot():
    """Every row the repair may touch, to prove a run changed nothing."""
    return (
        list(User.objects.order_by("pk").values_list("pk", "total_classes")),
        list(VirtualClass.objects.order_by("pk").values()),
        list(UserActivity.objects.order_by("pk").values()),
        list(VirtualClass.participants.through.objects.order_by("pk").values()),
    )


@pytest.mark.parametrize("breach", breaches.FIXABLE, ids=lambda f: f.__name__)
def test_repair_fixes_each_fixable_breach_and_the_audit_is_then_clean(school, breach):
    (expected,) = breach(school)

    result = run("repair_integrity")

    assert list(integrity.audit()) == []
    assert result.out.splitlines()[0] == f"fixed: {integrity.repair(expected, dry_run=True)}"
    assert f"Fixed 1 breach: 1 {expected.kind}." in result.out


@pytest.mark.parametrize("breach", breaches.FIXABLE, ids=lambda f: f.__name__)
def test_a_second_repair_changes_nothing(school, breach):
    breach(school)
    run("repair_integrity")
    before = _snapshot()

    result = run("repair_integrity")

    assert _snapshot() == before
    assert result.out.splitlines() == ["Fixed 0 breaches."]


@pytest.mark.parametrize("breach", breaches.UNFIXABLE, ids=lambda f: f.__name__)
def test_a_second_repair_of_what_needs_a_person_changes_nothing(school, breach):
    breach(school)
    run_failing("repair_integrity")
    before = _snapshot()

    result, _ = run_failing("repair_integrity")

    assert _snapshot() == before
    assert "fixed:" not in result.out
    assert "Fixed 0 breaches." in result.out


@pytest.mark.parametrize("breach", breaches.ALL, ids=lambda f: f.__name__)
def test_a_dry_run_prints_the_changes_and_makes_none(school, breach):
    expected = breach(school)
    before = _snapshot()

    if all(b.fixable for b in expected):
        result = run("repair_integrity", "--dry-run")
    else:
        result, _ = run_failing("repair_integrity", "--dry-run")

    assert _snapshot() == before
    for b in expected:
        if b.fixable:
            assert f"would fix: {integrity.repair(b, dry_run=True)}" in result.out
    assert sorted(integrity.audit(), key=str) == sorted(expected, key=str)


def test_recounts_set_the_derived_values(school):
    breaches.inflate_total_classes(school)
    breaches.miscount_seats(school)

    run("repair_integrity")

    assert User.objects.get(pk=school.learner.pk).total_classes == 1
    assert VirtualClass.objects.get(pk=school.virtual_class.pk).current_participants == 3


def test_a_missing_host_activity_comes_back_as_host_with_the_class_task(school):
    breaches.drop_host_activity(school)

    run("repair_integrity")

    activity = school.activity(school.host)
    assert activity.rol == UserActivity.Rol.ANFITRION
    assert activity.task_id == school.task.pk
    assert not activity.completed


def test_a_missing_participant_activity_comes_back_as_participant(school):
    breaches.drop_participant_activity(school)

    run("repair_integrity")

    activity = school.activity(school.other)
    assert activity.rol == UserActivity.Rol.PARTICIPANTE
    assert activity.task_id == school.task.pk


def test_roles_are_set_from_who_hosts_and_who_joined(school):
    breaches.mark_host_as_participant(school)
    breaches.mark_participant_as_host(school)

    run("repair_integrity")

    assert school.activity(school.host).rol == UserActivity.Rol.ANFITRION
    assert school.activity(school.other).rol == UserActivity.Rol.PARTICIPANTE


@pytest.mark.parametrize("breach", breaches.UNFIXABLE, ids=lambda f: f.__name__)
def test_what_needs_a_person_is_reported_and_left_alone(school, breach):
    expected = breach(school)
    unfixable = [b for b in expected if not b.fixable]

    result, error = run_failing("repair_integrity")

    for b in unfixable:
        assert f"cannot fix: {b}" in result.out
        assert f"1 {b.kind}" in error
    verb = "needs" if len(unfixable) == 1 else "need"
    assert error.startswith(f"{integrity.breaches(len(unfixable))} {verb} a person: ")
    assert sorted(integrity.audit(), key=str) == sorted(unfixable, key=str)


def test_an_over_capacity_class_still_gets_the_activity_of_its_extra_member(school):
    breaches.overfill(school)

    run_failing("repair_integrity")

    activity = school.activity(school.outsider, school.duo)
    assert activity.rol == UserActivity.Rol.PARTICIPANTE


def test_a_clean_database_is_left_as_it_is(school):
    before = _snapshot()

    result = run("repair_integrity")

    assert _snapshot() == before
    assert "Fixed 0 breaches." in result.out


def test_a_participant_who_left_since_the_audit_gets_no_activity(school):
    (breach,) = breaches.drop_participant_activity(school)
    VirtualClass.participants.through.objects.filter(
        virtualclass=school.virtual_class, user=school.other
    ).delete()

    integrity.repair(breach, dry_run=False)

    assert not UserActivity.objects.filter(
        user=school.other, virtual_class=school.virtual_class
    ).exists()


def test_an_activity_created_since_the_audit_is_not_duplicated(school):
    (breach,) = breaches.drop_host_activity(school)
    integrity.repair(breach, dry_run=False)

    integrity.repair(breach, dry_run=False)

    assert (
        UserActivity.objects.filter(user=school.host, virtual_class=school.virtual_class).count()
        == 1
    )


def test_a_seat_recount_leaves_a_class_that_filled_past_its_seats_since_the_audit(school):
    VirtualClass.objects.filter(pk=school.duo.pk).update(current_participants=1)
    (breach,) = list(integrity.audit())  # current_participants: found 1, expected 2
    breaches.overfill(school)  # someone got in behind the rules' back meanwhile

    integrity.repair(breach, dry_run=False)

    school.duo.refresh_from_db()
    assert school.duo.current_participants == 1
    assert {b.kind for b in integrity.audit()} >= {integrity.OVER_CAPACITY}
