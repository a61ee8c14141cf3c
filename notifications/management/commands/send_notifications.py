from django.core.management.base import BaseCommand

from notifications import outbox


class Command(BaseCommand):
    help = (
        "Withdraw unsent reminders of classes cancelled or moved since, write the reminders that "
        "have come due, then send every message that is due or failed before (with back-off). "
        "Meant for cron every minute; two runs at once never send a message twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="say how many reminders are due and how many messages wait; write and send none",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        if options["dry_run"]:
            waiting = outbox.due().count()
            self.stdout.write(f"{waiting} messages are due; reminders are not written.")
            return
        outbox.withdraw_stale_reminders()
        reminders = outbox.write_reminders()
        sent, failed = outbox.send_messages(outbox.due().order_by("next_attempt_at"))
        if verbosity >= 1:
            summary = f"Wrote {reminders} reminders; sent {sent} messages"
            if failed:
                self.stdout.write(
                    self.style.WARNING(f"{summary}; {failed} failed and wait to be retried.")
                )
            else:
                self.stdout.write(self.style.SUCCESS(f"{summary}."))
