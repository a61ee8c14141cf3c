"""Action URLs asked for with GET (a bookmark, a shared link, the way back from the login page):
a page that asks first, or the class page saying why the action is not available; never a bare
405. Leaving and cancelling from the class page go through that question."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from classes.models import VirtualClass
from tests.factories import UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_get_on_join_asks_to_confirm_and_changes_nothing(client, learner, virtual_class):
    client.force_login(learner)

    response = client.get(reverse("classes:join", args=[virtual_class.pk]))

    assert response.status_code == 200
    assert "Join “Spanish small talk”?" in response.text
    assert f'action="{reverse("classes:join", args=[virtual_class.pk])}"' in response.text
    assert 'method="post"' in response.text
    assert not virtual_class.participants.filter(pk=learner.pk).exists()


def test_get_on_leave_asks_to_confirm_and_keeps_the_seat(client, host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, title="Travel", participants=[learner])
    client.force_login(learner)

    response = client.get(reverse("classes:leave", args=[virtual_class.pk]))

    assert response.status_code == 200
    assert "Leave “Travel”?" in response.text
    assert "Yes, leave this class" in response.text
    assert "Keep my place" in response.text
    virtual_class.refresh_from_db()
    assert virtual_class.participants.filter(pk=learner.pk).exists()
    assert virtual_class.current_participants == 2


def test_get_on_cancel_asks_the_host_to_confirm_and_keeps_the_class(client, host, virtual_class):
    client.force_login(host)

    response = client.get(reverse("classes:cancel", args=[virtual_class.pk]))

    assert response.status_code == 200
    assert "Cancel “Spanish small talk”?" in response.text
    assert "This cannot be undone." in response.text
    virtual_class.refresh_from_db()
    assert virtual_class.status == VirtualClass.Status.SCHEDULED


def test_confirming_the_cancel_page_cancels_the_class(client, host, virtual_class):
    client.force_login(host)
    page = client.get(reverse("classes:cancel", args=[virtual_class.pk]))
    assert f'action="{reverse("classes:cancel", args=[virtual_class.pk])}"' in page.text

    response = client.post(reverse("classes:cancel", args=[virtual_class.pk]))

    virtual_class.refresh_from_db()
    assert virtual_class.status == VirtualClass.Status.CANCELLED
    assert messages_of(response) == ["“Spanish small talk” is cancelled."]


def test_get_on_an_action_that_is_not_available_goes_back_to_the_class_with_the_reason(
    client, host, virtual_class
):
    client.force_login(host)

    response = client.get(reverse("classes:join", args=[virtual_class.pk]))

    assert response.status_code == 302
    assert response.url == reverse("classes:detail", args=[virtual_class.pk])
    assert messages_of(response) == ["You are the host of this class."]


def test_get_on_cancel_by_someone_else_goes_back_with_the_reason(client, virtual_class):
    client.force_login(UserFactory())

    response = client.get(reverse("classes:cancel", args=[virtual_class.pk]))

    assert response.url == reverse("classes:detail", args=[virtual_class.pk])
    assert messages_of(response) == ["Only the host or staff can cancel this class."]
    virtual_class.refresh_from_db()
    assert virtual_class.status == VirtualClass.Status.SCHEDULED


def test_get_on_leave_after_the_start_goes_back_with_the_reason(client, host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )
    client.force_login(learner)

    response = client.get(reverse("classes:leave", args=[virtual_class.pk]))

    assert response.status_code == 302
    assert messages_of(response) == ["This class has already started."]


def test_get_on_join_signed_out_leads_through_login_back_to_the_question(
    client, learner, virtual_class
):
    url = reverse("classes:join", args=[virtual_class.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    client.force_login(learner)
    assert "Join “Spanish small talk”?" in client.get(url).text


def test_the_class_page_asks_before_leaving(client, host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])
    client.force_login(learner)

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    leave_url = reverse("classes:leave", args=[virtual_class.pk])
    assert f'href="{leave_url}"' in response.text  # a link to the question, not a form
    assert f'action="{leave_url}"' not in response.text


def test_the_class_page_asks_before_cancelling(client, host, virtual_class):
    client.force_login(host)

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    cancel_url = reverse("classes:cancel", args=[virtual_class.pk])
    assert f'href="{cancel_url}"' in response.text
    assert f'action="{cancel_url}"' not in response.text
