"""One way of writing a moment per language, with its zone, on the pages and in the admin."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from classes.models import VirtualClass
from learning_platform.templatetags.dates import when
from tests.factories import StaffFactory, VirtualClassFactory, set_class_times

MOMENT = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)


def test_when_writes_the_moment_in_the_viewers_zone_with_the_zone():
    with timezone.override(ZoneInfo("Europe/Madrid")):
        html = when(MOMENT)

    assert html == '<time datetime="2026-12-03T18:30+01:00">Thu 3 Dec 2026, 18:30 CET</time>'


def test_when_can_write_the_time_of_day_alone_still_with_the_zone():
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        assert ">02:30 JST</time>" in when(MOMENT, "time")


def test_when_writes_nothing_for_no_moment():
    assert when(None) == ""


def test_spanish_has_its_own_format_with_the_zone():
    with translation.override("es"), timezone.override(ZoneInfo("Europe/Madrid")):
        html = when(MOMENT)

    assert ">jue 3 de dic de 2026, 18:30 CET</time>" in html


def test_the_filter_is_what_templates_load():
    template = Template("{% load dates %}{{ moment|when }}")

    with timezone.override(UTC):
        assert template.render(Context({"moment": MOMENT})).endswith(
            ">Thu 3 Dec 2026, 17:30 UTC</time>"
        )


@pytest.mark.django_db
def test_the_class_page_writes_start_and_end_in_the_one_format(client):
    virtual_class = VirtualClassFactory()
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        starts_at=MOMENT, ends_at=MOMENT.replace(hour=18, minute=30)
    )
    client.cookies["tz"] = "America/Mexico_City"

    response = client.get(reverse("classes:detail", args=[virtual_class.pk]))

    assert "Thu 3 Dec 2026, 11:30 CST" in response.text
    assert "Thu 3 Dec 2026, 12:30 CST" in response.text


@pytest.mark.django_db
def test_the_admin_writes_times_in_the_same_format_with_the_zone(client):
    virtual_class = VirtualClassFactory()
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        starts_at=MOMENT, ends_at=MOMENT.replace(hour=18, minute=30)
    )
    client.force_login(StaffFactory())
    client.cookies["tz"] = "Europe/Madrid"

    response = client.get(reverse("admin:classes_virtualclass_changelist"), {"starts": "all"})

    assert "Thu 3 Dec 2026, 18:30 CET" in response.text


@pytest.mark.django_db
def test_the_class_list_and_my_activities_write_the_start_in_the_one_format(client, learner):
    virtual_class = VirtualClassFactory(participants=[learner])
    later = MOMENT.replace(year=2030)
    set_class_times(
        VirtualClass.objects.filter(pk=virtual_class.pk),
        starts_at=later,
        ends_at=later.replace(hour=18, minute=30),
    )
    client.force_login(learner)
    client.cookies["tz"] = "Europe/Madrid"
    written = '<time datetime="2030-12-03T18:30+01:00">Tue 3 Dec 2030, 18:30 CET</time>'

    for page in (reverse("classes:list"), reverse("activities:dashboard")):
        assert written in client.get(page).text
