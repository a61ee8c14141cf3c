"""Time the outbox on a loaded database and print the figures.

    DATABASE_URL=sqlite:////tmp/learning_platform_bench.sqlite3 python benchmarks/outbox.py

Records --messages joins through `history.record` in one transaction (each writes a log entry and
its message), times the write and the delivery tried after the commit, then makes them all due
again and times one `send_notifications` run. Mail goes to Django's dummy backend: the figures
are the outbox's own cost (claim, render both parts and the .ics, record the outcome), not a
mail server's. The entries stay (the log is append-only): use a scratch database.
"""

import argparse
import os
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")
os.environ.setdefault("DEBUG", "false")  # the cached template loader, as in production
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ["EMAIL_URL"] = "dummymail://"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

import history  # noqa: E402
from classes.models import VirtualClass  # noqa: E402
from history.models import Action  # noqa: E402
from learning_platform.models import User  # noqa: E402
from notifications.models import Message  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    count = parser.parse_args().messages
    virtual_class = VirtualClass.objects.order_by("pk").first()
    learners = list(User.objects.order_by("pk").values_list("pk", flat=True)[:50])
    if virtual_class is None or not learners:
        sys.exit("The database has no classes or learners: load it first (make bench).")
    print(f"{connection.vendor}, {count} messages")

    started_at = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        for index in range(count):
            history.record(
                action=Action.CLASS_JOINED,
                virtual_class=virtual_class,
                learner=learners[index % len(learners)],
            )
        written = time.perf_counter()
    committed = time.perf_counter()
    mine = Message.objects.filter(created_at__gte=started_at, kind="joined")
    sent = mine.filter(sent_at__isnull=False).count()
    print(f"  write entry + message      {1000 * (written - started) / count:7.2f} ms each")
    after_commit = 1000 * (committed - written) / count
    print(f"  send after commit          {after_commit:7.2f} ms each ({sent} sent)")

    mine.update(sent_at=None, attempts=0, next_attempt_at=timezone.now())
    started = time.perf_counter()
    call_command("send_notifications", stdout=StringIO())
    elapsed = time.perf_counter() - started
    print(
        f"  send_notifications         {1000 * elapsed / count:7.2f} ms each, "
        f"{count / elapsed:,.0f} messages/s"
    )
    mine.delete()


if __name__ == "__main__":
    main()
