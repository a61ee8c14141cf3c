from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from activities import integrity
from learning_platform.commands import at_least
from learning_platform.progress import TableProgress


class Command(BaseCommand):
    help = (
        "Audit every derived value and invariant (total_classes, current_participants, host and "
        "participant activities, roles, completed activities without a task, over-capacity "
        "classes) and list each breach with its ids. Exits non-zero when anything is found."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=at_least(1),
            default=5000,
            help="users or classes per batch of queries (default 5000)",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        found = Counter()
        totals = integrity.totals() if verbosity >= 1 else {}
        progress = TableProgress(self.stderr, totals=totals, verbosity=verbosity)
        for breach in integrity.audit(batch_size=options["batch_size"], on_batch=progress):
            found[breach.kind] += 1
            if verbosity >= 1:
                self.stdout.write(str(breach))
        progress.finish()
        if found:
            raise CommandError(f"{integrity.breaches(found.total())} found: {_summary(found)}")
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS("No breaches found."))


def _summary(found: Counter) -> str:
    return ", ".join(f"{found[kind]} {kind}" for kind in integrity.KINDS if found[kind])
