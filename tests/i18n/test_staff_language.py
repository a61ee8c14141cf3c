"""What staff read speaks Spanish too: the commands' summaries and errors in the site's language
(LANGUAGE_CODE, whatever language is active), the admin's messages in the page's language."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from activities.models import UserActivity
from activities.services import assign_task
from classes.models import VirtualClass
from tests.commands import run, run_failing
from tests.factories import StaffFactory, TaskFactory, VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db


def ended_class() -> VirtualClass:
    virtual_class = VirtualClassFactory()
    now = timezone.now()
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=2)
    )
    return virtual_class


@override_settings(LANGUAGE_CODE="es")
def test_a_command_summary_speaks_the_site_language_with_its_plurals():
    ended_class()

    output = run("close_past_classes").out

    assert output.startswith("Se cerró 1 clase que terminó hasta ")
    assert "Se cancelaron 0 clases pendientes que empezaban hasta " in output


@override_settings(LANGUAGE_CODE="es")
def test_a_command_refusal_speaks_the_site_language():
    _, error = run_failing("assign_task", "--class", "nope", "--task", "nope")

    assert error == "--class 'nope' no es un id (24 caracteres hexadecimales)."


@override_settings(LANGUAGE_CODE="es")
def test_a_command_help_speaks_the_site_language():
    from notifications.management.commands.send_notifications import Command

    parser = Command().create_parser("manage.py", "send_notifications")

    assert parser.description.startswith("Retira los recordatorios sin enviar")
    assert "sin escribir ni enviar ninguno" in parser.format_help()


def test_a_command_speaks_english_when_the_site_does():
    assert settings.LANGUAGE_CODE == "en"

    assert run("send_notifications", "--dry-run").out == (
        "0 messages are due; reminders are not written.\n"
    )


def test_the_command_line_speaks_the_site_language(tmp_path):
    """manage.py itself: the error of a bad argument and the summary, with LANGUAGE_CODE=es."""
    env = {"DEBUG": "true", "LANGUAGE_CODE": "es", "DATABASE_URL": f"sqlite:///{tmp_path}/x"}
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--users", "1"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=settings.BASE_DIR,
        check=False,
    )

    assert result.returncode != 0
    assert "tiene que ser de 2 a 100,000, llegó 1" in result.stderr


def test_an_admin_action_message_speaks_the_page_language(client, learner):
    client.force_login(StaffFactory())
    with_task = VirtualClassFactory(participants=[learner])
    assign_task(virtual_class=with_task, task=TaskFactory())
    start_class(with_task)
    activities = [
        UserActivity.objects.get(virtual_class=with_task, user=learner),
        UserActivity.objects.get(virtual_class=VirtualClassFactory()),
    ]

    response = client.post(
        reverse("admin:activities_useractivity_changelist"),
        {"action": "mark_completed", "_selected_action": [a.pk for a in activities]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Se marcó 1 actividad como completada.",
        "Se salteó 1 actividad: Todavía no tiene una tarea.",
    ]
