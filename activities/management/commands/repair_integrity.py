from collections import Counter

from django.core.management.base import CommandError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities import integrity
from activities.management.commands import check_integrity


class Command(check_integrity.Command):
    help = format_lazy(
        gettext_lazy(
            "Fix what check_integrity finds that the records can fix ({fixable}) and print every "
            "change. Reports, exiting non-zero, what needs a person ({unfixable})."
        ),
        fixable=", ".join(kind for kind in integrity.KINDS if kind not in integrity.UNFIXABLE),
        unfixable=", ".join(kind for kind in integrity.KINDS if kind in integrity.UNFIXABLE),
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("print what would change; change nothing")
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
                    self.stdout.write(
                        (_("would fix: %(change)s") if dry_run else _("fixed: %(change)s"))
                        % {"change": change}
                    )
            else:
                unfixable[breach.kind] += 1
                self.stdout.write(
                    self.style.WARNING(_("cannot fix: %(breach)s") % {"breach": breach})
                )

        if verbosity >= 1:
            values = {
                "breaches": integrity.breaches(fixed.total()),
                "summary": integrity.summary(fixed),
            }
            if fixed:
                done = (
                    _("Would fix %(breaches)s: %(summary)s.")
                    if dry_run
                    else _("Fixed %(breaches)s: %(summary)s.")
                )
            else:
                done = _("Would fix %(breaches)s.") if dry_run else _("Fixed %(breaches)s.")
            done %= values
            self.stdout.write(self.style.SUCCESS(done))
        if unfixable:
            raise CommandError(
                ngettext(
                    "%(breaches)s needs a person: %(summary)s",
                    "%(breaches)s need a person: %(summary)s",
                    unfixable.total(),
                )
                % {
                    "breaches": integrity.breaches(unfixable.total()),
                    "summary": integrity.summary(unfixable),
                }
            )
