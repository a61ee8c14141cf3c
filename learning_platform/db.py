"""How the rules stay all-or-nothing on every database backend.

On SQLite and PostgreSQL `transaction.atomic()` rolls a failed rule back. On MongoDB Django's
`transaction.atomic()` does nothing, with or without a replica set. (django-mongodb-backend has
transactions of its own, which need a replica set; the project does not use them, because two
of them writing the same document abort instead of waiting, so racing learners would see errors
rather than "This class is full". The replica set the README recommends is for durable writes,
acknowledged by a majority, not for transactions.) The rules are therefore written to be right
without a transaction as well: the scarce thing (a seat, a completion) is taken with one
conditional update of a single document, which MongoDB applies atomically, and a write already
made when a later one fails is undone by hand through `undo_on_failure`.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection


def rolls_back() -> bool:
    """Whether a failed `transaction.atomic()` block is undone by the database (not on MongoDB)."""
    return connection.features.supports_transactions


@contextmanager
def undo_on_failure(*, always: bool = False) -> Iterator[Callable[[Callable[[], object]], None]]:
    """Collect an undo step for each write as the block makes it; if the block fails on a
    database that does not roll it back (or, with `always`, on any database: for a block that
    runs without a transaction), run them, newest first, then let the error through.

        with transaction.atomic(), undo_on_failure() as on_failure:
            first_write()
            on_failure(undo_first_write)
            second_write()
    """
    steps: list[Callable[[], object]] = []
    try:
        yield steps.append
    except BaseException:
        if always or not rolls_back():
            for step in reversed(steps):
                step()
        raise
