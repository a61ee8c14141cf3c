from collections import Counter
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError

from activities import integrity
from learning_platform.commands import between
from learning_platform.progress import TableProgress


class Command(BaseCommand):
    help = (
        "Audit every derived value and invariant and list each breach with its ids; exits "
        "non-zero when anything is found. Kinds: "
        + "; ".join(f"{kind} ({meaning})" for kind, meaning in integrity.KINDS.items())
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=between(1, 100_000),
            default=5000,
            help="users or classes per batch of queries (default 5000)",
        )

    def handle(self, *args, **options):
        found = Counter()
        for breach in self.audit(options):
            found[breach.kind] += 1
            if options["verbosity"] >= 1:
                self.stdout.write(str(breach))
        if found:
            message = f"{integrity.breaches(found.total())} found: {integrity.summary(found)}"
            raise CommandError(message)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS("No breaches found."))

    def audit(self, options) -> Iterator[integrity.Breach]:
        """Every breach, with the walk's progress on stderr."""
        verbosity = options["verbosity"]
        totals = integrity.totals() if verbosity >= 1 else {}
        progress = TableProgress(self.stderr, totals=totals, verbosity=verbosity)
        yield from integrity.audit(batch_size=options["batch_size"], on_batch=progress)
        progress.finish()
