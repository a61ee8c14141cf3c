"""Activities as the seed's JSON shape (and the same fields as CSV), one row at a time."""

import csv
import json
from collections.abc import Iterable, Iterator
from contextlib import closing
from datetime import UTC, datetime
from typing import TextIO

from django.db.models import QuerySet

from activities.models import UserActivity

# The seed's keys, in the seed's order, and the columns they come from.
FIELDS = {
    "id": "pk",
    "userId": "user_id",
    "taskId": "task_id",
    "classId": "virtual_class_id",
    "rol": "rol",
    "completed": "completed",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
}


def timestamp(value: datetime) -> str:
    """UTC with milliseconds, as the seed writes it: 2025-03-01T10:00:00.000Z."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def records(activities: QuerySet[UserActivity], *, chunk_size: int) -> Iterator[dict]:
    """One dict per activity in the seed's shape, read `chunk_size` rows at a time."""
    rows = activities.order_by("pk").values_list(*FIELDS.values()).iterator(chunk_size=chunk_size)
    with closing(rows):  # the database cursor goes when this generator is closed
        for row in rows:
            record = dict(zip(FIELDS, row, strict=True))
            record["createdAt"] = timestamp(record["createdAt"])
            record["updatedAt"] = timestamp(record["updatedAt"])
            yield record


def write_json(items: Iterable[dict], out: TextIO) -> Iterator[None]:
    """A JSON array, one record per line; yields after each record (for progress)."""
    out.write("[")
    separator = "\n"
    for item in items:
        out.write(separator + json.dumps(item, ensure_ascii=False))
        separator = ",\n"
        yield
    out.write("\n]\n" if separator == ",\n" else "]\n")


def write_csv(items: Iterable[dict], out: TextIO) -> Iterator[None]:
    """The same fields as CSV: empty taskId for none, completed as true/false."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for item in items:
        # Keys keep the seed's order; only the two values CSV cannot hold as JSON does change.
        completed = "true" if item["completed"] else "false"
        writer.writerow((item | {"taskId": item["taskId"] or "", "completed": completed}).values())
        yield
