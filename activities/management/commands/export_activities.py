import os
import sys
from contextlib import closing, contextmanager
from pathlib import Path

from django.core.management.base import CommandError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities import export
from activities.models import UserActivity
from learning_platform import commands
from learning_platform.commands import between, yes_or_no
from learning_platform.ids import is_object_id
from learning_platform.models import User
from learning_platform.progress import Progress

WRITERS = {"json": export.write_json, "csv": export.write_csv}


class Command(commands.Command):
    help = gettext_lazy(
        "Write activities as a JSON array in the seed's shape (id, userId, taskId, classId, rol, "
        "completed, createdAt, updatedAt) or as CSV, to stdout or --output, streaming rows in "
        "chunks so memory stays flat however many there are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(WRITERS), default="json")
        parser.add_argument("--output", type=Path, help=_("file to write (default: stdout)"))
        parser.add_argument(
            "--force", action="store_true", help=_("replace the --output file if it exists")
        )
        parser.add_argument("--user", help=_("only this learner's activities (username or id)"))
        parser.add_argument(
            "--completed", type=yes_or_no, help=_("only completed (true) or pending (false) ones")
        )
        parser.add_argument(
            "--rol", choices=UserActivity.Rol.values, help=_("only hosted or joined ones")
        )
        parser.add_argument(
            "--chunk-size",
            type=between(1, 100_000),
            default=2000,
            help=_("rows read from the database at a time (default 2000)"),
        )

    def handle(self, *args, **options):
        output = options["output"]
        if output is not None and (output.is_dir() or not output.parent.is_dir()):
            raise CommandError(
                _("Cannot write %(path)s: not a file in an existing folder.") % {"path": output}
            )
        if output is not None and output.exists() and not options["force"]:
            raise CommandError(_("%(path)s exists: pass --force to replace it.") % {"path": output})
        activities = UserActivity.objects.all()
        if options["user"] is not None:
            wanted = options["user"]
            by_id = Q(pk=wanted) if is_object_id(wanted) else Q()
            matches = list(User.objects.filter(Q(username=wanted) | by_id)[:2])
            if not matches:
                raise CommandError(_("No user with username or id %(value)r.") % {"value": wanted})
            if len(matches) > 1:
                # One learner's username is another's id: exporting either could be the wrong one.
                by_name, by_id = sorted(matches, key=lambda u: u.pk == wanted)
                raise CommandError(
                    _(
                        "%(value)r is the username of one learner and the id of another: give "
                        "%(id)s (the id of %(username)r) or %(other_username)r (the username of "
                        "%(other_id)s)."
                    )
                    % {
                        "value": wanted,
                        "id": by_name.pk,
                        "username": by_name.username,
                        "other_username": by_id.username,
                        "other_id": by_id.pk,
                    }
                )
            (user,) = matches
            activities = activities.filter(user=user)
        if options["completed"] is not None:
            activities = activities.filter(completed=options["completed"])
        if options["rol"]:
            activities = activities.filter(rol=options["rol"])

        verbosity = options["verbosity"]
        total = activities.count() if verbosity >= 1 else None
        progress = Progress(self.stderr, label="activities", total=total, verbosity=verbosity)
        written = 0
        # closing(): if writing fails, the database cursor the rows stream from is closed at
        # once, inside its transaction, not whenever the garbage collector gets to it.
        with (
            closing(export.records(activities, chunk_size=options["chunk_size"])) as records,
            self._open(output) as out,
        ):
            for _record in WRITERS[options["format"]](records, out):
                written += 1
                if written % options["chunk_size"] == 0:
                    progress.advance(options["chunk_size"])
        progress.advance(written - progress.done)
        progress.finish()
        if verbosity >= 1 and output:
            self.stderr.write(
                ngettext(
                    "Wrote %(count)d activity to %(path)s.",
                    "Wrote %(count)d activities to %(path)s.",
                    written,
                )
                % {"count": written, "path": output}
            )

    @contextmanager
    def _open(self, path: Path | None):
        if path is None:
            try:
                yield _Unended(self.stdout)
            except BrokenPipeError:
                # The reader stopped early (`| head`): end quietly, as command-line tools do;
                # stdout now points nowhere so the interpreter's final flush cannot fail again.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8", newline="") as out:
                yield out
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s.") % {"path": path, "reason": exc.strerror}
            ) from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        # Written whole or not at all: a half export never sits under the real name.
        partial.replace(path)


class _Unended:
    """The command's stdout, written as is (OutputWrapper would end every write with a newline)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")
