"""The log: one entry per action from every entry point (pages, admin, commands, the services
from a shell), none for a refused action, and no way to change or delete an entry."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

import history
from activities.services import ActivityError, assign_task, complete_task
from classes import services
from classes.models import VirtualClass
from history.models import Action, AppendOnlyError, LogEntry
from tests.commands import run
from tests.factories import StaffFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


def entries(**filters) -> list[tuple]:
    return list(
        LogEntry.objects.filter(**filters)
        .order_by("created_at", "id")
        .values_list("action", "actor_kind", "actor_id", "learner_id")
    )


# The services, as a shell or a command calls them


def test_booking_records_one_entry_by_the_host(host):
    starts = timezone.now() + timedelta(days=2)
    virtual_class = services.book_class(
        host=host, title="Verbs", class_type="grupal", starts_at=starts,
        ends_at=starts + timedelta(hours=1), max_participants=3,
    )  # fmt: skip

    assert entries(virtual_class=virtual_class) == [
        (Action.CLASS_BOOKED, "learner", host.pk, host.pk)
    ]
    assert LogEntry.objects.get().details == {"status": "scheduled"}


def test_joining_and_leaving_record_one_entry_each(virtual_class, learner):
    services.join_class(user=learner, virtual_class=virtual_class)
    services.leave_class(user=learner, virtual_class=virtual_class)

    assert entries(virtual_class=virtual_class) == [
        (Action.CLASS_JOINED, "learner", learner.pk, learner.pk),
        (Action.CLASS_LEFT, "learner", learner.pk, learner.pk),
    ]


def test_a_refused_join_records_nothing(virtual_class, host):
    with pytest.raises(services.ClassError):
        services.join_class(user=host, virtual_class=virtual_class)

    assert not LogEntry.objects.exists()


def test_cancelling_records_who_cancelled(virtual_class):
    staff = StaffFactory()
    services.cancel_class(virtual_class=virtual_class, by=staff)
    with pytest.raises(services.ClassError):
        services.cancel_class(virtual_class=virtual_class, by=staff)

    assert entries(virtual_class=virtual_class) == [
        (Action.CLASS_CANCELLED, "staff", staff.pk, None)
    ]


def test_attaching_a_task_names_the_learners_who_got_it_once(virtual_class, task, learner):
    services.join_class(user=learner, virtual_class=virtual_class)

    assign_task(virtual_class=virtual_class, task=task)
    assign_task(virtual_class=virtual_class, task=task)  # repeated: nothing new

    entry = LogEntry.objects.get(action=Action.TASK_ATTACHED)
    assert (entry.action, entry.actor_kind, entry.task) == (Action.TASK_ATTACHED, "system", task)
    assert sorted(entry.details["learner_ids"]) == sorted([virtual_class.booked_by_id, learner.pk])


def test_a_refused_task_records_nothing(virtual_class, task):
    services.cancel_class(virtual_class=virtual_class, by=virtual_class.booked_by)

    with pytest.raises(ActivityError):
        assign_task(virtual_class=virtual_class, task=task)

    assert entries(action=Action.TASK_ATTACHED) == []


def test_completing_a_task_records_it_once(task, learner):
    virtual_class = VirtualClassFactory(participants=[learner])
    assign_task(virtual_class=virtual_class, task=task)
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )

    complete_task(user=learner, task=task)
    complete_task(user=learner, task=task)

    assert entries(action=Action.TASK_COMPLETED) == [
        (Action.TASK_COMPLETED, "learner", learner.pk, learner.pk)
    ]
    assert LogEntry.objects.get(action=Action.TASK_COMPLETED).virtual_class_id == virtual_class.pk


# Commands: the system acts


def test_closing_past_classes_records_one_entry_per_class_by_the_system():
    past = timezone.now() - timedelta(hours=3)
    ended = [VirtualClassFactory() for _ in range(2)]
    VirtualClass.objects.filter(pk__in=[c.pk for c in ended]).update(
        starts_at=past, ends_at=past + timedelta(hours=1)
    )
    VirtualClassFactory()  # still to come

    run("close_past_classes")
    run("close_past_classes")

    assert sorted(LogEntry.objects.values_list("virtual_class_id", "action", "actor_kind")) == (
        sorted((c.pk, Action.CLASS_COMPLETED, "system") for c in ended)
    )


def test_a_repair_records_what_it_changed(learner):
    from learning_platform.models import User

    User.objects.filter(pk=learner.pk).update(total_classes=5)

    run("repair_integrity")

    entry = LogEntry.objects.get()
    assert (entry.action, entry.actor_kind, entry.learner_id) == (
        Action.INTEGRITY_REPAIRED,
        "system",
        learner.pk,
    )
    assert entry.details["breach"] == "total_classes"


# Pages


def test_the_pages_record_booking_joining_leaving_and_cancelling(client, learner):
    starts = timezone.localtime() + timedelta(days=3)
    client.force_login(learner)
    client.post(
        reverse("classes:book"),
        {
            "title": "Idioms",
            "class_type": "grupal",
            "max_participants": "3",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    booked = VirtualClass.objects.get(title="Idioms")
    other = UserFactory()
    client.force_login(other)
    client.post(reverse("classes:join", args=[booked.pk]))
    client.post(reverse("classes:join", args=[booked.pk]))  # refused: already joined
    client.post(reverse("classes:leave", args=[booked.pk]))
    client.force_login(learner)
    client.post(reverse("classes:cancel", args=[booked.pk]))

    assert [e[:3] for e in entries(virtual_class=booked)] == [
        (Action.CLASS_BOOKED, "learner", learner.pk),
        (Action.CLASS_JOINED, "learner", other.pk),
        (Action.CLASS_LEFT, "learner", other.pk),
        (Action.CLASS_CANCELLED, "learner", learner.pk),
    ]


# The admin


@pytest.fixture
def staff_client(client):
    staff = StaffFactory(username="staffer")
    client.force_login(staff)
    client.staff = staff
    return client


def test_staff_edits_in_the_admin_are_recorded_by_kind(staff_client, virtual_class, learner):
    url = reverse("admin:classes_virtualclass_change", args=[virtual_class.pk])
    old_start = virtual_class.starts_at
    form = staff_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "participants"}
    new_start = timezone.localtime(old_start + timedelta(days=1))
    data |= {
        "title": "Renamed",
        "starts_at_0": new_start.strftime("%Y-%m-%d"),
        "starts_at_1": new_start.strftime("%H:%M:%S"),
        "ends_at_0": (new_start + timedelta(hours=1)).strftime("%Y-%m-%d"),
        "ends_at_1": (new_start + timedelta(hours=1)).strftime("%H:%M:%S"),
        "max_participants": "6",
        "participants": [learner.pk],
        "participants_on_page": "",
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "1",
        "log_entries-TOTAL_FORMS": "0",
        "log_entries-INITIAL_FORMS": "0",
        "waitlist_entries-TOTAL_FORMS": "0",
        "waitlist_entries-INITIAL_FORMS": "0",
    }
    data.pop("starts_at", None)
    data.pop("ends_at", None)

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    staff = staff_client.staff
    assert sorted(e[:4] for e in entries(virtual_class=virtual_class)) == sorted(
        [
            (Action.CLASS_MOVED, "staff", staff.pk, None),
            (Action.SEATS_CHANGED, "staff", staff.pk, None),
            (Action.CLASS_EDITED, "staff", staff.pk, None),
            (Action.PARTICIPANT_ADDED, "staff", staff.pk, learner.pk),
        ]
    )
    moved = LogEntry.objects.get(action=Action.CLASS_MOVED)
    assert moved.details["old_starts_at"].startswith(old_start.strftime("%Y-%m-%dT%H:%M"))
    assert LogEntry.objects.get(action=Action.CLASS_EDITED).details == {"fields": ["title"]}


def test_admin_actions_record_the_staff_member(staff_client, virtual_class, task):
    changelist = reverse("admin:classes_virtualclass_changelist")
    staff_client.post(
        changelist,
        {"action": "attach_task", "_selected_action": [virtual_class.pk], "apply": "1",
         "task": task.pk},
    )  # fmt: skip
    staff_client.post(
        changelist, {"action": "cancel_classes", "_selected_action": [virtual_class.pk]}
    )

    staff = staff_client.staff
    assert [e[:3] for e in entries(virtual_class=virtual_class)] == [
        (Action.TASK_ATTACHED, "staff", staff.pk),
        (Action.CLASS_CANCELLED, "staff", staff.pk),
    ]


def test_the_class_page_in_the_admin_shows_its_history(staff_client, virtual_class, learner):
    services.join_class(user=learner, virtual_class=virtual_class)

    response = staff_client.get(
        reverse("admin:classes_virtualclass_change", args=[virtual_class.pk])
    )

    page = response.content.decode()
    assert "History" in page
    assert "Joined a class" in page


def test_the_log_list_filters_by_action_class_and_learner(staff_client, learner):
    first, second = VirtualClassFactory(), VirtualClassFactory()
    services.join_class(user=learner, virtual_class=first)
    services.join_class(user=learner, virtual_class=second)
    services.cancel_class(virtual_class=second, by=second.booked_by)
    url = reverse("admin:history_logentry_changelist")

    by_action = staff_client.get(url, {"action__exact": Action.CLASS_CANCELLED})
    by_class = staff_client.get(url, {"class": first.pk})
    by_learner = staff_client.get(url, {"learner": learner.pk})

    assert [e.virtual_class for e in by_action.context["cl"].result_list] == [second]
    assert [e.action for e in by_class.context["cl"].result_list] == [Action.CLASS_JOINED]
    assert len(by_learner.context["cl"].result_list) == 2


def test_nobody_can_add_change_or_delete_an_entry_in_the_admin(staff_client, virtual_class):
    entry = history.record(action=Action.CLASS_EDITED, virtual_class=virtual_class)
    change = reverse("admin:history_logentry_change", args=[entry.pk])

    assert staff_client.get(reverse("admin:history_logentry_add")).status_code == 403
    assert (
        staff_client.post(
            reverse("admin:history_logentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    staff_client.post(change, {"action": Action.CLASS_CANCELLED, "details": "{}"})
    changelist = staff_client.get(reverse("admin:history_logentry_changelist"))

    assert LogEntry.objects.get(pk=entry.pk).action == Action.CLASS_EDITED
    assert "delete_selected" not in changelist.content.decode()


# The model


def test_an_entry_refuses_to_be_saved_again_or_deleted(virtual_class):
    entry = history.record(action=Action.CLASS_EDITED, virtual_class=virtual_class)
    entry.details = {"changed": "behind the log's back"}

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.filter(pk=entry.pk).update(details={})
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.get(pk=entry.pk).details == {}


def test_an_unknown_action_is_refused(virtual_class):
    with pytest.raises(ValueError, match="Unknown action"):
        history.record(action="teleported", virtual_class=virtual_class)

    assert not LogEntry.objects.exists()


def test_a_class_with_history_cannot_be_deleted_quietly(virtual_class, learner):
    from django.db.models import ProtectedError

    services.join_class(user=learner, virtual_class=virtual_class)

    with pytest.raises(ProtectedError):
        VirtualClass.objects.filter(pk=virtual_class.pk).delete()


def test_the_log_list_links_each_class_and_learner_to_their_filter(
    staff_client, learner, django_assert_num_queries
):
    virtual_class = VirtualClassFactory()
    services.join_class(user=learner, virtual_class=virtual_class)
    url = reverse("admin:history_logentry_changelist")

    page = staff_client.get(url).content.decode()

    assert f'href="?class={virtual_class.pk}"' in page
    assert f'href="?learner={learner.pk}"' in page
    # session, user, the count, the page's entries with their people, class and task: the same
    # however many entries.
    for _ in range(5):
        services.join_class(user=UserFactory(), virtual_class=VirtualClassFactory())
    with django_assert_num_queries(4):
        staff_client.get(url)


def test_a_completion_marked_by_staff_records_the_staff_member_for_the_learner(
    staff_client, task, learner
):
    virtual_class = VirtualClassFactory(participants=[learner])
    assign_task(virtual_class=virtual_class, task=task)
    VirtualClass.objects.filter(pk=virtual_class.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )
    activity = virtual_class.activities.get(user=learner)

    staff_client.post(
        reverse("admin:activities_useractivity_changelist"),
        {"action": "mark_completed", "_selected_action": [activity.pk]},
    )

    assert entries(action=Action.TASK_COMPLETED) == [
        (Action.TASK_COMPLETED, "staff", staff_client.staff.pk, learner.pk)
    ]
