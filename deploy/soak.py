"""Soak test: many learners over real HTTP against nginx + gunicorn on PostgreSQL, while a
gunicorn worker is killed and the database connections are cut, once each.

    python deploy/soak.py [--duration 120] [--learners 40] [--database postgres://.../x_soak]

Each learner has a real session (a few sign in through the login form, the rest get a session
made for them, since every password check costs the server a deliberate ~0.3 s) and posts with
the CSRF token of a page it read. At random they browse, book, join, leave, join and leave
waiting lists (of the nearly full classes), cancel, complete a task, and send the same join or
completion twice at once; a third of the joins aim at a few nearly full classes. At a third of
the run one gunicorn worker gets SIGKILL; at two thirds every database connection is terminated.
Then it prints the requests, the refusals by reason, the 5xx answers (those within a few seconds
of a fault are expected; any other fails the run) and the result of check_integrity, which must
find no breach.

The database is dropped and made again: its name must contain "soak". Every request goes to
127.0.0.1, and the run is bounded in time and in requests.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookiejar import Cookie, CookieJar

from serve import PYTHON, ROOT, Stack

PASSWORD = "soak-Password-2718"
FAULT_GRACE = 5.0  # seconds after a fault in which a 5xx is the fault's doing
HOT_CLASSES = 3
OPEN_CLASSES = 12
STARTED_CLASSES = 3  # classes under way, with a task each, that every learner has joined
MAX_REQUESTS_PER_LEARNER = 5000

MESSAGE = re.compile(r'<p class="message message-(\w+)">(.*?)</p>', re.S)
FORM_ERRORS = re.compile(r'<div class="(?:form-errors|field-error)"[^>]*>(.*?)</div>', re.S)
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLASS_URL = re.compile(r"/classes/([0-9a-f]{24})/$")
QUOTED = re.compile(r"“[^”]*”")


@dataclass
class Result:
    action: str
    outcome: str  # "ok", "unchanged" (e.g. already completed), "refused", "5xx", "error"
    reason: str = ""
    started: float = 0.0
    ended: float = 0.0


@dataclass
class World:
    """What the learners share: the classes to aim at, and every result."""

    base: str
    hot: list[str]
    open: list[str]
    tasks: list[str]
    start: float
    deadline: float
    results: list[Result] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, result: Result) -> None:
        with self.lock:
            self.results.append(result)

    def add_class(self, pk: str) -> None:
        with self.lock:
            self.open.append(pk)

    def pick_class(self, rng: random.Random) -> str:
        with self.lock:
            return rng.choice(self.hot if rng.random() < 0.35 else self.open)


class Learner:
    def __init__(self, world: World, username: str, session_key: str | None, seed: int):
        self.world = world
        self.username = username
        self.rng = random.Random(seed)
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token = ""
        self.joined: set[str] = set()
        self.waiting: set[str] = set()
        self.hosted: list[str] = []
        self.crashed = ""  # the simulation's own error, if it stopped early
        if session_key:
            self.jar.set_cookie(_cookie("sessionid", session_key))

    # HTTP -----------------------------------------------------------------------------------

    def fetch(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, body, final URL) of a GET, or of a POST with the CSRF token added."""
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.token}).encode()
        request = urllib.request.Request(self.world.base + path, data=body)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.url

    def act(self, action: str, path: str, data: dict | None = None) -> tuple[Result, str, str]:
        started = time.monotonic()
        try:
            status, text, url = self.fetch(path, data)
        except OSError as error:
            result = Result(action, "error", type(error).__name__, started, time.monotonic())
            self.world.record(result)
            return result, "", ""
        result = Result(action, "ok", "", started, time.monotonic())
        if status >= 500:
            result.outcome, result.reason = "5xx", str(status)
        elif status >= 400:
            result.outcome, result.reason = "refused", f"HTTP {status}"
        elif data is not None:
            if refusals := _messages(text, "error"):
                result.outcome, result.reason = "refused", refusals
            elif notes := _messages(text, "info"):
                result.outcome, result.reason = "unchanged", notes
        self.world.record(result)
        return result, text, url

    def sign_in(self, *, through_form: bool) -> bool:
        if through_form:
            _, text, _ = self.fetch("/login/")
            self.token = _token(text)
            result, _, url = self.act(
                "login", "/login/", {"username": self.username, "password": PASSWORD}
            )
            if result.outcome != "ok" or url.endswith("/login/"):
                return False
        _, text, _ = self.fetch("/classes/book/")
        self.token = _token(text)
        return bool(self.token)

    # What a learner does ---------------------------------------------------------------------

    def browse(self) -> None:
        path = self.rng.choice(["/", "/classes/", "/activities/", "/classes/?free_seats=on"])
        self.act("browse", path)

    def book(self) -> None:
        start = _now() + timedelta(days=self.rng.randint(1, 30), hours=self.rng.randint(0, 23))
        result, _, url = self.act(
            "book",
            "/classes/book/",
            {
                "title": f"Soak class by {self.username}",
                "class_type": "grupal",
                "max_participants": self.rng.randint(2, 5),
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        if result.outcome == "ok" and (match := CLASS_URL.search(url)):
            self.hosted.append(match[1])
            self.world.add_class(match[1])

    def post_to_class(self, action: str, suffix: str) -> Result:
        """POST to a class's `suffix` URL (a hot class a third of the time)."""
        pk = self.world.pick_class(self.rng)
        result = self.act(action, f"/classes/{pk}/{suffix}", {})[0]
        if result.outcome == "ok" and action == "join":
            self.joined.add(pk)
        return result

    def join(self) -> None:
        self.post_to_class("join", "join/")

    def leave(self) -> None:
        if not self.joined:
            return self.join()
        pk = self.rng.choice(sorted(self.joined))
        result = self.act("leave", f"/classes/{pk}/leave/", {})[0]
        if result.outcome == "ok" or "not joined" in result.reason:
            self.joined.discard(pk)

    def wait(self) -> None:
        """Join the waiting list of a hot class (full most of the time), as its page offers."""
        with self.world.lock:
            pk = self.rng.choice(self.world.hot)
        result = self.act("wait", f"/classes/{pk}/waitlist/join/", {})[0]
        if result.outcome == "ok" or "already on the waiting list" in result.reason:
            self.waiting.add(pk)

    def stop_waiting(self) -> None:
        if not self.waiting:
            return self.wait()
        pk = self.rng.choice(sorted(self.waiting))
        result = self.act("stop waiting", f"/classes/{pk}/waitlist/leave/", {})[0]
        if result.outcome != "5xx":
            # Left, or no longer in line (promoted into the class, or the class is gone).
            self.waiting.discard(pk)

    def cancel(self) -> None:
        if self.hosted:
            pk = self.hosted.pop(self.rng.randrange(len(self.hosted)))
            self.act("cancel", f"/classes/{pk}/cancel/", {})

    def complete(self) -> None:
        task = self.rng.choice(self.world.tasks)
        self.act("complete", f"/tasks/{task}/complete/", {})

    def twice(self, action: str, path: str) -> None:
        """The same post sent twice at once (a double click, a retried request)."""
        threads = [threading.Thread(target=self.act, args=(action, path, {})) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def double_join(self) -> None:
        pk = self.world.pick_class(self.rng)
        self.twice("double join", f"/classes/{pk}/join/")

    def double_complete(self) -> None:
        self.twice("double complete", f"/tasks/{self.rng.choice(self.world.tasks)}/complete/")

    def run(self) -> None:
        weights, actions = zip(*ACTIONS.values(), strict=True)
        try:
            for _ in range(MAX_REQUESTS_PER_LEARNER):
                if time.monotonic() >= self.world.deadline:
                    return
                self.rng.choices(actions, weights)[0](self)
                time.sleep(self.rng.uniform(0.01, 0.15))
        except Exception as error:
            self.crashed = f"{type(error).__name__}: {error}"
            raise


# What learners do, and how often (a weight, and the learner's method). One entry per action:
# a rule with a URL of its own on the class needs one line.
ACTIONS = {
    "browse": (3, Learner.browse),
    "book": (1, Learner.book),
    "join": (5, Learner.join),
    "leave": (3, Learner.leave),
    "wait": (2, Learner.wait),
    "stop waiting": (1, Learner.stop_waiting),
    "cancel": (0.3, Learner.cancel),
    "complete": (2, Learner.complete),
    "double join": (1, Learner.double_join),
    "double complete": (1, Learner.double_complete),
}


def _messages(text: str, level: str) -> str:
    """The messages of one level a page shows ("error" adds a form's errors), or ""."""
    found = [html.unescape(body) for kind, body in MESSAGE.findall(text) if kind == level]
    for block in FORM_ERRORS.findall(text) if level == "error" else []:
        found += [html.unescape(p) for p in PARAGRAPH.findall(block)]
    return "; ".join(QUOTED.sub("“…”", reason.strip()) for reason in found)


def _token(text: str) -> str:
    match = CSRF.search(text)
    return match[1] if match else ""


def _cookie(name: str, value: str) -> Cookie:
    return Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
        None, False, None, None, {},
    )  # fmt: skip


def _now():
    from django.utils import timezone

    return timezone.now()


# The run ------------------------------------------------------------------------------------


def prepare_database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlsplit(url).path.strip("/")
    if "soak" not in name:
        raise SystemExit(
            f"The soak database is dropped and made again: {name!r} must contain 'soak'."
        )
    admin = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlsplit(url).path.strip("/")
    admin = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(learners: int, form_logins: int) -> tuple[dict, list[str], list[str], list[str]]:
    """Learners (a session each, except those who sign in through the form), nearly full hot
    classes, open classes, and classes under way with a task that every learner holds."""
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from activities.services import assign_task
    from classes.models import VirtualClass
    from classes.services import book_class, join_class
    from learning_platform.factories import set_class_times
    from learning_platform.models import User
    from tasks.models import Task

    password = make_password(PASSWORD)  # once: the hasher is slow by design

    def people(names):
        # With an address each: every rule writes its messages, as for real learners.
        return User.objects.bulk_create(
            User(username=name, email=f"{name}@example.com", password=password) for name in names
        )

    hosts = people(f"soak-host-{i}" for i in range(6))
    users = people(f"soak-learner-{i:03d}" for i in range(learners))
    fillers = people(f"soak-filler-{i}" for i in range(4))
    start = _now() + timedelta(days=3)

    def book(host, title, seats):
        return book_class(
            host=host, title=title, class_type="grupal", max_participants=seats,
            starts_at=start, ends_at=start + timedelta(hours=1),
        )  # fmt: skip

    hot = []
    for i in range(HOT_CLASSES):
        virtual_class = book(hosts[i % len(hosts)], f"Hot class {i}", 6)
        for filler in fillers:  # 5 of 6 seats taken: one left
            join_class(user=filler, virtual_class=virtual_class)
        hot.append(virtual_class.pk)
    open_classes = [
        book(hosts[i % len(hosts)], f"Open class {i}", 10).pk for i in range(OPEN_CLASSES)
    ]
    tasks = []
    for i in range(STARTED_CLASSES):
        virtual_class = book(hosts[i % len(hosts)], f"Class under way {i}", 100)
        for user in users[:99]:
            join_class(user=user, virtual_class=virtual_class)
        task = Task.objects.create(
            title=f"Soak task {i}", description="", content="Say hello.", solved_content="Hello.",
            type="reading",
        )  # fmt: skip
        assign_task(virtual_class=virtual_class, task=task)
        tasks.append(task.pk)
    # Under way: started an hour ago, ends in two (a bulk update: no rule moves a start back).
    set_class_times(
        VirtualClass.objects.filter(title__startswith="Class under way"),
        starts_at=_now() - timedelta(hours=1),
        ends_at=_now() + timedelta(hours=2),
    )

    backend = next(
        (b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend")),
        settings.AUTHENTICATION_BACKENDS[0],
    )
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = {}
    for i, user in enumerate(users):
        if i < form_logins:
            sessions[user.username] = None
            continue
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[user.username] = store.session_key
    connection.close()  # the cut below would leave it dead
    return sessions, hot, open_classes, tasks


class Faults:
    """Kills one gunicorn worker at `kill_at`, and cuts every database connection at `cut_at`."""

    def __init__(self, stack: Stack, database: str, kill_at: float, cut_at: float):
        self.stack, self.database = stack, database
        self.schedule = [
            (kill_at, "worker killed", self.kill_worker),
            (cut_at, "database cut", self.cut),
        ]
        self.happened: list[tuple[float, str, str]] = []
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        for when, name, fault in self.schedule:
            time.sleep(max(0.0, when - time.monotonic()))
            self.happened.append((time.monotonic(), name, fault()))

    def kill_worker(self) -> str:
        pid = random.choice(self.stack.worker_pids())
        os.kill(pid, signal.SIGKILL)
        return f"SIGKILL to worker {pid}"

    def cut(self) -> str:
        import psycopg

        with psycopg.connect(self.database, autocommit=True) as connection:
            cut = connection.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()[0]
        return f"{cut} connections terminated"

    def explains(self, result: Result) -> bool:
        return any(
            result.ended >= when and result.started <= when + FAULT_GRACE
            for when, _, _ in self.happened
        )


def check_integrity(env: dict) -> tuple[int, str]:
    done = subprocess.run(
        [PYTHON, "manage.py", "check_integrity", "-v1"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode == 0:
        return 0, done.stdout.strip().splitlines()[-1]
    # The breaches (stdout), then the summary (the last line of stderr).
    lines = done.stdout.strip().splitlines()[:20] + done.stderr.strip().splitlines()[-1:]
    return done.returncode, "\n  ".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=120, help="seconds of load (10-1800)")
    parser.add_argument("--learners", type=int, default=40, help="simulated learners (2-200)")
    parser.add_argument("--form-logins", type=int, default=4, help="learners who use the form")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--database",
        default=os.environ.get(
            "SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/learning_platform_soak"
        ),
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    if not 10 <= args.duration <= 1800 or not 2 <= args.learners <= 200:
        parser.error("--duration must be 10 to 1800 seconds and --learners 2 to 200")
    seed_value = args.seed if args.seed is not None else random.randrange(1_000_000)
    print(f"Soak: {args.learners} learners for {args.duration:.0f} s, seed {seed_value}")

    prepare_database(args.database)
    os.environ.update(
        DATABASE_URL=args.database,
        DJANGO_SETTINGS_MODULE="learning_platform.settings",
        SECRET_KEY=secrets.token_urlsafe(50),  # the server's and the sessions made here
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ENV_FILE="/dev/null",
    )
    sys.path.insert(0, str(ROOT))
    try:
        # Messages are written and sent as in production, to a mail backend that keeps nothing.
        with Stack(workers=args.workers, quiet=True, env={"EMAIL_URL": "dummymail://"}) as stack:
            sessions, hot, open_classes, tasks = seed(args.learners, args.form_logins)
            world = World(stack.url, hot, open_classes, tasks, 0.0, 0.0)
            learners = [
                Learner(world, name, key, seed_value + i)
                for i, (name, key) in enumerate(sessions.items())
            ]
            signed_in = [
                learner
                for learner in learners
                if learner.sign_in(through_form=sessions[learner.username] is None)
            ]
            start = world.start = time.monotonic()
            world.deadline = start + args.duration
            faults = Faults(
                stack, args.database, start + args.duration / 3, start + args.duration * 2 / 3
            )
            faults.thread.start()
            threads = [threading.Thread(target=learner.run) for learner in signed_in]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            faults.thread.join()
            elapsed = time.monotonic() - start
            integrity_code, integrity = check_integrity(stack.env)
            server_log = stack.log_tail(40)
    finally:
        if not args.keep:
            drop_database(args.database)
    code = report(world, faults, signed_in, learners, elapsed, integrity_code, integrity)
    if code:
        print("The end of gunicorn's log:\n" + server_log)
    return code


def report(world, faults, signed_in, learners, elapsed, integrity_code, integrity) -> int:
    results = world.results
    by_action = Counter(r.action for r in results)
    outcomes = Counter(r.outcome for r in results)
    refusals = Counter(
        f"{r.outcome}, {r.action}: {r.reason}"
        for r in results
        if r.outcome in ("refused", "unchanged")
    )
    server_errors = [r for r in results if r.outcome in ("5xx", "error")]
    unexpected = [r for r in server_errors if not faults.explains(r)]
    print(f"Learners signed in: {len(signed_in)} of {len(learners)}")
    print(f"Requests: {len(results)} in {elapsed:.1f} s ({len(results) / elapsed:.0f}/s)")
    print("  by action: " + ", ".join(f"{a} {n}" for a, n in sorted(by_action.items())))
    print("  outcomes: " + ", ".join(f"{o} {n}" for o, n in sorted(outcomes.items())))
    ms = sorted((r.ended - r.started) * 1000 for r in results) or [0.0]
    print(
        f"  time per request: median {ms[len(ms) // 2]:.0f} ms, "
        f"p95 {ms[int(len(ms) * 0.95)]:.0f} ms, max {ms[-1]:.0f} ms"
    )
    for action in ("wait", "stop waiting"):
        done = Counter(r.outcome for r in results if r.action == action)
        print(
            f"  {action}: {done.total()} requests, {done['ok']} ok, "
            f"{done['refused'] + done['unchanged']} refused"
        )
    print("Refusals (and posts that changed nothing) by reason:")
    for reason, count in refusals.most_common():
        print(f"  {count:6d}  {reason}")
    print("Faults:")
    for when, name, detail in faults.happened:
        print(f"  at {when - world.start:5.1f} s: {name} ({detail})")
    print(
        f"5xx and failed connections: {len(server_errors)} "
        f"({len(server_errors) - len(unexpected)} within {FAULT_GRACE:.0f} s of a fault, "
        f"{len(unexpected)} outside)"
    )
    kinds = Counter(r.reason for r in server_errors)
    print("  " + ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items())))
    for r in unexpected[:10]:
        print(f"  unexpected: {r.action} {r.outcome} {r.reason}")
    print(f"check_integrity: {integrity.strip()}")
    failed = []
    if integrity_code != 0:
        failed.append("check_integrity found breaches")
    if unexpected:
        failed.append("5xx outside the injected faults")
    if len(faults.happened) < 2:
        failed.append("the faults did not all happen")
    if len(signed_in) < len(learners):
        failed.append("some learners could not sign in")
    if crashed := [learner.crashed for learner in signed_in if learner.crashed]:
        failed.append(f"{len(crashed)} learners stopped on an error ({crashed[0]})")
    busy = Counter(r.action for r in results if r.action != "login")
    if missing := {"book", "join", "leave", "complete", "wait"} - set(busy):
        failed.append(f"no {', '.join(sorted(missing))} at all")
    if busy.total() < len(signed_in) * 2:
        failed.append(f"too little happened: {busy.total()} requests")
    if outcomes["ok"] == 0:
        failed.append("nothing succeeded")
    print("FAIL: " + "; ".join(failed) if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
