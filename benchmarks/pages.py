"""Time the learner pages and the staff admin's lists on a loaded database and print the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_bench python benchmarks/pages.py

Load the database first (`make bench` does, through `seed_demo --scale`). Each page is requested
in-process through Django's test client as the demo learner or the demo staff member: the median
of a few requests, the number of queries and the slowest query.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")
os.environ.setdefault("DEBUG", "true")  # no SECRET_KEY needed; queries are recorded

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from activities.models import UserActivity  # noqa: E402
from classes.models import VirtualClass  # noqa: E402
from learning_platform.demo import DEMO_STAFF  # noqa: E402
from learning_platform.models import User  # noqa: E402

ROUNDS = 5

LEARNER_PAGES = [
    "/",
    "/classes/",
    "/classes/?type=grupal&free_seats=on",
    "/classes/{some_class}/",
    "/activities/",
    "/activities/?progress=completed",
    "/profile/",
    "/classes/{learner_class}/calendar.ics",
    "/calendar/{feed_token}.ics",
    "/api/v1/me/",
    "/api/v1/activities/",
    "/api/v1/activities/?include=task,class",
    "/api/v1/activities/?completed=true&pageSize=100",
    "{deep_activities_page}",
    "/api/v1/classes/",
    "/api/v1/classes/?type=grupal&freeSeats=true",
    "{deep_classes_page}",
]
# How far the "deep" API pages are: the cursor is followed this many times.
DEEP_PAGES = 50
STAFF_PAGES = [
    "/admin/learning_platform/user/",
    "/admin/learning_platform/user/?q={busiest}",
    "/admin/classes/virtualclass/",
    "/admin/classes/virtualclass/?status__exact=scheduled&starts=upcoming",
    "/admin/classes/virtualclass/?q=Pronunciation",
    "/admin/classes/virtualclass/{some_class}/change/",
    "/admin/activities/useractivity/",
    "/admin/activities/useractivity/?class_status=completed&completed__exact=0",
    "/admin/activities/useractivity/?user__id__exact={busiest_id}",
    "/admin/activities/useractivity/?q={busiest}",
    "/admin/history/logentry/",
    "/admin/notifications/message/",
]


def main() -> None:
    staff = User.objects.filter(username=DEMO_STAFF.username).first()
    if staff is None:
        sys.exit("No demo data here: load it first (make bench, or manage.py seed_demo --scale N).")
    # The learner with the longest history: the dashboard's worst case.
    busiest = (
        UserActivity.objects.values("user")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("user", flat=True)[0]
    )
    learner = User.objects.get(pk=busiest)
    some_class = VirtualClass.objects.filter(status="scheduled").order_by("-starts_at").first()
    names = {
        "busiest": learner.username,
        "busiest_id": learner.pk,
        "some_class": some_class.pk,
        "learner_class": learner.activities.order_by("-created_at")[0].virtual_class_id,
        "feed_token": learner.calendar_token,
    }

    print(
        f"{connection.vendor}: {UserActivity.objects.count():,} activities, "
        f"{VirtualClass.objects.count():,} classes, {User.objects.count():,} users; "
        f"learner {learner.username} has {learner.activities.count()} activities"
    )
    print(f"median of {ROUNDS} requests\n{'ms':>8} {'queries':>8} {'slowest':>10}  page")
    for user, pages in ((learner, LEARNER_PAGES), (staff, STAFF_PAGES)):
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        if user == learner:
            names["deep_activities_page"] = _deep(client, "/api/v1/activities/")
            names["deep_classes_page"] = _deep(client, "/api/v1/classes/")
        for page in pages:
            _time(client, page.format(**names))


def _deep(client: Client, url: str) -> str:
    """The API page DEEP_PAGES cursors on from `url` (or the last one there is)."""
    for _ in range(DEEP_PAGES):
        following = client.get(url).json()["next"]
        if following is None:
            break
        url = following.removeprefix("http://localhost")
    return url


def _time(client: Client, url: str) -> None:
    client.get(url)  # warm the caches
    times = []
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
    slowest = max(float(query["time"]) for query in queries.captured_queries) * 1000
    print(f"{statistics.median(times):8.1f} {len(queries):8d} {slowest:8.1f}ms  {url}", flush=True)


if __name__ == "__main__":
    main()
