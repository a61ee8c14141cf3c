"""Activities as the seed's JSON shape (and the same fields as CSV), one row at a time."""

import csv
import json
from collections.abc import Iterable, Iterator
from contextlib import closing
from typing import TextIO

from django.db.models import QuerySet

from activities.models import UserActivity
from learning_platform import records as shape

# The seed's keys, in the seed's order, and the columns they come from (shared with the API).
FIELDS = shape.ACTIVITY


def records(activities: QuerySet[UserActivity], *, chunk_size: int) -> Iterator[dict]:
    """One dict per activity in the seed's shape, read `chunk_size` rows at a time."""
    rows = activities.order_by("pk").values_list(*FIELDS.values()).iterator(chunk_size=chunk_size)
    with closing(rows):  # the database cursor goes when this generator is closed
        for row in rows:
            yield shape.record_from_row(FIELDS, row)


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
