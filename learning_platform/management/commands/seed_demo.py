from contextlib import nullcontext

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

import notifications.rules
from learning_platform import commands, demo
from learning_platform.commands import between
from learning_platform.progress import Progress


class Command(commands.Command):
    help = gettext_lazy(
        "Fill an empty database with demo data: learners, classes of both types in every status, "
        "tasks and activities, all through the real rules (or, with --scale, bulk-loaded exactly "
        "as the rules would leave them). Prints the demo learner's and staff member's logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--users", type=between(2, 100_000), default=20, help=_("learners (default 20)")
        )
        parser.add_argument(
            "--classes", type=between(0, 100_000), default=32, help=_("classes (default 32)")
        )
        parser.add_argument(
            "--tasks", type=between(1, 10_000), default=12, help=_("tasks (default 12)")
        )
        parser.add_argument(
            "--seed", type=int, default=2025, help=_("random seed: the same seed, the same data")
        )
        parser.add_argument(
            "--scale",
            type=between(1, 100_000_000),
            metavar="ACTIVITIES",
            help=_(
                "bulk-load about this many activities for benchmarks (ignores --users, "
                "--classes and --tasks)"
            ),
        )
        parser.add_argument(
            "--batch-size",
            type=between(1, 100_000),
            default=5000,
            help=_("rows per bulk insert with --scale (default 5000)"),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("skip quietly (exit 0) when the database already holds other data"),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("say what would be loaded; write nothing")
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        state = demo.database_state()
        if state == "demo":
            self.stdout.write(_("Demo data is already loaded; nothing changed."))
        elif state == "other" and options["if_empty"]:
            self.stdout.write(_("The database already holds data; demo data not loaded."))
        elif state == "other":
            raise CommandError(
                _(
                    "The database already holds data; seed_demo fills an empty database only "
                    "(--if-empty skips instead of failing)."
                )
            )
        elif options["dry_run"]:
            self.stdout.write(
                _("Would load: %(plan)s. Nothing written (dry run).")
                % {"plan": self._plan(options)}
            )
        else:
            with demo.rollback_journal() if options["scale"] else nullcontext():
                counts = self._seed(options, verbosity)
            if options["scale"]:
                demo.after_bulk_load()
            if verbosity >= 1:
                summary = ", ".join(_amount(name, value) for name, value in counts.items())
                self.stdout.write(
                    self.style.SUCCESS(_("Loaded %(summary)s.") % {"summary": summary})
                )
        self._print_logins(state, dry_run=options["dry_run"])

    def _plan(self, options) -> str:
        if options["scale"]:
            return _("about %(count)s activities in bulk (seed %(seed)s)") % {
                "count": f"{options['scale']:,}",
                "seed": options["seed"],
            }
        return _("%(learners)s, %(classes)s, %(tasks)s and their activities (seed %(seed)s)") % {
            "learners": _amount("learners", options["users"]),
            "classes": _amount("classes", options["classes"]),
            "tasks": _amount("tasks", options["tasks"]),
            "seed": options["seed"],
        }

    def _seed(self, options, verbosity):
        # All or nothing: a failure leaves the database empty. The demo learners are made up:
        # their history is recorded, nobody is sent a message.
        with transaction.atomic(), notifications.rules.quiet():
            if not options["scale"]:
                return demo.seed_through_rules(
                    users=options["users"],
                    classes=options["classes"],
                    tasks=options["tasks"],
                    seed=options["seed"],
                )
            progress = Progress(
                self.stderr, label="activities", total=options["scale"], verbosity=verbosity
            )
            counts = demo.seed_at_scale(
                activities=options["scale"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                on_batch=lambda written: progress.advance(written - progress.done),
            )
            progress.finish()
            return counts

    def _print_logins(self, state: str, *, dry_run: bool) -> None:
        # Always printed: `make run` relies on it to tell whoever starts the server how to sign in.
        if state == "other" or (state == "empty" and dry_run):
            return
        for login in (demo.DEMO_LEARNER, demo.DEMO_STAFF):
            line = (
                _("Demo learner: username %(username)s, password %(password)s")
                if login is demo.DEMO_LEARNER
                else _(
                    "Demo staff member (admin at /admin/): username %(username)s, "
                    "password %(password)s"
                )
            ) % {"username": login.username, "password": login.password}
            problem = demo.login_status(login) if state == "demo" else None
            if problem:
                self.stdout.write(self.style.WARNING(f"{line} ({problem})"))
            else:
                self.stdout.write(line)


def _amount(name: str, value: int) -> str:
    """ "1,200 learners": a count from the demo loader, in words."""
    templates = {
        "learners": ngettext("%(count)s learner", "%(count)s learners", value),
        "staff": ngettext("%(count)s staff member", "%(count)s staff members", value),
        "tasks": ngettext("%(count)s task", "%(count)s tasks", value),
        "classes": ngettext("%(count)s class", "%(count)s classes", value),
        "activities": ngettext("%(count)s activity", "%(count)s activities", value),
        "completed": ngettext("%(count)s completed", "%(count)s completed", value),
    }
    return templates.get(name, f"%(count)s {name}") % {"count": f"{value:,}"}
