from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from activities import integrity
from learning_platform.commands import at_least
from learning_platform.progress import TableProgress


class Command(BaseCommand):
    help = (
        "Fix what check_integrity finds that the records can fix: recount total_classes and "
        "current_participants, create missing host and participant activities with the right "
        "role, correct roles. Prints every change, and reports (exiting non-zero) what needs a "
        "person: over-capacity classes, stray activities, completed activities without a task."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would change; change nothing"
        )
        parser.add_argument(
            "--batch-size",
            type=at_least(1),
            default=5000,
            help="users or classes per batch of queries (default 5000)",
        )

    def handle(self, *args, **options):
        verbosity, dry_run = options["verbosity"], options["dry_run"]
        fixed, unfixable = Counter(), Counter()
        totals = integrity.totals() if verbosity >= 1 else {}
        progress = TableProgress(self.stderr, totals=totals, verbosity=verbosity)
        for breach in integrity.audit(batch_size=options["batch_size"], on_batch=progress):
            if breach.fixable:
                change = integrity.repair(breach, dry_run=dry_run)
                fixed[breach.kind] += 1
                if verbosity >= 1:
                    self.stdout.write(f"{'would fix' if dry_run else 'fixed'}: {change}")
            else:
                unfixable[breach.kind] += 1
                self.stdout.write(self.style.WARNING(f"cannot fix: {breach}"))
        progress.finish()

        verb = "Would fix" if dry_run else "Fixed"
        if verbosity >= 1:
            done = f"{verb} {integrity.breaches(fixed.total())}" + (
                f": {_summary(fixed)}." if fixed else "."
            )
            self.stdout.write(self.style.SUCCESS(done))
        if unfixable:
            raise CommandError(
                f"{integrity.breaches(unfixable.total())} need a person: {_summary(unfixable)}"
            )


def _summary(found: Counter) -> str:
    return ", ".join(f"{found[kind]} {kind}" for kind in integrity.KINDS if found[kind])
