"""Moving data between databases with dumpdata and loaddata (the README's commands) keeps every
record, id and relation: the dump of the copy equals the dump of the original.

The target databases are fresh ones, migrated and loaded by `manage.py` in its own process, as an
operator would do it.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.transfer.conftest import DUMP_OPTIONS, dump, records

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")


def _manage(database_url: str, *arguments: str) -> None:
    environment = os.environ | {"DATABASE_URL": database_url, "DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _copy(dump_path: Path, database_url: str, copy_path: Path) -> list[dict]:
    """Load the dump into the empty database at `database_url`; return that database's dump."""
    _manage(database_url, "migrate", "--no-input")
    _manage(database_url, "loaddata", str(dump_path))
    _manage(database_url, "dumpdata", *DUMP_OPTIONS, f"--output={copy_path}")
    return records(copy_path)


@pytest.fixture
def scratch_postgres_url():
    """A new, empty PostgreSQL database beside the test one, dropped afterwards."""
    import psycopg

    server = urlsplit(POSTGRES_URL)
    name = f"{server.path.strip('/') or 'learning_platform'}_transfer_{uuid.uuid4().hex[:8]}"
    admin_url = server._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield server._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_loaded_into_a_new_sqlite_database_is_the_same(school, tmp_path):
    original = dump(tmp_path / "original.json")

    copy = _copy(
        tmp_path / "original.json", f"sqlite:///{tmp_path / 'copy.sqlite3'}", tmp_path / "copy.json"
    )

    assert copy == original


@pytest.mark.skipif(
    not POSTGRES_URL, reason="needs a PostgreSQL server: set TEST_POSTGRES_URL (make test does)"
)
def test_a_dump_goes_to_postgresql_and_back_to_sqlite_unchanged(
    school, tmp_path, scratch_postgres_url
):
    original = dump(tmp_path / "original.json")

    in_postgres = _copy(tmp_path / "original.json", scratch_postgres_url, tmp_path / "pg.json")
    back = _copy(
        tmp_path / "pg.json", f"sqlite:///{tmp_path / 'back.sqlite3'}", tmp_path / "back.json"
    )

    assert in_postgres == original
    assert back == original
