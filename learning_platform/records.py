"""The seed's JSON shape, in one place: the keys of each record, in the seed's order, the
attribute each comes from, and how values are written (UTC timestamps with milliseconds and `Z`).

The export command and the API both build their records here, so the two cannot drift apart.
The functions read attributes (or rows) only: this module knows the shape, not the models.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

# Seed's example activity: id, userId, taskId (null when absent), classId, rol, completed,
# createdAt, updatedAt.
ACTIVITY = {
    "id": "pk",
    "userId": "user_id",
    "taskId": "task_id",
    "classId": "virtual_class_id",
    "rol": "rol",
    "completed": "completed",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
}

# participantsIds is a list and is filled in by class_record, not read from an attribute.
CLASS = {
    "id": "pk",
    "title": "title",
    "description": "description",
    "learningFocus": "learning_focus",
    "bookedById": "booked_by_id",
    "classType": "class_type",
    "status": "status",
    "currentParticipants": "current_participants",
    "maxParticipants": "max_participants",
    "startsAt": "starts_at",
    "endsAt": "ends_at",
    "meetingUrl": "meeting_url",
    "taskId": "task_id",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
}

# solvedContent is filled in by task_record: null until the reader has completed the task.
TASK = {
    "id": "pk",
    "title": "title",
    "description": "description",
    "content": "content",
    "type": "type",
    "difficulty": "difficulty",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
}

USER = {
    "id": "pk",
    "username": "username",
    "firstName": "first_name",
    "lastName": "last_name",
    "email": "email",
    "level": "level",
    "isStaff": "is_staff",
    "totalClasses": "total_classes",
}


def timestamp(value: datetime) -> str:
    """UTC with milliseconds, as the seed writes it: 2025-03-01T10:00:00.000Z."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _json_value(value: Any) -> Any:
    return timestamp(value) if isinstance(value, datetime) else value


def record_from_row(fields: Mapping[str, str], row: Iterable[Any]) -> dict:
    """A record from a database row holding `fields`' attributes, in their order."""
    return {key: _json_value(value) for key, value in zip(fields, row, strict=True)}


def record_of(fields: Mapping[str, str], obj: Any) -> dict:
    """A record from an object's attributes."""
    return {key: _json_value(getattr(obj, attribute)) for key, attribute in fields.items()}


def activity_record(activity) -> dict:
    return record_of(ACTIVITY, activity)


def class_record(virtual_class, *, participant_ids: Iterable[str]) -> dict:
    """`participant_ids`: the participants' ids (the host is not among them)."""
    record = record_of(CLASS, virtual_class)
    record["participantsIds"] = sorted(participant_ids)
    return record


def task_record(task, *, solved: bool) -> dict:
    """The task; its solution only for a reader who has completed it (`solved`)."""
    record = record_of(TASK, task)
    record["solvedContent"] = task.solved_content if solved else None
    return record


def user_record(user) -> dict:
    return record_of(USER, user)
