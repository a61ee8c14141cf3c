"""Participants edited on the class's admin page follow the join and leave rules."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import UserActivity
from activities.services import assign_task, complete_task
from classes import services
from classes.models import VirtualClass
from tests.admin.forms import form_data
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory, start_class

pytestmark = pytest.mark.django_db


def change_url(virtual_class):
    return reverse("admin:classes_virtualclass_change", args=[virtual_class.pk])


def page_data(client, url):
    return form_data(client.get(url).text, "virtualclass_form")


def save_participants(client, virtual_class, users, **changes):
    url = change_url(virtual_class)
    data = page_data(client, url)
    data["participants"] = [user.pk for user in users]
    data.update(changes)
    return client.post(url, data)


def snapshot(virtual_class):
    virtual_class.refresh_from_db()
    return (
        virtual_class.current_participants,
        virtual_class.max_participants,
        set(virtual_class.participants.values_list("pk", flat=True)),
        set(UserActivity.objects.filter(virtual_class=virtual_class).values_list("pk", flat=True)),
    )


def participant_errors(response):
    return response.context["adminform"].form.errors.get("participants", [])


def test_adding_a_participant_creates_their_activity_and_takes_a_seat(
    staff_client, virtual_class, learner
):
    response = save_participants(staff_client, virtual_class, [learner])

    assert response.status_code == 302
    virtual_class.refresh_from_db()
    assert virtual_class.current_participants == 2
    activity = UserActivity.objects.get(virtual_class=virtual_class, user=learner)
    assert activity.rol == UserActivity.Rol.PARTICIPANTE
    assert activity.completed is False


def test_a_participant_added_to_a_class_with_a_task_gets_the_task(
    staff_client, virtual_class, learner, task
):
    assign_task(virtual_class=virtual_class, task=task)

    save_participants(staff_client, virtual_class, [learner])

    assert UserActivity.objects.get(virtual_class=virtual_class, user=learner).task == task


def test_over_capacity_is_refused_with_a_form_error_and_nothing_changes(staff_client, host):
    first, second = UserFactory(), UserFactory()
    virtual_class = VirtualClassFactory(booked_by=host, max_participants=2, participants=[first])
    before = snapshot(virtual_class)

    response = save_participants(staff_client, virtual_class, [first, second])

    assert response.status_code == 200
    assert participant_errors(response) == [
        f"Cannot add {second}; they would be told: “This class is full.”"
    ]
    assert snapshot(virtual_class) == before


def test_adding_more_learners_than_free_seats_at_once_is_refused(staff_client, virtual_class):
    newcomers = UserFactory.create_batch(4)  # three seats are free
    before = snapshot(virtual_class)

    response = save_participants(staff_client, virtual_class, newcomers)

    last_in_line = max(newcomers, key=str)
    assert participant_errors(response) == [
        f"Cannot add {last_in_line}; they would be told: “This class is full.”"
    ]
    assert snapshot(virtual_class) == before


def test_the_host_cannot_be_added_as_a_participant(staff_client, virtual_class, host):
    before = snapshot(virtual_class)

    response = save_participants(staff_client, virtual_class, [host])

    assert participant_errors(response) == [
        f"Cannot add {host}; they would be told: “You are the host of this class.”"
    ]
    assert snapshot(virtual_class) == before


def test_nobody_joins_a_cancelled_class_through_the_admin(
    staff_client, virtual_class, learner, staff
):
    services.cancel_class(virtual_class=virtual_class, by=staff)
    before = snapshot(virtual_class)

    response = save_participants(staff_client, virtual_class, [learner])

    assert participant_errors(response) == [
        f"Cannot add {learner}; they would be told: “This class has been cancelled.”"
    ]
    assert snapshot(virtual_class) == before


def test_removing_a_participant_deletes_their_activity_and_frees_the_seat(
    staff_client, host, learner
):
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])

    response = save_participants(staff_client, virtual_class, [])

    assert response.status_code == 302
    virtual_class.refresh_from_db()
    assert virtual_class.current_participants == 1
    assert not virtual_class.participants.exists()
    assert not UserActivity.objects.filter(virtual_class=virtual_class, user=learner).exists()


def test_a_participant_who_completed_the_class_cannot_be_removed(staff_client, host, learner):
    virtual_class = VirtualClassFactory(booked_by=host, participants=[learner])
    task = TaskFactory()
    assign_task(virtual_class=virtual_class, task=task)
    start_class(virtual_class)
    complete_task(user=learner, task=task)
    before = snapshot(virtual_class)

    response = save_participants(staff_client, virtual_class, [])

    assert participant_errors(response) == [
        f"Cannot remove {learner}; they would be told: "
        "“You have completed this class; its record stays.”"
    ]
    assert snapshot(virtual_class) == before


def test_seats_cannot_go_below_the_seats_taken(staff_client, host):
    joined = UserFactory.create_batch(2)
    virtual_class = VirtualClassFactory(booked_by=host, max_participants=4, participants=joined)
    before = snapshot(virtual_class)

    response = save_participants(staff_client, virtual_class, joined, max_participants="2")

    assert response.context["adminform"].form.errors["max_participants"] == [
        "3 seats would be taken (the host included); remove participants or keep enough seats."
    ]
    assert snapshot(virtual_class) == before


def test_removing_a_participant_and_lowering_the_seats_in_one_save_works(staff_client, host):
    stays, leaves = UserFactory(), UserFactory()
    virtual_class = VirtualClassFactory(
        booked_by=host, max_participants=3, participants=[stays, leaves]
    )

    response = save_participants(staff_client, virtual_class, [stays], max_participants="2")

    assert response.status_code == 302
    virtual_class.refresh_from_db()
    assert (virtual_class.current_participants, virtual_class.max_participants) == (2, 2)
    assert list(virtual_class.participants.all()) == [stays]


def test_the_seat_guard_has_the_last_word_when_the_form_check_is_outrun(
    staff_client, host, monkeypatch
):
    first, second, rival = UserFactory(), UserFactory(), UserFactory()
    virtual_class = VirtualClassFactory(booked_by=host, max_participants=3, participants=[first])
    check = services.why_cannot_join

    def rival_takes_the_last_seat_first(*, user, virtual_class):
        VirtualClass.objects.get(pk=virtual_class.pk).participants.add(rival)
        return check(user=user, virtual_class=virtual_class)  # the form's seat count is stale

    monkeypatch.setattr(services, "why_cannot_join", rival_takes_the_last_seat_first)

    response = save_participants(staff_client, virtual_class, [first, second])

    assert response.status_code == 302
    assert response.url == change_url(virtual_class)
    assert [str(m) for m in response.wsgi_request._messages] == ["This class is full."]
    assert not virtual_class.participants.filter(pk=second.pk).exists()
    assert not UserActivity.objects.filter(virtual_class=virtual_class, user=second).exists()


def test_a_learner_who_joined_while_the_page_was_open_stays(staff_client, virtual_class):
    added_by_staff, joined_meanwhile = UserFactory(), UserFactory()
    url = change_url(virtual_class)
    data = page_data(staff_client, url)
    services.join_class(user=joined_meanwhile, virtual_class=virtual_class)
    data["participants"] = [added_by_staff.pk]

    response = staff_client.post(url, data)

    assert response.status_code == 302
    virtual_class.refresh_from_db()
    assert set(virtual_class.participants.all()) == {added_by_staff, joined_meanwhile}
    assert virtual_class.current_participants == 3


def test_a_learner_who_left_while_the_page_was_open_is_not_added_back(staff_client, virtual_class):
    left_meanwhile = UserFactory()
    services.join_class(user=left_meanwhile, virtual_class=virtual_class)
    url = change_url(virtual_class)
    data = page_data(staff_client, url)
    services.leave_class(user=left_meanwhile, virtual_class=virtual_class)

    response = staff_client.post(url, data | {"title": "Renamed"})

    assert response.status_code == 302
    virtual_class.refresh_from_db()
    assert (virtual_class.title, virtual_class.current_participants) == ("Renamed", 1)
    assert not virtual_class.participants.exists()
    assert not UserActivity.objects.filter(user=left_meanwhile).exists()


def test_a_post_without_the_pages_list_removes_whom_it_leaves_out(
    staff_client, virtual_class, learner
):
    services.join_class(user=learner, virtual_class=virtual_class)
    url = change_url(virtual_class)
    data = page_data(staff_client, url)
    del data["participants_on_page"]
    data["participants"] = []

    response = staff_client.post(url, data)

    assert response.status_code == 302
    virtual_class.refresh_from_db()
    assert virtual_class.current_participants == 1
    assert not virtual_class.participants.exists()


def test_an_unknown_participant_is_a_form_error(staff_client, virtual_class):
    url = change_url(virtual_class)
    data = page_data(staff_client, url)

    response = staff_client.post(url, data | {"participants": ["zzz"]})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["participants"]
    virtual_class.refresh_from_db()
    assert virtual_class.current_participants == 1


def test_derived_and_rule_bound_fields_are_not_taken_from_the_form(
    staff_client, virtual_class, learner, task
):
    other_host = UserFactory()

    save_participants(
        staff_client,
        virtual_class,
        [],
        current_participants="4",
        status=VirtualClass.Status.COMPLETED,
        booked_by=other_host.pk,
        task=task.pk,
        title="Renamed",
    )

    virtual_class.refresh_from_db()
    assert virtual_class.title == "Renamed"
    assert virtual_class.current_participants == 1
    assert virtual_class.status == VirtualClass.Status.SCHEDULED
    assert virtual_class.booked_by_id != other_host.pk
    assert virtual_class.task is None


def class_add_data(host, participants, **changes):
    starts = timezone.localtime() + timedelta(days=2)
    data = {
        "title": "Ordering food",
        "class_type": VirtualClass.Type.GRUPAL,
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": "10:00:00",
        "ends_at_0": starts.strftime("%Y-%m-%d"),
        "ends_at_1": "11:00:00",
        "status": VirtualClass.Status.SCHEDULED,
        "booked_by": host.pk,
        "max_participants": "3",
        "participants": [user.pk for user in participants],
        "activities-TOTAL_FORMS": "0",
        "activities-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_adding_a_class_records_the_host_and_each_participant(staff_client, host):
    joined = UserFactory.create_batch(2)

    response = staff_client.post(
        reverse("admin:classes_virtualclass_add"), class_add_data(host, joined)
    )

    assert response.status_code == 302
    virtual_class = VirtualClass.objects.get(title="Ordering food")
    assert virtual_class.current_participants == 3
    assert dict(virtual_class.activities.values_list("user_id", "rol")) == {
        host.pk: UserActivity.Rol.ANFITRION,
        joined[0].pk: UserActivity.Rol.PARTICIPANTE,
        joined[1].pk: UserActivity.Rol.PARTICIPANTE,
    }


def test_a_new_class_cannot_list_its_host_as_a_participant(staff_client, host):
    response = staff_client.post(
        reverse("admin:classes_virtualclass_add"), class_add_data(host, [host])
    )

    assert participant_errors(response) == [
        f"Cannot add {host}; they would be told: “You are the host of this class.”"
    ]
    assert not VirtualClass.objects.filter(title="Ordering food").exists()
