from collections import Counter

from django.core.management.base import CommandError

from activities import integrity
from activities.management.commands import check_integrity


class Command(check_integrity.Command):
    help = (
        "Fix what check_integrity finds that the records can fix ("
        + ", ".join(kind for kind in integrity.KINDS if kind not in integrity.UNFIXABLE)
        + ") and print every change. Reports, exiting non-zero, what needs a person ("
        + ", ".join(kind for kind in integrity.KINDS if kind in integrity.UNFIXABLE)
        + ")."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would change; change nothing"
        )
        super().add_arguments(parser)

    def handle(self, *args, **options):
        verbosity, dry_run = options["verbosity"], options["dry_run"]
        fixed, unfixable = Counter(), Counter()
        for breach in self.audit(options):
            if breach.fixable:
                change = integrity.repair(breach, dry_run=dry_run)
                fixed[breach.kind] += 1
                if verbosity >= 1:
                    self.stdout.write(f"{'would fix' if dry_run else 'fixed'}: {change}")
            else:
                unfixable[breach.kind] += 1
                self.stdout.write(self.style.WARNING(f"cannot fix: {breach}"))

        if verbosity >= 1:
            verb = "Would fix" if dry_run else "Fixed"
            done = f"{verb} {integrity.breaches(fixed.total())}" + (
                f": {integrity.summary(fixed)}." if fixed else "."
            )
            self.stdout.write(self.style.SUCCESS(done))
        if unfixable:
            raise CommandError(
                f"{integrity.breaches(unfixable.total())} need a person: "
                f"{integrity.summary(unfixable)}"
            )
