"""Over the wire: a real SMTP server (aiosmtpd) on a free loopback port, EMAIL_URL pointed at it.

The messages that arrive are parsed as a mail client would: headers, the plain and the HTML part,
the .ics attachment. Then the server stops: the rule still succeeds, the message waits, and it
goes out once, when the server is back.
"""

import socket
from email import message_from_bytes, policy

import environ
import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from classes import services
from notifications.models import Message
from tests.commands import run
from tests.factories import UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    @property
    def messages(self):
        return [message_from_bytes(e.content, policy=policy.default) for e in self.inbox.received]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    server = SmtpServer(_free_port())
    server.start()
    # The settings read EMAIL_URL through django-environ: the same parse, pointed at this server.
    for name, value in environ.Env.email_url_config(f"smtp://127.0.0.1:{server.port}").items():
        setattr(settings, name, value)
    settings.EMAIL_TIMEOUT = 5
    yield server
    if server.controller is not None and server.controller._thread is not None:
        server.stop()


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def run_rule(rule, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return rule(*args, **kwargs)

    return run_rule


def test_a_join_arrives_over_smtp_with_both_parts_and_the_ics(smtp_server, send):
    learner = UserFactory(email="ana@example.com")
    virtual_class = VirtualClassFactory(title="Verbs")

    send(services.join_class, user=learner, virtual_class=virtual_class)

    (envelope,) = smtp_server.inbox.received
    assert envelope.mail_from == "school@example.com"
    assert envelope.rcpt_tos == ["ana@example.com"]
    (mail,) = smtp_server.messages
    assert mail["Subject"] == "You joined Verbs"
    assert mail["To"] == "ana@example.com"
    assert mail["X-Message-Id"] == Message.objects.get().pk
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "You joined “Verbs”." in text
    assert "<p>You joined “Verbs”.</p>" in html
    (ics,) = list(mail.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_filename() == "class.ics"
    assert f"UID:{virtual_class.pk}@classes.hablamos" in ics.get_content()
    assert Message.objects.get().sent_at is not None


def test_while_the_server_is_down_messages_wait_and_go_out_once_when_it_is_back(smtp_server, send):
    learner = UserFactory()
    virtual_class = VirtualClassFactory()
    smtp_server.stop()

    joined = send(services.join_class, user=learner, virtual_class=virtual_class)
    run("send_notifications")

    assert joined.participants.filter(pk=learner.pk).exists()
    message = Message.objects.get()
    assert message.sent_at is None
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error

    smtp_server.start()
    Message.objects.update(next_attempt_at=timezone.now())  # the back-off has passed
    run("send_notifications")
    run("send_notifications")

    assert [m["To"] for m in smtp_server.messages] == [learner.email]
    message.refresh_from_db()
    assert (message.attempts, message.last_error) == (2, "")
    assert message.sent_at is not None
