"""send_notifications: one cron line writes the reminders that came due and sends what waits."""

from datetime import timedelta

import pytest
from django.utils import timezone

import history
from classes import services
from classes.models import VirtualClass
from history.models import Action
from notifications.models import Kind, Message
from tests.commands import run
from tests.factories import UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def class_starting_in(minutes: int, **kwargs) -> VirtualClass:
    starts = timezone.now() + timedelta(minutes=minutes)
    return VirtualClassFactory(starts_at=starts, ends_at=starts + timedelta(hours=1), **kwargs)


def test_members_get_one_reminder_within_the_lead_however_often_cron_runs(mailoutbox):
    learner = UserFactory()
    soon = class_starting_in(30, participants=[learner], title="Soon")
    class_starting_in(90)  # beyond the 60 minutes' lead: not yet

    first = run("send_notifications")
    run("send_notifications")

    assert sorted(m.to[0] for m in mailoutbox) == sorted([soon.booked_by.email, learner.email])
    assert mailoutbox[0].subject == "Starting soon: Soon"
    assert "starts soon" in mailoutbox[0].body
    assert "BEGIN:VCALENDAR" in mailoutbox[0].attachments[0][1]
    assert first.out == "Wrote 2 reminders; sent 2 messages.\n"


def test_the_lead_is_a_setting(settings, mailoutbox):
    settings.REMINDER_LEAD = timedelta(minutes=120)
    class_starting_in(90)

    run("send_notifications")

    assert len(mailoutbox) == 1


def test_a_class_moved_after_its_reminder_gets_a_new_one_for_the_new_time(mailoutbox):
    virtual_class = class_starting_in(30)
    run("send_notifications")
    new_start = virtual_class.starts_at + timedelta(minutes=20)
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        starts_at=new_start, ends_at=new_start + timedelta(hours=1)
    )

    run("send_notifications")
    run("send_notifications")

    assert len(mailoutbox) == 2
    assert list(
        Message.objects.filter(kind=Kind.REMINDER)
        .order_by("created_at")
        .values_list("reminder_for", flat=True)
    ) == [virtual_class.starts_at, new_start]


def test_cancelled_pending_and_started_classes_get_no_reminder(mailoutbox):
    cancelled = class_starting_in(30)
    services.cancel_class(virtual_class=cancelled, by=cancelled.booked_by)
    Message.objects.all().delete()
    class_starting_in(30, status=VirtualClass.Status.PENDING)
    class_starting_in(-5)

    run("send_notifications")

    assert mailoutbox == []


def test_it_sends_messages_that_failed_once_they_are_due_again(settings, mailoutbox):
    virtual_class, learner = VirtualClassFactory(), UserFactory()
    history.record(action=Action.CLASS_JOINED, virtual_class=virtual_class, learner=learner)
    settings.EMAIL_BACKEND = "tests.notifications.failing.Backend"

    failing = run("send_notifications")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    waiting = run("send_notifications")
    Message.objects.update(next_attempt_at=timezone.now())
    sent = run("send_notifications")

    assert failing.out == "Wrote 0 reminders; sent 0 messages; 1 failed and waits to be retried.\n"
    assert waiting.out == "Wrote 0 reminders; sent 0 messages.\n"
    assert sent.out == "Wrote 0 reminders; sent 1 message.\n"
    assert [m.to for m in mailoutbox] == [[learner.email]]


def test_a_dry_run_writes_and_sends_nothing(mailoutbox):
    class_starting_in(30)
    history.record(
        action=Action.CLASS_JOINED, virtual_class=VirtualClassFactory(), learner=UserFactory()
    )

    output = run("send_notifications", "--dry-run")

    assert output.out == "1 message is due; reminders are not written.\n"
    assert mailoutbox == []
    assert not Message.objects.filter(kind=Kind.REMINDER).exists()


def test_the_database_refuses_a_second_reminder_for_the_same_start():
    from django.db import IntegrityError, transaction

    virtual_class = class_starting_in(30)
    run("send_notifications")
    message = Message.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            recipient=message.recipient, kind=Kind.REMINDER, virtual_class=virtual_class,
            reminder_for=virtual_class.starts_at, next_attempt_at=timezone.now(),
        )  # fmt: skip


def test_demo_data_is_recorded_but_tells_nobody(mailoutbox, django_capture_on_commit_callbacks):
    from history.models import LogEntry

    with django_capture_on_commit_callbacks(execute=True):
        run("seed_demo", "--users", "6", "--classes", "6", "--tasks", "2")

    assert LogEntry.objects.exists()
    assert not Message.objects.exists()
    assert mailoutbox == []


def test_a_reminder_waiting_for_a_mail_server_is_withdrawn_if_the_class_is_cancelled(
    settings, mailoutbox
):
    virtual_class = class_starting_in(30)
    settings.EMAIL_BACKEND = "tests.notifications.failing.Backend"
    run("send_notifications")
    services.cancel_class(virtual_class=virtual_class, by=virtual_class.booked_by)
    Message.objects.update(next_attempt_at=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    run("send_notifications")

    assert [m.subject for m in mailoutbox] == [f"Class cancelled: {virtual_class.title}"]
    assert not Message.objects.filter(kind=Kind.REMINDER).exists()


def test_a_reminder_waiting_when_its_class_moves_gives_way_to_one_for_the_new_start(
    settings, mailoutbox
):
    virtual_class = class_starting_in(30)
    settings.EMAIL_BACKEND = "tests.notifications.failing.Backend"
    run("send_notifications")
    new_start = virtual_class.starts_at + timedelta(minutes=10)
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        starts_at=new_start, ends_at=new_start + timedelta(hours=1)
    )
    Message.objects.update(next_attempt_at=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    run("send_notifications")

    assert len(mailoutbox) == 1
    (reminder,) = Message.objects.all()
    assert reminder.reminder_for == new_start
    assert reminder.sent_at is not None
