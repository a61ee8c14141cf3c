from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classes.models import VirtualClass
from tests.factories import UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def at(virtual_class, *, starts_in: timedelta) -> VirtualClass:
    """Move a class to a time relative to now, past included (the rules refuse booking it)."""
    starts_at = timezone.now() + starts_in
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )
    return virtual_class


def test_home_shows_a_learners_next_joined_class(client, host, learner):
    VirtualClassFactory(booked_by=host, title="Later class", participants=[learner])
    soonest = VirtualClassFactory(booked_by=host, title="Sooner class", participants=[learner])
    at(soonest, starts_in=timedelta(hours=3))
    client.force_login(learner)

    response = client.get(reverse("home"))

    assert response.context["next_class"] == soonest
    assert "Your next class" in response.text
    assert f'href="{reverse("classes:detail", args=[soonest.pk])}"' in response.text


def test_home_counts_a_class_the_learner_hosts(client, learner):
    hosted = VirtualClassFactory(booked_by=learner, title="My own class")

    client.force_login(learner)
    response = client.get(reverse("home"))

    assert response.context["next_class"] == hosted
    assert "you are the host" in response.text


def test_a_class_in_progress_is_still_the_next_class(client, host, learner):
    VirtualClassFactory(booked_by=host, participants=[learner])
    ongoing = at(
        VirtualClassFactory(booked_by=host, meeting_url="https://meet.example.com/now"),
        starts_in=timedelta(minutes=-20),
    )
    ongoing.participants.add(learner)
    client.force_login(learner)

    response = client.get(reverse("home"))

    assert response.context["next_class"] == ongoing
    assert "Join the call now" in response.text


def test_next_class_leaves_out_ended_cancelled_and_other_learners_classes(client, host, learner):
    at(VirtualClassFactory(booked_by=host, participants=[learner]), starts_in=-timedelta(hours=2))
    VirtualClassFactory(
        booked_by=host, participants=[learner], status=VirtualClass.Status.CANCELLED
    )
    VirtualClassFactory(booked_by=host)
    client.force_login(learner)

    response = client.get(reverse("home"))

    assert response.context["next_class"] is None
    assert "No class coming up." in response.text


def test_home_offers_the_call_only_in_its_window(client, host, learner):
    virtual_class = VirtualClassFactory(
        booked_by=host, meeting_url="https://meet.example.com/soon", participants=[learner]
    )
    client.force_login(learner)

    at(virtual_class, starts_in=timedelta(minutes=16))
    before = client.get(reverse("home")).text
    at(virtual_class, starts_in=timedelta(minutes=14))
    within = client.get(reverse("home")).text

    assert "https://meet.example.com/soon" not in before
    assert "Join the call now" in within
    assert 'href="https://meet.example.com/soon"' in within


def test_a_visitor_gets_no_next_class_panel(client, virtual_class):
    response = client.get(reverse("home"))

    assert "Your next class" not in response.text
    assert "next_class" not in response.context


@pytest.mark.parametrize("classes", [1, 8])
def test_home_runs_the_same_queries_whatever_the_learners_history(
    client, host, django_assert_num_queries, classes
):
    learner = UserFactory()
    for virtual_class in VirtualClassFactory.create_batch(classes, booked_by=host):
        virtual_class.participants.add(learner)
    client.force_login(learner)

    # session, user, upcoming classes with hosts, the learner's next class with its host
    with django_assert_num_queries(4):
        response = client.get(reverse("home"))

    assert response.context["next_class"] is not None
