from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from learning_platform import commands
from notifications import outbox


class Command(commands.Command):
    help = gettext_lazy(
        "Withdraw unsent reminders of classes cancelled or moved since, write the reminders that "
        "have come due, then send every message that is due or failed before (with back-off). "
        "Meant for cron every minute; two runs at once never send a message twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_(
                "say how many reminders are due and how many messages wait; write and send none"
            ),
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        if options["dry_run"]:
            waiting = outbox.due().count()
            self.stdout.write(
                ngettext(
                    "%(count)d message is due; reminders are not written.",
                    "%(count)d messages are due; reminders are not written.",
                    waiting,
                )
                % {"count": waiting}
            )
            return
        outbox.withdraw_stale_reminders()
        reminders = outbox.write_reminders()
        sent, failed = outbox.send_messages(outbox.due().order_by("next_attempt_at"))
        if verbosity >= 1:
            summary = _("%(reminders)s; %(sent)s") % {
                "reminders": ngettext(
                    "Wrote %(count)d reminder", "Wrote %(count)d reminders", reminders
                )
                % {"count": reminders},
                "sent": ngettext("sent %(count)d message", "sent %(count)d messages", sent)
                % {"count": sent},
            }
            if failed:
                self.stdout.write(
                    self.style.WARNING(
                        ngettext(
                            "%(summary)s; %(count)d failed and waits to be retried.",
                            "%(summary)s; %(count)d failed and wait to be retried.",
                            failed,
                        )
                        % {"summary": summary, "count": failed}
                    )
                )
            else:
                self.stdout.write(self.style.SUCCESS(_("%(summary)s.") % {"summary": summary}))
