from unittest import mock

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.migrations.loader import MigrationLoader


class Command(BaseCommand):
    help = (
        "Fail if a model change has no migration (makemigrations --check --dry-run), without "
        "reading the database: works with a MongoDB URL and no server, as in CI."
    )

    def handle(self, *args, **options):
        # makemigrations first reads the applied history from the database, and tolerates only
        # SQL's OperationalError when it cannot: with no MongoDB server pymongo waits 30 s and
        # raises its own error. The history is not what this check is about, so it is skipped.
        with mock.patch.object(MigrationLoader, "check_consistent_history"):
            call_command("makemigrations", check=True, dry_run=True, verbosity=options["verbosity"])
