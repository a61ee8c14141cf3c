"""Every message: who gets it, its subject and both bodies, its link and .ics, and never twice.

Django's locmem backend collects what is sent (pytest-django's `mailoutbox`).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

import history
from activities.services import assign_task
from classes import services
from history.models import Action
from notifications import outbox
from notifications.models import Kind, Message
from tests.factories import StaffFactory, TaskFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a rule and let its after-commit delivery happen, as it does outside a test."""

    def run(rule, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return rule(*args, **kwargs)

    return run


def ics_of(mail) -> str:
    (attachment,) = [a for a in mail.attachments if a[0] == "class.ics"]
    assert attachment[2] == "text/calendar"
    return attachment[1].decode() if isinstance(attachment[1], bytes) else attachment[1]


def html_of(mail) -> str:
    (html,) = [content for content, mime in mail.alternatives if mime == "text/html"]
    return html


def test_a_booking_tells_its_host_with_the_class_link_and_the_ics(send, mailoutbox, host):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=2)
    virtual_class = send(
        services.book_class, host=host, title="Verbs in context", class_type="grupal",
        starts_at=starts, ends_at=starts + timedelta(hours=1), max_participants=4,
        meeting_url="https://meet.example.com/verbs",
    )  # fmt: skip

    (mail,) = mailoutbox
    assert mail.to == [host.email]
    assert mail.from_email == "school@example.com"
    assert mail.subject == "Booking made: Verbs in context"
    link = f"https://school.example.com/classes/{virtual_class.pk}/"
    assert "is booked. You are its host." in mail.body
    assert link in mail.body and link in html_of(mail)
    assert "https://meet.example.com/verbs" in mail.body
    ics = ics_of(mail)
    assert f"UID:{virtual_class.pk}@classes.hablamos" in ics
    assert f"DTSTART:{starts.strftime('%Y%m%dT%H%M%SZ')}" in ics
    assert Message.objects.get().sent_at is not None


def test_a_pending_booking_says_staff_will_confirm(send, mailoutbox, host):
    starts = timezone.now() + timedelta(days=2)
    send(
        services.book_class, host=host, title="Verbs", class_type="individual",
        starts_at=starts, ends_at=starts + timedelta(hours=1), status="pending",
    )  # fmt: skip

    assert "Staff will confirm it" in mailoutbox[0].body


def test_joining_tells_the_learner_who_joined_only(send, mailoutbox, virtual_class, learner):
    send(services.join_class, user=learner, virtual_class=virtual_class)

    (mail,) = mailoutbox
    assert (mail.to, mail.subject) == ([learner.email], "You joined Spanish small talk")
    assert "You joined “Spanish small talk”." in mail.body
    assert ics_of(mail)


def test_a_refused_join_writes_no_message(send, mailoutbox, virtual_class, learner):
    send(services.join_class, user=learner, virtual_class=virtual_class)
    with pytest.raises(services.ClassError):
        send(services.join_class, user=learner, virtual_class=virtual_class)

    assert len(mailoutbox) == 1
    assert Message.objects.count() == 1


def test_leaving_tells_nobody(send, mailoutbox, virtual_class, learner):
    services.join_class(user=learner, virtual_class=virtual_class)

    send(services.leave_class, user=learner, virtual_class=virtual_class)

    assert mailoutbox == []


def test_cancelling_tells_every_member_and_the_waiting_learners(send, mailoutbox):
    ana, ben, waiting = UserFactory.create_batch(3)
    virtual_class = VirtualClassFactory(participants=[ana, ben], title="Idioms")
    services.cancel_class(virtual_class=virtual_class, by=virtual_class.booked_by)
    Message.objects.all().delete()
    # What the cancel rule writes once the waiting list exists: the learners it held.
    send(
        history.record, action=Action.CLASS_CANCELLED, actor=StaffFactory(),
        virtual_class=virtual_class, waiting_learner_ids=[waiting.pk], reason="Teacher ill",
    )  # fmt: skip

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in (virtual_class.booked_by, ana, ben, waiting)
    )
    mail = mailoutbox[0]
    assert mail.subject == "Class cancelled: Idioms"
    assert "has been cancelled." in mail.body and "Reason: Teacher ill" in mail.body
    assert "STATUS:CANCELLED" in ics_of(mail)


def test_cancelling_through_the_rule_tells_host_and_participants(send, mailoutbox, learner):
    virtual_class = VirtualClassFactory(participants=[learner])

    send(services.cancel_class, virtual_class=virtual_class, by=virtual_class.booked_by)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [virtual_class.booked_by.email, learner.email]
    )


def test_a_task_tells_the_members_who_got_it_not_those_who_hold_it_elsewhere(send, mailoutbox):
    task = TaskFactory(title="Ser and estar")
    holder, newcomer = UserFactory.create_batch(2)
    assign_task(virtual_class=VirtualClassFactory(participants=[holder]), task=task)
    virtual_class = VirtualClassFactory(participants=[holder, newcomer], title="Grammar")
    Message.objects.all().delete()

    send(assign_task, virtual_class=virtual_class, task=task)
    send(assign_task, virtual_class=virtual_class, task=task)  # repeated: nobody new

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [virtual_class.booked_by.email, newcomer.email]
    )
    assert mailoutbox[0].subject == "New task for Grammar"
    assert "Ser and estar" in mailoutbox[0].body
    assert mailoutbox[0].attachments == []


def test_a_moved_class_tells_every_member_the_old_and_the_new_time(send, mailoutbox, learner):
    old = timezone.now().replace(microsecond=0) + timedelta(days=1)
    virtual_class = VirtualClassFactory(
        participants=[learner], title="Travel", starts_at=old, ends_at=old + timedelta(hours=1)
    )
    virtual_class.starts_at = old + timedelta(days=1)
    virtual_class.ends_at = old + timedelta(days=1, hours=1)
    virtual_class.save()

    send(
        history.record, action=Action.CLASS_MOVED, actor=virtual_class.booked_by,
        virtual_class=virtual_class, old_starts_at=old, old_ends_at=old + timedelta(hours=1),
    )  # fmt: skip

    assert len(mailoutbox) == 2
    mail = mailoutbox[0]
    assert mail.subject == "Class moved: Travel"
    was = timezone.localtime(old).strftime("%H:%M")
    assert f"Was: {timezone.localtime(old):%A} " in mail.body and was in mail.body
    assert f"Now: {timezone.localtime(virtual_class.starts_at):%A}" in mail.body
    assert "<s>" in html_of(mail)
    assert f"DTSTART:{virtual_class.starts_at.strftime('%Y%m%dT%H%M%SZ')}" in ics_of(mail)


@pytest.mark.parametrize(
    ("action", "details", "kind", "subject", "says", "with_ics"),
    [
        (Action.CLASS_CONFIRMED, {}, Kind.BOOKING_CONFIRMED, "Booking confirmed: Idioms",
         "is confirmed", True),
        (Action.CLASS_DECLINED, {"reason": "No teacher that day"}, Kind.BOOKING_DECLINED,
         "Booking declined: Idioms", "Reason: No teacher that day", False),
        (Action.WAITLIST_PROMOTED, {}, Kind.PROMOTED, "A seat is yours: Idioms",
         "it is yours", True),
        (Action.WAITLIST_JOINED, {}, Kind.WAITLIST_JOINED,
         "You are on the waiting list for Idioms", "you are on its waiting list", False),
        (Action.WAITLIST_LEFT, {}, Kind.WAITLIST_LEFT, "You left the waiting list for Idioms",
         "You left the waiting list", False),
        (Action.PARTICIPANT_ADDED, {}, Kind.JOINED, "You joined Idioms", "You joined", True),
    ],
)  # fmt: skip
def test_each_class_life_event_tells_its_learner(
    send, mailoutbox, action, details, kind, subject, says, with_ics
):
    virtual_class = VirtualClassFactory(title="Idioms")
    learner = UserFactory()
    # Host events (confirm, decline) go to the host; the others to the learner named.
    to_host = action in (Action.CLASS_CONFIRMED, Action.CLASS_DECLINED)

    send(
        history.record, action=action, actor=StaffFactory(), virtual_class=virtual_class,
        learner=None if to_host else learner, **details,
    )  # fmt: skip

    (mail,) = mailoutbox
    assert mail.to == [(virtual_class.booked_by if to_host else learner).email]
    assert Message.objects.get().kind == kind
    assert mail.subject == subject
    assert says in mail.body and says in html_of(mail)
    assert bool([a for a in mail.attachments if a[0] == "class.ics"]) is with_ics


@pytest.mark.parametrize(
    "action",
    [Action.CLASS_LEFT, Action.CLASS_EDITED, Action.SEATS_CHANGED, Action.CLASS_COMPLETED,
     Action.TASK_COMPLETED, Action.PARTICIPANT_REMOVED, Action.INTEGRITY_REPAIRED],
)  # fmt: skip
def test_actions_nobody_needs_to_hear_of_write_no_message(virtual_class, learner, action):
    history.record(action=action, virtual_class=virtual_class, learner=learner)

    assert not Message.objects.exists()


def test_times_are_written_in_the_recipients_time_zone(virtual_class, learner):
    starts = virtual_class.starts_at
    history.record(action=Action.CLASS_JOINED, virtual_class=virtual_class, learner=learner)
    message = Message.objects.select_related("recipient", "virtual_class").get()
    message.recipient.time_zone = "Asia/Tokyo"

    mail = outbox.build_email(message)

    tokyo = starts.astimezone(outbox.recipient_zone(message.recipient))
    assert f"{tokyo:%H:%M}" in mail.body
    assert "(Asia/Tokyo)" in mail.body


def test_a_message_is_sent_once_however_often_the_sender_runs(send, mailoutbox, virtual_class):
    send(services.join_class, user=UserFactory(), virtual_class=virtual_class)

    outbox.send_messages(Message.objects.all())
    outbox.send_messages(outbox.due())

    assert len(mailoutbox) == 1
    assert Message.objects.get().attempts == 1


def test_a_failed_send_keeps_the_message_with_its_error_and_a_later_attempt(
    send, mailoutbox, settings, virtual_class, learner
):
    settings.EMAIL_BACKEND = "tests.notifications.failing.Backend"

    joined = send(services.join_class, user=learner, virtual_class=virtual_class)

    assert joined.participants.filter(pk=learner.pk).exists()  # the rule stands
    message = Message.objects.get()
    assert (message.sent_at, message.attempts) == (None, 1)
    assert message.last_error == "ConnectionRefusedError: the mail server is down"
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert not outbox.due().exists()  # backing off

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Message.objects.update(next_attempt_at=timezone.now())
    outbox.send_messages(outbox.due())

    assert [m.to for m in mailoutbox] == [[learner.email]]
    message.refresh_from_db()
    assert (message.attempts, message.last_error) == (2, "")
    assert message.sent_at is not None


def test_back_off_grows_with_each_failure_and_stops_growing(settings, virtual_class, learner):
    settings.EMAIL_BACKEND = "tests.notifications.failing.Backend"
    history.record(action=Action.CLASS_JOINED, virtual_class=virtual_class, learner=learner)
    waits = []
    for _ in range(len(outbox.BACKOFF) + 2):
        Message.objects.update(next_attempt_at=timezone.now())
        before = timezone.now()
        outbox.send_messages(outbox.due())
        waits.append(round((Message.objects.get().next_attempt_at - before).total_seconds() / 60))

    assert waits == [1, 5, 15, 60, 180, 360, 360, 360]


def test_a_learner_without_an_address_is_a_failure_to_see_not_a_crash(send, virtual_class):
    learner = UserFactory(email="")

    send(services.join_class, user=learner, virtual_class=virtual_class)

    assert Message.objects.get().last_error == f"ValueError: {learner} has no e-mail address"
