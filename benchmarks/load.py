"""Load the pages over HTTP, as a browser would: gunicorn with two sync workers on a loaded
database, and wrk for the requests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_bench python benchmarks/load.py

Load the database first (`make bench`, or `manage.py seed_demo --scale N`). In one run it
measures a floor (`/livez`, a constant through the same middleware) and the sign-in form (the
cheapest page rendered from a template), the class list at its
first page, its tenth and its deepest, My activities for a learner with about ten activities and
for the one with the longest history (also with one client at a time, and the ratio of their
p50s), and first completions of tasks (every request completes a different pending activity).
It prints requests per second, p50 and p99, each page's share of the floor's throughput, and
the queries each page runs (counted in-process with Django's test client).
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F, Q, Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from activities.models import UserActivity  # noqa: E402
from learning_platform.models import User  # noqa: E402

THREADS = 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (wrk -d)")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")
    busy = _learner_with_longest_history()
    if busy is None:
        sys.exit("No data here: load it first (make bench, or manage.py seed_demo --scale N).")
    light = _learner_with_about(10)
    completions = _pending_completions(limit=args.duration * 2000)
    cookies = _session_cookies([busy, light])

    # The sign-in form: the cheapest page the site renders from a template (no query), what
    # any rendered page's share of the floor is to be read against.
    pages = [("floor: /livez", "/livez", None), ("rendered floor: /login/", "/login/", None)]
    list_urls = _class_list_urls()
    pages += [(f"class list, {name}", url, None) for name, url in list_urls]
    pages += [
        (f"My activities, {n} activities", "/activities/", user)
        for n, user in ((light.n, light), (busy.n, busy))
    ]
    script_dir = Path(tempfile.mkdtemp(prefix="bench-http-"))
    port = _free_port()
    server = _start_gunicorn(port, args.workers)
    try:
        _wait_for(port)
        print(
            f"{connection.vendor}: {UserActivity.objects.count():,} activities; gunicorn "
            f"{args.workers} sync workers; "
            f"wrk -t{THREADS} -c{args.connections} -d{args.duration}s\n"
        )
        print(f"{'page':42} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'floor':>6} {'queries':>8}")
        floor = None
        for label, url, user in pages:
            header = f"Cookie: {settings.SESSION_COOKIE_NAME}={cookies[user.pk]}" if user else None
            rps, p50, p99, errors = _wrk(port, url, args, header=header)
            floor = floor or rps
            queries = _queries(url, user)
            _row(label, rps, p50, p99, rps / floor, queries, errors)
        # My activities with one client at a time: a long history should cost what a short one
        # does (the p50s' ratio), whatever the server does for sixteen clients at once.
        alone = []
        for label, url, user in pages[-2:]:
            header = f"Cookie: {settings.SESSION_COOKIE_NAME}={cookies[user.pk]}"
            _, p50, _, _ = _wrk(port, url, args, header=header, connections=1)
            alone.append(p50)
            print(f"{label + ', one client':42} {'':8} {p50:8.1f}", flush=True)
        print(f"{'My activities, one client: p50 ratio':42} {alone[1] / alone[0]:8.2f}")
        script = _completion_script(script_dir, completions)
        before = _total_classes(completions)
        rps, p50, p99, errors = _wrk(port, "/", args, script=script)
        # wrk stops with requests still in the workers: they finish before anything is counted.
        _stop(server)
        done = _total_classes(completions) - before
        _row(
            "first completions (POST)",
            rps,
            p50,
            p99,
            rps / floor,
            COMPLETION_QUERIES[connection.vendor],
            errors,
        )
        exact = _counts_are_exact(completions)
        print(
            f"\n{done:,} first completions; total_classes of their learners "
            f"{'exact' if exact else 'WRONG'} afterwards"
        )
    finally:
        _stop(server)
        shutil.rmtree(script_dir, ignore_errors=True)
    return 0 if exact else 1


def _stop(server: subprocess.Popen) -> None:
    """Stop gunicorn gracefully: each worker finishes the request it is serving."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _row(label, rps, p50, p99, share, queries, errors) -> None:
    note = f"  ({errors} non-2xx/3xx)" if errors else ""
    print(
        f"{label:42} {rps:8.0f} {p50:8.1f} {p99:8.1f} {share:6.2f} {queries:>8}{note}",
        flush=True,
    )


def _learner_with_longest_history():
    row = (
        UserActivity.objects.values("user")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("user", "n")
        .first()
    )
    if row is None:
        return None
    user = User.objects.get(pk=row[0])
    user.n = row[1]
    return user


def _learner_with_about(n: int):
    candidates = User.objects.filter(is_staff=False).order_by("pk")[:500]
    counted = (
        UserActivity.objects.filter(user__in=candidates)
        .values("user")
        .annotate(n=Count("pk"))
        .order_by("user")
    )
    best = min(counted, key=lambda row: (abs(row["n"] - n), row["user"]))
    user = User.objects.get(pk=best["user"])
    user.n = best["n"]
    return user


def _pending_completions(limit: int) -> list[tuple[str, str]]:
    """(learner id, task id) of pending activities a learner may complete now: with a task, in
    a class that has started and is not cancelled."""
    return list(
        UserActivity.objects.filter(
            completed=False,
            task__isnull=False,
            virtual_class__starts_at__lte=timezone.now(),
        )
        .exclude(virtual_class__status="cancelled")
        .values_list("user_id", "task_id")[:limit]
    )


def _session_cookies(users) -> dict[str, str]:
    """A signed-in session for each learner (one insert for all), by learner id."""
    expires = timezone.now() + timedelta(days=1)
    sessions = {}
    for user in users:
        data = {
            SESSION_KEY: user.pk,
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        key = secrets.token_hex(16)
        sessions[user.pk] = Session(
            session_key=key, session_data=SessionStore().encode(data), expire_date=expires
        )
    Session.objects.bulk_create(sessions.values(), batch_size=500)
    return {pk: session.session_key for pk, session in sessions.items()}


def _completion_script(directory: Path, completions) -> Path:
    """A wrk script sending each pending completion once, each with its learner's session.
    wrk's threads each run the script: thread k of t sends items k, k + t, k + 2t..."""
    learners = User.objects.in_bulk({user_id for user_id, _ in completions})
    cookies = _session_cookies(learners.values())
    token = secrets.token_hex(16)  # a CSRF secret, sent as both cookie and header
    lines = [
        "local threads = 0",
        "function setup(thread) thread:set('id', threads); threads = threads + 1 end",
        "local n = 0",
        "local todo = {",
        *(f'{{"{task}", "{cookies[user]}"}},' for user, task in completions),
        "}",
        "request = function()",
        f"  local item = todo[(n * {THREADS} + id) % #todo + 1]",
        "  n = n + 1",
        f'  local headers = {{["Cookie"] = "{settings.SESSION_COOKIE_NAME}=" .. item[2] ..'
        f' "; {settings.CSRF_COOKIE_NAME}={token}", ["X-CSRFToken"] = "{token}"}}',
        '  return wrk.format("POST", "/tasks/" .. item[1] .. "/complete/", headers, "")',
        "end",
    ]
    path = directory / "complete.lua"
    path.write_text("\n".join(lines))
    return path


# A first completion's queries, as tests/tasks/test_task_page.py pins them (wrk cannot count).
COMPLETION_QUERIES = {"postgresql": 3, "sqlite": 5}


def _total_classes(completions) -> int:
    users = {user for user, _ in completions}
    return User.objects.filter(pk__in=users).aggregate(s=Sum("total_classes"))["s"] or 0


def _counts_are_exact(completions) -> bool:
    """Each of these learners' total_classes equals their completed activities with a task."""
    done = Q(activities__completed=True, activities__task__isnull=False)
    return not (
        User.objects.filter(pk__in={user for user, _ in completions})
        .annotate(n=Count("activities", filter=done))
        .exclude(total_classes=F("n"))
        .exists()
    )


def _class_list_urls() -> list[tuple[str, str]]:
    """The first page, the tenth and the deepest, following the list's own links (keyset
    cursors, or page numbers where the list numbers its pages)."""
    client = Client()
    first = client.get("/classes/").content.decode()
    if "after=" in first or "last=1" in first:
        url = "/classes/"
        for _ in range(9):
            found = re.search(r'href="\?(after=[^"]+)"', client.get(url).content.decode())
            url = f"/classes/?{found.group(1)}"
        return [("page 1", "/classes/"), ("page 10", url), ("last page", "/classes/?last=1")]
    last = re.search(r"Page 1 of ([\d,]+)", first).group(1).replace(",", "")
    return [
        ("page 1", "/classes/"),
        ("page 10", "/classes/?page=10"),
        (f"last page ({last})", f"/classes/?page={last}"),
    ]


def _queries(url: str, user) -> int:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def _wrk(port: int, url: str, args, *, header=None, script=None, connections=None):
    connections = connections or args.connections
    threads = min(THREADS, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{args.duration}s", "--latency"]
    if header:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{url}"], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, _ms(out, "50%"), _ms(out, "99%"), int(errors.group(1)) if errors else 0


def _ms(out: str, percentile: str) -> float:
    value, unit = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60")}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "learning_platform.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )


def _wait_for(port: int) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")


if __name__ == "__main__":
    sys.exit(main())
