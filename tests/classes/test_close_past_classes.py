from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from classes.models import VirtualClass
from tests.commands import run, run_failing
from tests.factories import VirtualClassFactory

pytestmark = pytest.mark.django_db


def _class_ending(ends_at: datetime, **fields) -> VirtualClass:
    return VirtualClassFactory(starts_at=ends_at - timedelta(hours=1), ends_at=ends_at, **fields)


def _status(virtual_class: VirtualClass) -> str:
    return VirtualClass.objects.get(pk=virtual_class.pk).status


@pytest.fixture
def ended():
    return _class_ending(timezone.now() - timedelta(hours=2))


@pytest.fixture
def upcoming():
    return _class_ending(timezone.now() + timedelta(days=1))


def test_scheduled_classes_that_ended_are_completed(ended, upcoming):
    result = run("close_past_classes")

    assert _status(ended) == VirtualClass.Status.COMPLETED
    assert _status(upcoming) == VirtualClass.Status.SCHEDULED
    assert result.out.startswith("Closed 1 class that ended by ")


def test_cancelled_classes_are_left_alone():
    cancelled = _class_ending(
        timezone.now() - timedelta(days=1), status=VirtualClass.Status.CANCELLED
    )

    run("close_past_classes")

    assert _status(cancelled) == VirtualClass.Status.CANCELLED


def test_pending_classes_whose_start_passed_unconfirmed_are_cancelled_and_it_says_so():
    now = timezone.now()
    # Started ten minutes ago, not ended yet: its start passed unconfirmed all the same.
    overdue = VirtualClassFactory(
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(minutes=50),
        status=VirtualClass.Status.PENDING,
    )
    waiting = _class_ending(now + timedelta(days=1), status=VirtualClass.Status.PENDING)

    result = run("close_past_classes")

    assert _status(overdue) == VirtualClass.Status.CANCELLED
    assert "did not confirm" in VirtualClass.objects.get(pk=overdue.pk).decline_reason
    assert _status(waiting) == VirtualClass.Status.PENDING
    assert "Cancelled 1 pending class due by " in result.out
    assert "never confirmed" in result.out


def test_a_dry_run_lists_the_pending_classes_it_would_cancel():
    overdue = _class_ending(timezone.now() - timedelta(hours=1), status="pending")

    result = run("close_past_classes", "--dry-run", "--verbosity", "2")

    assert f"would cancel {overdue.pk} " in result.out
    assert "Would cancel 1 pending class" in result.out
    assert _status(overdue) == VirtualClass.Status.PENDING


@pytest.mark.parametrize(
    ("cut_off", "problem"),
    [("2025-03-30T02:30", "does not exist"), ("2025-10-26T02:30", "occurs twice")],
)
def test_a_local_cut_off_that_a_clock_change_skips_or_repeats_is_refused(
    settings, ended, cut_off, problem
):
    settings.TIME_ZONE = "Europe/Madrid"

    _, error = run_failing("close_past_classes", "--before", cut_off)

    assert f"{cut_off!r} {problem} in the time zone Europe/Madrid" in error
    assert _status(ended) == VirtualClass.Status.SCHEDULED


def test_before_chooses_the_cut_off():
    early = _class_ending(datetime(2025, 3, 1, 10, tzinfo=UTC))
    late = _class_ending(datetime(2025, 3, 5, 10, tzinfo=UTC))

    result = run("close_past_classes", "--before", "2025-03-02")

    assert _status(early) == VirtualClass.Status.COMPLETED
    assert _status(late) == VirtualClass.Status.SCHEDULED
    assert "ended by 2025-03-02T00:00:00+00:00" in result.out


def test_before_takes_a_date_time_with_its_zone():
    ends = _class_ending(datetime(2025, 3, 1, 10, tzinfo=UTC))

    run("close_past_classes", "--before", "2025-03-01T11:30:00+02:00")  # 09:30 UTC
    assert _status(ends) == VirtualClass.Status.SCHEDULED

    run("close_past_classes", "--before", "2025-03-01T10:00Z")
    assert _status(ends) == VirtualClass.Status.COMPLETED


def test_a_dry_run_lists_what_it_would_close_and_closes_nothing(ended):
    result = run("close_past_classes", "--dry-run", "--verbosity", "2")

    assert _status(ended) == VirtualClass.Status.SCHEDULED
    assert f"would close {ended.pk} " in result.out
    assert "Would close 1 class" in result.out


def test_a_second_run_changes_nothing(ended):
    run("close_past_classes")
    updated_at = VirtualClass.objects.get(pk=ended.pk).updated_at

    result = run("close_past_classes")

    assert result.out.startswith("Closed 0 classes")
    assert VirtualClass.objects.get(pk=ended.pk).updated_at == updated_at


@pytest.mark.parametrize("cut_off", ["yesterday", "2025-02-30", "2025-13-01T10:00", ""])
def test_a_bad_cut_off_is_refused_and_nothing_closes(ended, cut_off):
    _, error = run_failing("close_past_classes", "--before", cut_off)

    assert "--before: expected an ISO date or date-time such as 2025-03-01" in error
    assert repr(cut_off) in error
    assert _status(ended) == VirtualClass.Status.SCHEDULED


@pytest.mark.parametrize("cut_off", ["2099-01-01", "9999-12-31T23:59:59-05:00"])
def test_a_cut_off_in_the_future_is_refused_and_upcoming_classes_stay_open(upcoming, cut_off):
    _, error = run_failing("close_past_classes", "--before", cut_off)

    assert "is in the future: only classes that have ended can be closed" in error
    assert _status(upcoming) == VirtualClass.Status.SCHEDULED
