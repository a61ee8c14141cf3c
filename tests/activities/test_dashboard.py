from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.selectors import activity_counts
from activities.services import assign_task, complete_task
from classes.models import VirtualClass
from classes.services import cancel_class, update_class
from tests.factories import (
    TaskFactory,
    UserFactory,
    VirtualClassFactory,
    set_class_times,
    start_class,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(learner):
    """The learner hosts two classes and joined one, whose task they completed."""
    VirtualClassFactory(booked_by=learner, title="Hosted one")
    VirtualClassFactory(booked_by=learner, title="Hosted two")
    joined = VirtualClassFactory(title="Joined and done", participants=[learner])
    task = TaskFactory(title="Ser or estar")
    assign_task(virtual_class=joined, task=task)
    start_class(joined)
    complete_task(user=learner, task=task)
    return learner


def dashboard(client, **params):
    return client.get(reverse("activities:dashboard"), params)


def titles(response) -> set[str]:
    shown = [*response.context["upcoming"], *response.context["page"].object_list]
    return {a.virtual_class.title for a in shown}


def test_the_dashboard_needs_a_signed_in_learner(client):
    response = dashboard(client)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_dashboard_lists_all_the_learners_activities_with_class_and_task(client, history):
    client.force_login(history)

    response = dashboard(client)

    assert titles(response) == {"Hosted one", "Hosted two", "Joined and done"}
    assert "Ser or estar" in response.text


def test_the_dashboard_leaves_out_other_learners_activities(client, history):
    VirtualClassFactory(title="Someone else's")
    client.force_login(history)

    assert "Someone else's" not in titles(dashboard(client))


def test_the_dashboard_counts_each_kind_of_activity(client, history):
    client.force_login(history)

    counts = dashboard(client).context["counts"]

    assert counts == {
        "all": 3,
        "completed": 1,
        "pending": 2,
        "hosted": 2,
        "joined": 1,
        "cancelled": 0,
    }


def test_a_cancelled_class_leaves_the_pending_and_hosted_counts(client, history):
    hosted = history.hosted_classes.get(title="Hosted one")
    cancel_class(virtual_class=hosted, by=history)
    client.force_login(history)

    response = dashboard(client)

    assert response.context["counts"] == {
        "all": 3,
        "completed": 1,
        "pending": 1,
        "hosted": 1,
        "joined": 1,
        "cancelled": 1,
    }
    assert '<span class="stat-value" data-testid="count-cancelled">1</span>' in response.text
    assert "Class cancelled" in response.text  # not "Pending": nothing is left to do there


def test_the_dashboard_shows_total_classes(client, history):
    client.force_login(history)

    response = dashboard(client)

    assert '<span class="stat-value" data-testid="total-classes">1</span>' in response.text


def test_the_dashboard_filters_completed_activities(client, history):
    client.force_login(history)

    assert titles(dashboard(client, progress="completed")) == {"Joined and done"}


def test_the_dashboard_filters_pending_activities(client, history):
    client.force_login(history)

    assert titles(dashboard(client, progress="pending")) == {"Hosted one", "Hosted two"}


def test_the_dashboard_filters_hosted_activities(client, history):
    client.force_login(history)

    assert titles(dashboard(client, role="anfitrion")) == {"Hosted one", "Hosted two"}


def test_the_dashboard_filters_joined_activities(client, history):
    client.force_login(history)

    assert titles(dashboard(client, role="participante")) == {"Joined and done"}


def test_the_dashboard_ignores_unknown_filter_values_and_keeps_the_others(client, history):
    client.force_login(history)

    response = dashboard(client, progress="maybe", role="participante", page="-3")

    assert response.status_code == 200
    assert titles(response) == {"Joined and done"}


def _past(learner, count: int) -> None:
    for _ in range(count):
        virtual_class = VirtualClassFactory(booked_by=learner)
        set_class_times(
            VirtualClass.objects.filter(pk=virtual_class.pk),
            starts_at=timezone.now() - timedelta(days=3),
            ends_at=timezone.now() - timedelta(days=2),
        )


def test_the_dashboard_shows_upcoming_classes_soonest_first_then_the_past(client, learner):
    soon = timezone.now() + timedelta(days=1)
    VirtualClassFactory(booked_by=learner, title="Later", starts_at=soon + timedelta(days=5))
    VirtualClassFactory(booked_by=learner, title="Sooner", starts_at=soon)
    _past(learner, 1)
    client.force_login(learner)

    response = dashboard(client)

    assert [a.virtual_class.title for a in response.context["upcoming"]] == ["Sooner", "Later"]
    assert len(response.context["page"].object_list) == 1
    text = response.text
    assert text.index('data-testid="upcoming"') < text.index("Sooner") < text.index("Later")
    assert text.index("Later") < text.index('data-testid="past"')


def test_the_past_is_listed_by_the_class_start_newest_first_a_page_at_a_time(client, learner):
    # Booked in one order, held in another: the later bookings are the earlier classes, and
    # some start at the same moment (the id breaks the tie, across the pages too).
    now = timezone.now().replace(microsecond=0)
    starts = [now - timedelta(days=5 + day // 2) for day in range(25)]
    for start in starts:
        virtual_class = VirtualClassFactory(booked_by=learner)
        set_class_times(
            VirtualClass.objects.filter(pk=virtual_class.pk),
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    client.force_login(learner)

    first = dashboard(client).context["page"]
    second = dashboard(client, after=first.after).context["page"]
    back = dashboard(client, before=second.before).context["page"]

    shown = [*first.object_list, *second.object_list]
    assert (len(first.object_list), len(second.object_list)) == (20, 5)
    assert [a.virtual_class.starts_at for a in shown] == sorted(starts, reverse=True)
    assert len({a.pk for a in shown}) == 25
    assert second.after is None
    assert [a.pk for a in back.object_list] == [a.pk for a in first.object_list]


@pytest.mark.parametrize("activities", [1, 30])
def test_the_dashboard_runs_the_same_queries_whatever_the_history_length(
    client, learner, django_assert_num_queries, activities
):
    host = UserFactory()
    for _ in range(activities):
        VirtualClassFactory(booked_by=host, participants=[learner])
    client.force_login(learner)

    # session, user, a page of the past and the upcoming classes (each with class and task),
    # the counts (one aggregate, grouped by kind)
    with django_assert_num_queries(5):
        response = dashboard(client)

    assert response.context["counts"]["all"] == activities


def test_a_moved_class_takes_its_new_place_among_the_upcoming(client, learner):
    soon = timezone.now() + timedelta(days=1)
    first = VirtualClassFactory(booked_by=learner, title="First", starts_at=soon)
    VirtualClassFactory(booked_by=learner, title="Second", starts_at=soon + timedelta(days=1))
    later = soon + timedelta(days=2)
    update_class(
        virtual_class=first, by=learner, starts_at=later, ends_at=later + timedelta(hours=1)
    )
    client.force_login(learner)

    upcoming = dashboard(client).context["upcoming"]

    assert [a.virtual_class.title for a in upcoming] == ["Second", "First"]


def test_a_class_that_has_started_is_in_the_past(client, learner):
    started = VirtualClassFactory(booked_by=learner, title="Under way")
    start_class(started)
    VirtualClassFactory(booked_by=learner, title="Tomorrow")
    client.force_login(learner)

    response = dashboard(client)

    assert [a.virtual_class.title for a in response.context["upcoming"]] == ["Tomorrow"]
    assert [a.virtual_class.title for a in response.context["page"].object_list] == ["Under way"]


def test_a_cancelled_class_is_marked_in_its_row(client, learner):
    cancel_class(virtual_class=VirtualClassFactory(booked_by=learner), by=learner)
    client.force_login(learner)

    text = dashboard(client).text

    assert '<span class="badge badge-cancelled">Cancelled</span>' in text
    assert '<span class="muted">Class cancelled</span>' in text


def test_each_row_links_to_its_class_and_task(client, history):
    joined = history.activities.get(virtual_class__title="Joined and done")
    client.force_login(history)

    text = dashboard(client).text

    assert f'href="{reverse("classes:detail", args=[joined.virtual_class_id])}"' in text
    assert f'href="{reverse("tasks:detail", args=[joined.task_id])}"' in text


def test_the_counts_read_the_learners_activities_alone(learner):
    cancel_class(virtual_class=VirtualClassFactory(booked_by=learner), by=learner)

    with CaptureQueriesContext(connection) as queries:
        counts = activity_counts(user=learner)

    # One query, no join: the index holds every column it counts by.
    [query] = queries.captured_queries
    assert "JOIN" not in query["sql"]
    assert counts["cancelled"] == 1


def test_both_sections_are_ordered_by_the_activitys_copy_of_the_start(client, learner):
    VirtualClassFactory(booked_by=learner)
    _past(learner, 1)
    client.force_login(learner)

    with CaptureQueriesContext(connection) as queries:
        dashboard(client)

    ordered = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"]]
    assert len(ordered) == 2
    for sql in ordered:
        assert 'ORDER BY "activities_useractivity"."class_starts_at"' in sql
