import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from activities.services import assign_task, complete_task
from classes.services import cancel_class, join_class, leave_class
from tests.factories import StaffFactory, TaskFactory, UserFactory, VirtualClassFactory, start_class

# The README's dumpdata options for moving data between databases: Django's own bookkeeping
# (content types, permissions, the admin log, sessions) is recreated by `migrate` or is not
# worth moving, and its integer keys would not fit MongoDB's ObjectIds; groups and permissions
# are referred to by name (natural keys), so they match whatever keys the target gave them.
DUMP_OPTIONS = [
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=admin.logentry",
    "--exclude=sessions",
]


# The dump writes a time to the millisecond, and without a fraction when it has none: a time
# dumped as 10:00:00.000Z (its microseconds below one millisecond cut) is reloaded as 10:00:00
# and dumped again as 10:00:00Z, the same instant.
WHOLE_SECOND = re.compile(r'(T\d{2}:\d{2}:\d{2})(Z|[+-]\d{2}:\d{2})"')


def records(dump_path) -> list[dict]:
    """The dump's records in a stable order, to compare two dumps row by row."""
    rows = json.loads(WHOLE_SECOND.sub(r'\1.000\2"', dump_path.read_text()))
    return sorted(rows, key=lambda row: (row["model"], str(row.get("pk")), json.dumps(row)))


def dump(path) -> list[dict]:
    call_command("dumpdata", *DUMP_OPTIONS, output=str(path), verbosity=0)
    return records(path)


@pytest.fixture
def school(db):
    """A little of everything the rules produce: hosts, joins, a leave, tasks, a completion,
    a cancelled and an individual class, and a staff member in a group with a permission."""
    teachers = Group.objects.create(name="Teachers")
    teachers.permissions.add(Permission.objects.get(codename="add_task"))
    staff = StaffFactory()
    staff.groups.add(teachers)

    host, ana, ben, cleo = UserFactory.create_batch(4)
    exercise, reading = TaskFactory.create_batch(2)

    group_class = VirtualClassFactory(booked_by=host, max_participants=4)
    for learner in (ana, ben, cleo):
        join_class(user=learner, virtual_class=group_class)
    leave_class(user=cleo, virtual_class=group_class)
    assign_task(virtual_class=group_class, task=exercise)
    start_class(group_class)
    complete_task(user=ana, task=exercise)

    VirtualClassFactory(booked_by=ben, individual=True, task=reading)
    cancelled = VirtualClassFactory(booked_by=cleo, participants=[host])
    cancel_class(virtual_class=cancelled, by=staff)
    return group_class
