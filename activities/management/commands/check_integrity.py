from collections import Counter
from collections.abc import Iterator

from django.core.management.base import CommandError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities import integrity
from learning_platform import commands
from learning_platform.commands import between
from learning_platform.progress import TableProgress


class Command(commands.Command):
    help = format_lazy(
        gettext_lazy(
            "Audit every derived value and invariant and list each breach with its ids; exits "
            "non-zero when anything is found. Kinds: {kinds}."
        ),
        kinds=format_lazy(
            "; ".join(f"{kind} ({{{kind}}})" for kind in integrity.KINDS), **integrity.KINDS
        ),
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=between(1, 100_000),
            default=integrity.BATCH_SIZE,
            help=_("users or classes per batch of queries (default %(default)s)"),
        )

    def handle(self, *args, **options):
        found = Counter()
        for breach in self.audit(options):
            found[breach.kind] += 1
            if options["verbosity"] >= 1:
                self.stdout.write(str(breach))
        if found:
            message = _("%(breaches)s found: %(summary)s") % {
                "breaches": integrity.breaches(found.total()),
                "summary": integrity.summary(found),
            }
            raise CommandError(message)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(_("No breaches found.")))

    def audit(self, options) -> Iterator[integrity.Breach]:
        """Every breach, with the walk's progress on stderr."""
        verbosity = options["verbosity"]
        totals = integrity.totals() if verbosity >= 1 else {}
        progress = TableProgress(self.stderr, totals=totals, verbosity=verbosity)
        yield from integrity.audit(batch_size=options["batch_size"], on_batch=progress)
        progress.finish()
