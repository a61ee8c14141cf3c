from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from classes.models import VirtualClass
from classes.services import cancel_unconfirmed_classes, complete_classes
from learning_platform import commands
from learning_platform.commands import moment


class Command(commands.Command):
    help = gettext_lazy(
        "Mark scheduled classes that ended by the cut-off (now, or --before) as completed, and "
        "cancel pending classes whose start passed by then unconfirmed. Meant for cron: safe to "
        "run as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            type=moment,
            help=_(
                "cut-off as an ISO date or date-time (default: now); a date means its midnight "
                "in the site's time zone, a date-time without a zone is in the site's time zone"
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("list the classes it would close; change none")
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        now = timezone.now()
        cut_off = options["before"] or now
        if cut_off > now:
            raise CommandError(
                _(
                    "--before %(cut_off)s is in the future: only classes that have ended can be "
                    "closed."
                )
                % {"cut_off": cut_off.isoformat()}
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
                    self.stdout.write(
                        _("would close %(id)s %(title)r (ended %(ended)s)")
                        % {"id": pk, "title": title, "ended": ends_at.isoformat()}
                    )
                for pk, title, starts_at in unconfirmed.order_by("starts_at").values_list(
                    "pk", "title", "starts_at"
                ):
                    self.stdout.write(
                        _("would cancel %(id)s %(title)r (unconfirmed, due %(due)s)")
                        % {"id": pk, "title": title, "due": starts_at.isoformat()}
                    )
            if verbosity >= 1:
                count = ended.count()
                self.stdout.write(
                    ngettext(
                        "Would close %(count)d class that ended by %(cut_off)s.",
                        "Would close %(count)d classes that ended by %(cut_off)s.",
                        count,
                    )
                    % {"count": count, "cut_off": cut_off.isoformat()}
                )
                count = unconfirmed.count()
                self.stdout.write(
                    ngettext(
                        "Would cancel %(count)d pending class due by %(cut_off)s that was never "
                        "confirmed.",
                        "Would cancel %(count)d pending classes due by %(cut_off)s that were never "
                        "confirmed.",
                        count,
                    )
                    % {"count": count, "cut_off": cut_off.isoformat()}
                )
            return
        closed = complete_classes(classes=ended)
        cancelled = cancel_unconfirmed_classes(classes=unconfirmed)
        if verbosity >= 1:
            values = {"cut_off": cut_off.isoformat()}
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "Closed %(count)d class that ended by %(cut_off)s.",
                        "Closed %(count)d classes that ended by %(cut_off)s.",
                        closed,
                    )
                    % {**values, "count": closed}
                )
            )
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "Cancelled %(count)d pending class due by %(cut_off)s that was never "
                        "confirmed.",
                        "Cancelled %(count)d pending classes due by %(cut_off)s that were never "
                        "confirmed.",
                        cancelled,
                    )
                    % {**values, "count": cancelled}
                )
                if cancelled
                else _("Cancelled 0 pending classes due by %(cut_off)s.") % values
            )
