"""What a password guess costs the server, before and after the account is throttled.

    python benchmarks/login_throttling.py

Runs on a scratch SQLite database in /tmp with the real password hasher. A wrong password
costs a password hash; once the account is throttled a guess is refused before hashing.
"""

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")
os.environ.setdefault("DEBUG", "true")
scratch = Path(tempfile.mkdtemp()) / "login_bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
os.environ.pop("REDIS_URL", None)
os.environ.pop("CACHE_URL", None)

import django  # noqa: E402

django.setup()
logging.getLogger("django.request").setLevel(logging.ERROR)  # 429s are the point here

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from learning_platform.models import User  # noqa: E402

GUESSES = 20


def _median_ms(client: Client, count: int) -> tuple[float, set[int]]:
    times, statuses = [], set()
    for _ in range(count):
        start = time.perf_counter()
        response = client.post("/login/", {"username": "target", "password": "guess"})
        times.append((time.perf_counter() - start) * 1000)
        statuses.add(response.status_code)
    return statistics.median(times), statuses


def main() -> None:
    call_command("migrate", verbosity=0)
    User.objects.create_user("target", password="correct-horse-battery")
    settings.LOGIN_FAILURES_PER_ACCOUNT = f"{GUESSES}/15m"
    settings.LOGIN_FAILURES_PER_ADDRESS = "1000/15m"
    client = Client(HTTP_HOST="localhost")
    counted, counted_statuses = _median_ms(client, GUESSES)
    refused, refused_statuses = _median_ms(client, GUESSES)
    print(f"hasher: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}")
    print(
        f"wrong password, counted:  median {counted:7.2f} ms  statuses {sorted(counted_statuses)}"
    )
    print(
        f"throttled, refused:       median {refused:7.2f} ms  statuses {sorted(refused_statuses)}"
    )
    scratch.unlink()


if __name__ == "__main__":
    main()
