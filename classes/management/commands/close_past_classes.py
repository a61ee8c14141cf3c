from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from classes.models import VirtualClass
from classes.services import cancel_unconfirmed_classes, complete_classes
from learning_platform.commands import moment


class Command(BaseCommand):
    help = (
        "Mark scheduled classes that ended by the cut-off (now, or --before) as completed, and "
        "cancel pending classes whose start passed by then unconfirmed. Meant for cron: safe to "
        "run as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            type=moment,
            help="cut-off as an ISO date or date-time (default: now); a date means its midnight "
            "in the site's time zone, a date-time without a zone is in the site's time zone",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list the classes it would close; change none"
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        now = timezone.now()
        cut_off = options["before"] or now
        if cut_off > now:
            raise CommandError(
                f"--before {cut_off.isoformat()} is in the future: only classes that have ended "
                "can be closed."
            )
        ended = VirtualClass.objects.filter(
            status=VirtualClass.Status.SCHEDULED, ends_at__lte=cut_off
        )
        unconfirmed = VirtualClass.objects.filter(
            status=VirtualClass.Status.PENDING, starts_at__lte=cut_off
        )
        if options["dry_run"]:
            if verbosity >= 2:
                for pk, title, ends_at in ended.order_by("ends_at").values_list(
                    "pk", "title", "ends_at"
                ):
                    self.stdout.write(f"would close {pk} {title!r} (ended {ends_at.isoformat()})")
                for pk, title, starts_at in unconfirmed.order_by("starts_at").values_list(
                    "pk", "title", "starts_at"
                ):
                    self.stdout.write(
                        f"would cancel {pk} {title!r} (unconfirmed, due {starts_at.isoformat()})"
                    )
            if verbosity >= 1:
                self.stdout.write(
                    f"Would close {ended.count()} classes that ended by {cut_off.isoformat()}."
                )
                self.stdout.write(
                    f"Would cancel {unconfirmed.count()} pending classes due by "
                    f"{cut_off.isoformat()} that were never confirmed."
                )
            return
        closed = complete_classes(classes=ended)
        cancelled = cancel_unconfirmed_classes(classes=unconfirmed)
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"Closed {closed} classes that ended by {cut_off.isoformat()}.")
            )
            self.stdout.write(
                self.style.WARNING(
                    f"Cancelled {cancelled} pending classes due by {cut_off.isoformat()} that "
                    "were never confirmed."
                )
                if cancelled
                else f"Cancelled 0 pending classes due by {cut_off.isoformat()}."
            )
