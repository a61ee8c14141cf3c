"""Writing the log. Every rule calls `record` once per thing it changed, inside its transaction,
so the entry and the messages derived from it stand or fall with the change itself."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.expressions import BaseExpression

from history.models import ActorKind, LogEntry
from notifications.rules import messages_for


def record(
    *,
    action: str,
    actor=None,
    virtual_class=None,
    task=None,
    learner=None,
    **details,
) -> LogEntry:
    """Append what happened: `actor` is the user who acted (None: the system), `learner` the
    learner it happened to; `details` are what matters (old and new time, seats, reason)."""
    entry = new_entry(
        action=action,
        actor=actor,
        virtual_class=virtual_class,
        task=task,
        learner=learner,
        **details,
    )
    entry.save()
    recorded(entry)
    return entry


def new_entry(
    *, action: str, actor=None, virtual_class=None, task=None, learner=None, **details
) -> LogEntry:
    """The entry `record` appends, not yet saved: for a rule that inserts it in the same
    statement as its change, then calls `recorded`."""
    entry = _entry(action, actor, virtual_class=virtual_class, task=task, learner=learner)
    entry.details = _plain(details)
    return entry


def recorded(entry: LogEntry) -> None:
    """What follows an inserted entry: the messages it calls for."""
    messages_for(entry)


def record_each(*, action: str, actor=None, virtual_class_ids, **details) -> list[LogEntry]:
    """The same action on many classes (closing a day's classes): one entry each, one insert."""
    entries = [_entry(action, actor, virtual_class=pk) for pk in virtual_class_ids]
    for entry in entries:
        entry.details = _plain(details)
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    for entry in entries:
        messages_for(entry)
    return entries


def _entry(action, actor, **related) -> LogEntry:
    if action not in LogEntry.Action.values:
        raise ValueError(f"Unknown action {action!r}")
    entry = LogEntry(action=action, actor=actor, actor_kind=actor_kind(actor))
    for name, value in related.items():
        # An instance, its id, or a subquery giving the id: callers that hold only the id, or
        # not even that, need not read the row.
        if isinstance(value, str | BaseExpression):
            setattr(entry, f"{name}_id", value)
        else:
            setattr(entry, name, value)
    return entry


def _plain(details: dict) -> dict:
    # Dates and the like as the JSON encoder writes them: the log is read, not recomputed.
    return json.loads(json.dumps(details, cls=DjangoJSONEncoder))


def actor_kind(actor) -> str:
    if actor is None:
        return ActorKind.SYSTEM
    return ActorKind.STAFF if actor.is_staff else ActorKind.LEARNER
