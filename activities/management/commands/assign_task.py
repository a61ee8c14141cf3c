from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities.services import ActivityError, assign_task
from classes.models import VirtualClass
from learning_platform import commands
from learning_platform.ids import is_object_id
from learning_platform.models import User
from tasks.models import Task


class Command(commands.Command):
    help = gettext_lazy(
        "Attach a task to a class: it becomes the class's task and is given to the class's "
        "activities that have none. Learners who already hold the task through another class "
        "keep that one activity and are listed as skipped. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--class", dest="class_id", required=True, help=_("the class's id"))
        parser.add_argument("--task", dest="task_id", required=True, help=_("the task's id"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("say what it would do; change nothing")
        )

    def handle(self, *args, **options):
        virtual_class = _get(VirtualClass, options["class_id"], "--class", "class")
        task = _get(Task, options["task_id"], "--task", "task")
        dry_run = options["dry_run"]
        try:
            assignment = assign_task(virtual_class=virtual_class, task=task, dry_run=dry_run)
        except ActivityError as error:
            raise CommandError(" ".join(error.messages)) from error
        if options["verbosity"] < 1:
            return
        values = {"task": task, "count": assignment.assigned, "class": virtual_class}
        if dry_run:
            done = ngettext(
                "Would give “%(task)s” to %(count)d activity of “%(class)s”.",
                "Would give “%(task)s” to %(count)d activities of “%(class)s”.",
                assignment.assigned,
            )
        else:
            done = ngettext(
                "Gave “%(task)s” to %(count)d activity of “%(class)s”.",
                "Gave “%(task)s” to %(count)d activities of “%(class)s”.",
                assignment.assigned,
            )
        done %= values
        self.stdout.write(done if dry_run else self.style.SUCCESS(done))
        if assignment.skipped_user_ids:
            names = sorted(
                User.objects.filter(pk__in=assignment.skipped_user_ids).values_list(
                    "username", flat=True
                )
            )
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "Skipped %(count)d learner who already holds this task through another "
                        "class (one activity per learner per task): %(names)s.",
                        "Skipped %(count)d learners who already hold this task through another "
                        "class (one activity per learner per task): %(names)s.",
                        len(names),
                    )
                    % {"count": len(names), "names": ", ".join(names)}
                )
            )


def _get(model, pk: str, option: str, name: str):
    if not is_object_id(pk):
        raise CommandError(
            _("%(option)s %(value)r is not an id (24 hexadecimal characters).")
            % {"option": option, "value": pk}
        )
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist:
        missing = (
            _("%(option)s: no class has the id %(id)s.")
            if name == "class"
            else _("%(option)s: no task has the id %(id)s.")
        )
        raise CommandError(missing % {"option": option, "id": pk}) from None
