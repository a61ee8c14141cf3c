"""Senders racing for real: threads on their own connections, released together.

PostgreSQL only (SQLite has one writer at a time, so nothing races there).
"""

import threading
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

import history
from history.models import Action
from notifications import outbox
from notifications.models import Kind, Message
from tests.factories import UserFactory, VirtualClassFactory
from tests.notifications import recording

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need concurrent writers: run with DATABASE_URL on PostgreSQL",
    ),
]


@pytest.fixture(autouse=True)
def _recording_backend(settings):
    settings.EMAIL_BACKEND = "tests.notifications.recording.Backend"
    recording.sent.clear()


def _race(call, times: int):
    barrier = threading.Barrier(times)
    errors = []

    def run():
        try:
            barrier.wait()
            call()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_four_senders_at_once_send_every_message_exactly_once():
    learners = UserFactory.create_batch(30)
    virtual_class = VirtualClassFactory()
    for learner in learners:
        history.record(action=Action.CLASS_JOINED, virtual_class=virtual_class, learner=learner)

    _race(lambda: outbox.send_messages(outbox.due()), times=4)

    sent = Counter(mail.extra_headers["X-Message-Id"] for mail in recording.sent)
    assert len(sent) == 30
    assert set(sent.values()) == {1}
    assert Message.objects.filter(sent_at__isnull=False, attempts=1).count() == 30


def test_four_cron_runs_at_once_write_and_send_each_reminder_once():
    starts = timezone.now() + timedelta(minutes=30)
    VirtualClassFactory(
        starts_at=starts, ends_at=starts + timedelta(hours=1),
        max_participants=6, participants=UserFactory.create_batch(5),
    )  # fmt: skip

    _race(lambda: call_command("send_notifications", stdout=StringIO()), times=4)

    assert Message.objects.filter(kind=Kind.REMINDER).count() == 6
    assert len(recording.sent) == 6
    assert len({mail.to[0] for mail in recording.sent}) == 6
