from django.core.management.base import BaseCommand, CommandError

from activities.services import ActivityError, assign_task
from classes.models import VirtualClass
from learning_platform.ids import is_object_id
from learning_platform.models import User
from tasks.models import Task


class Command(BaseCommand):
    help = (
        "Attach a task to a class: it becomes the class's task and is given to the class's "
        "activities that have none. Learners who already hold the task through another class "
        "keep that one activity and are listed as skipped. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--class", dest="class_id", required=True, help="the class's id")
        parser.add_argument("--task", dest="task_id", required=True, help="the task's id")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what it would do; change nothing"
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
        verb = "Would give" if dry_run else "Gave"
        done = (
            f"{verb} “{task}” to {assignment.assigned} "
            f"activit{'y' if assignment.assigned == 1 else 'ies'} of “{virtual_class}”."
        )
        self.stdout.write(done if dry_run else self.style.SUCCESS(done))
        if assignment.skipped_user_ids:
            names = sorted(
                User.objects.filter(pk__in=assignment.skipped_user_ids).values_list(
                    "username", flat=True
                )
            )
            self.stdout.write(
                self.style.WARNING(
                    f"Skipped {len(names)} learner{'' if len(names) == 1 else 's'} who already "
                    f"hold this task through another class (one activity per learner per task): "
                    f"{', '.join(names)}."
                )
            )


def _get(model, pk: str, option: str, name: str):
    if not is_object_id(pk):
        raise CommandError(f"{option} {pk!r} is not an id (24 hexadecimal characters).")
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist:
        raise CommandError(f"{option}: no {name} has the id {pk}.") from None
