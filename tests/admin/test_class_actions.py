"""The class list's actions: each goes through the services, reports, and is safe to repeat."""

import pytest
from django.urls import reverse

from activities.models import UserActivity
from activities.services import assign_task
from classes import services
from classes.models import VirtualClass
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:classes_virtualclass_changelist")


def run_action(client, action, classes, **extra):
    data = {"action": action, "_selected_action": [c.pk for c in classes], **extra}
    return client.post(CHANGELIST, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def statuses(classes) -> list[str]:
    return [VirtualClass.objects.get(pk=c.pk).status for c in classes]


@pytest.fixture
def mixed_classes(staff):
    scheduled = VirtualClassFactory(title="Scheduled")
    pending = VirtualClassFactory(title="Pending", status=VirtualClass.Status.PENDING)
    cancelled = VirtualClassFactory(title="Cancelled")
    services.cancel_class(virtual_class=cancelled, by=staff)
    completed = VirtualClassFactory(title="Completed")
    services.complete_classes(classes=VirtualClass.objects.filter(pk=completed.pk))
    return [scheduled, pending, cancelled, completed]


def test_cancelling_cancels_the_open_classes_and_says_why_others_were_skipped(
    staff_client, mixed_classes
):
    response = run_action(staff_client, "cancel_classes", mixed_classes)

    assert statuses(mixed_classes) == ["cancelled"] * 3 + ["completed"]
    assert messages_of(response) == [
        "Cancelled 2 classes.",
        "Skipped 1 class: This class is already cancelled.",
        "Skipped 1 class: This class is already completed.",
    ]


def test_cancelling_twice_changes_nothing_more(staff_client, mixed_classes):
    run_action(staff_client, "cancel_classes", mixed_classes)

    response = run_action(staff_client, "cancel_classes", mixed_classes)

    assert statuses(mixed_classes) == ["cancelled"] * 3 + ["completed"]
    assert messages_of(response)[0] == "Cancelled 0 classes."


def test_cancelling_keeps_the_activities(staff_client, learner):
    virtual_class = VirtualClassFactory(participants=[learner])

    run_action(staff_client, "cancel_classes", [virtual_class])

    assert UserActivity.objects.filter(virtual_class=virtual_class).count() == 2


def test_cancelling_marks_the_activities_cancelled(staff_client, learner):
    virtual_class = VirtualClassFactory(participants=[learner])

    run_action(staff_client, "cancel_classes", [virtual_class])

    marked = UserActivity.objects.filter(virtual_class=virtual_class, class_cancelled=True)
    assert marked.count() == 2


def test_marking_completed_completes_the_open_classes_and_says_why_others_were_skipped(
    staff_client, mixed_classes
):
    response = run_action(staff_client, "mark_completed", mixed_classes)

    assert statuses(mixed_classes) == ["completed", "completed", "cancelled", "completed"]
    assert messages_of(response) == [
        "Marked 2 classes completed.",
        "Skipped 1 class: This class is already cancelled.",
        "Skipped 1 class: This class is already completed.",
    ]


def test_marking_completed_twice_changes_nothing_more(staff_client, mixed_classes):
    run_action(staff_client, "mark_completed", mixed_classes)

    response = run_action(staff_client, "mark_completed", mixed_classes)

    assert statuses(mixed_classes) == ["completed", "completed", "cancelled", "completed"]
    assert messages_of(response) == [
        "Marked 0 classes completed.",
        "Skipped 1 class: This class is already cancelled.",
        "Skipped 3 classes: This class is already completed.",
    ]


def test_attaching_a_task_first_asks_which_task(staff_client, virtual_class):
    response = run_action(staff_client, "attach_task", [virtual_class])

    assert response.templates[0].name == "admin/classes/virtualclass/attach_task.html"
    assert "Spanish small talk" in response.text
    virtual_class.refresh_from_db()
    assert virtual_class.task is None


def test_attaching_without_choosing_a_task_asks_again_and_changes_nothing(
    staff_client, virtual_class
):
    response = run_action(staff_client, "attach_task", [virtual_class], apply="1", task="")

    assert response.context["form"].errors == {"task": ["This field is required."]}
    virtual_class.refresh_from_db()
    assert virtual_class.task is None


@pytest.fixture
def attach_setup(staff):
    """Two open classes; a learner in one already holds the task; one class has another task;
    one is cancelled."""
    task = TaskFactory(title="Ser or estar")
    holder = UserFactory(username="holder")
    earlier = VirtualClassFactory(title="Earlier", participants=[holder])
    assign_task(virtual_class=earlier, task=task)
    open_one = VirtualClassFactory(title="Open one", participants=[UserFactory()])
    open_two = VirtualClassFactory(title="Open two", participants=[holder])
    other_task = VirtualClassFactory(title="Other task")
    assign_task(virtual_class=other_task, task=TaskFactory(title="Another task"))
    cancelled = VirtualClassFactory(title="Cancelled")
    services.cancel_class(virtual_class=cancelled, by=staff)
    return task, [open_one, open_two, other_task, cancelled]


def test_attaching_a_task_goes_through_assign_task_and_reports(staff_client, attach_setup):
    task, classes = attach_setup
    open_one, open_two, other_task, cancelled = classes

    response = run_action(staff_client, "attach_task", classes, apply="1", task=task.pk)

    tasks = [VirtualClass.objects.get(pk=c.pk).task for c in classes]
    assert tasks == [task, task, other_task.task, None]
    # Host and participant in open_one; only the host in open_two (holder keeps the earlier one).
    assert UserActivity.objects.filter(virtual_class=open_one, task=task).count() == 2
    assert UserActivity.objects.filter(virtual_class=open_two, task=task).count() == 1
    assert not UserActivity.objects.filter(virtual_class=cancelled, task__isnull=False).exists()
    assert messages_of(response) == [
        "Attached “Ser or estar” to 2 classes; 3 activities got the task.",
        "Skipped 1 class: This class already has the task “Another task”.",
        "Skipped 1 class: This class has been cancelled; no task can be attached to it.",
        "1 learner already holds this task through another class and keeps that activity "
        "(one activity per learner per task): holder.",
    ]


def test_attaching_a_task_twice_changes_nothing_more(staff_client, attach_setup):
    task, classes = attach_setup
    run_action(staff_client, "attach_task", classes, apply="1", task=task.pk)
    before = list(UserActivity.objects.order_by("pk").values_list("pk", "task_id", "updated_at"))

    response = run_action(staff_client, "attach_task", classes, apply="1", task=task.pk)

    assert messages_of(response)[0] == (
        "Attached “Ser or estar” to 0 classes (2 already had it); 0 activities got the task."
    )
    after = list(UserActivity.objects.order_by("pk").values_list("pk", "task_id", "updated_at"))
    assert after == before
