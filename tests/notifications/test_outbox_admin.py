"""The outbox in the admin: a read-only list with delivery filters and a retry action."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

import history
from history.models import Action
from notifications.models import Kind, Message
from tests.factories import StaffFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:notifications_message_changelist")


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def outbox_rows(settings):
    """One message sent, one failed, one waiting."""
    virtual_class = VirtualClassFactory()
    learners = UserFactory.create_batch(3)
    for learner in learners:
        history.record(action=Action.CLASS_JOINED, virtual_class=virtual_class, learner=learner)
    sent, failed, waiting = (Message.objects.get(recipient=learner) for learner in learners)
    Message.objects.filter(pk=sent.pk).update(sent_at=timezone.now(), attempts=1)
    Message.objects.filter(pk=failed.pk).update(
        attempts=1, last_error="ConnectionRefusedError: down", next_attempt_at=timezone.now()
    )
    return sent, failed, waiting


def listed(response) -> set[str]:
    return {message.pk for message in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("delivery", "expected"),
    [("sent", {0}), ("unsent", {1, 2}), ("failed", {1}), (None, {0, 1, 2})],
)
def test_the_list_filters_by_delivery(staff_client, outbox_rows, delivery, expected):
    params = {"delivery": delivery} if delivery else {}

    response = staff_client.get(CHANGELIST, params)

    assert listed(response) == {outbox_rows[i].pk for i in expected}


def test_the_list_filters_by_kind(staff_client, outbox_rows):
    response = staff_client.get(CHANGELIST, {"kind__exact": Kind.REMINDER})

    assert listed(response) == set()


def test_the_list_runs_a_fixed_number_of_queries(
    staff_client, outbox_rows, django_assert_num_queries
):
    # session, user, the filtered count, the page's messages with recipient and class: the
    # same for 3 rows or 13 (no full count: show_full_result_count is off).
    with django_assert_num_queries(4):
        staff_client.get(CHANGELIST)
    for _ in range(10):
        history.record(
            action=Action.CLASS_JOINED, virtual_class=VirtualClassFactory(), learner=UserFactory()
        )
    with django_assert_num_queries(4):
        staff_client.get(CHANGELIST)


def test_retry_sends_the_unsent_messages_now_and_leaves_sent_ones(
    staff_client, outbox_rows, mailoutbox
):
    sent, failed, waiting = outbox_rows
    Message.objects.filter(pk=failed.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))

    response = staff_client.post(
        CHANGELIST,
        {"action": "retry", "_selected_action": [m.pk for m in outbox_rows]},
        follow=True,
    )

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [failed.recipient.email, waiting.recipient.email]
    )
    assert Message.objects.filter(sent_at__isnull=True).count() == 0
    assert Message.objects.get(pk=sent.pk).attempts == 1  # sent before: not sent again
    assert "Retried 2 messages: 2 sent, 0 failed." in response.content.decode()


def test_nobody_can_add_change_or_delete_a_message(staff_client, outbox_rows):
    message = outbox_rows[2]

    assert staff_client.get(reverse("admin:notifications_message_add")).status_code == 403
    assert (
        staff_client.post(
            reverse("admin:notifications_message_delete", args=[message.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    staff_client.post(
        reverse("admin:notifications_message_change", args=[message.pk]), {"attempts": "9"}
    )

    assert Message.objects.get(pk=message.pk).attempts == 0
