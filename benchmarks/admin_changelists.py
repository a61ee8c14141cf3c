"""Time the staff admin's lists on a large PostgreSQL database and print the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_bench python benchmarks/admin_changelists.py

The database must be migrated. If it holds fewer than a million activities it is first filled,
in SQL, with 20,000 learners and 200,000 group classes of five (a host and four participants,
seats and activities consistent): a few minutes. Nothing is deleted afterwards; use a database
of its own.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from activities.models import UserActivity  # noqa: E402
from learning_platform.models import User  # noqa: E402

LEARNERS, CLASSES, PARTICIPANTS = 20_000, 200_000, 4
ROUNDS = 5

FILL = f"""
INSERT INTO learning_platform_user (id, password, is_superuser, username, first_name, last_name,
    email, is_staff, is_active, date_joined, level, total_classes)
SELECT lpad(to_hex(g), 24, '0'), '!', false, 'u' || g, 'First' || g, 'Last' || g,
    'u' || g || '@example.com', false, true, now() - g * interval '1 minute', 'inicial', 0
FROM generate_series(1, {LEARNERS}) g;

INSERT INTO classes_virtualclass (id, title, description, learning_focus, booked_by_id,
    current_participants, max_participants, class_type, status, starts_at, ends_at, meeting_url,
    task_id, created_at, updated_at)
SELECT lpad(to_hex(1000000 + g), 24, '0'), 'Class ' || g, '', '',
    lpad(to_hex(1 + g % {LEARNERS}), 24, '0'), {1 + PARTICIPANTS}, {2 + PARTICIPANTS}, 'grupal',
    (ARRAY['scheduled', 'completed', 'cancelled', 'pending'])[1 + g % 4],
    now() + g * interval '1 minute', now() + g * interval '1 minute' + interval '1 hour', '', NULL,
    now(), now()
FROM generate_series(1, {CLASSES}) g;

INSERT INTO classes_virtualclass_participants (virtualclass_id, user_id)
SELECT lpad(to_hex(1000000 + g), 24, '0'), lpad(to_hex(1 + (g + k * 997) % {LEARNERS}), 24, '0')
FROM generate_series(1, {CLASSES}) g, generate_series(1, {PARTICIPANTS}) k;

INSERT INTO activities_useractivity (id, rol, completed, created_at, updated_at, task_id, user_id,
    virtual_class_id)
SELECT lpad(to_hex(10000000 + g * 5 + k), 24, '0'),
    CASE WHEN k = 0 THEN 'anfitrion' ELSE 'participante' END, false,
    now() - g * interval '1 second', now(), NULL,
    lpad(to_hex(1 + (g + k * 997) % {LEARNERS}), 24, '0'), lpad(to_hex(1000000 + g), 24, '0')
FROM generate_series(1, {CLASSES}) g, generate_series(0, {PARTICIPANTS}) k;

ANALYZE;
"""

URLS = [
    "/admin/learning_platform/user/",
    "/admin/learning_platform/user/?q=u1999",
    "/admin/classes/virtualclass/",
    "/admin/classes/virtualclass/?status__exact=scheduled&starts=upcoming",
    "/admin/classes/virtualclass/?q=Class+12345",
    "/admin/activities/useractivity/",
    "/admin/activities/useractivity/?class_status=completed&completed__exact=0",
    "/admin/activities/useractivity/?user__id__exact={learner}",
    "/admin/activities/useractivity/?q=u1999",
]


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: set DATABASE_URL=postgres://...")
    if UserActivity.objects.count() < 1_000_000:
        print("Filling the database (a few minutes)...", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(FILL)
    staff, _ = User.objects.get_or_create(
        username="benchmark-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    learner = User.objects.filter(is_staff=False).order_by("pk").first()
    client = Client(SERVER_NAME="localhost")
    client.force_login(staff)
    print(f"{UserActivity.objects.count():,} activities; median of {ROUNDS} requests")
    print(f"{'ms':>8} {'queries':>8} {'slowest':>10}  page")
    for url in URLS:
        url = url.format(learner=learner.pk)
        client.get(url)  # warm caches
        times = []
        for _ in range(ROUNDS):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        slowest = max(float(q["time"]) for q in queries.captured_queries) * 1000
        print(f"{statistics.median(times):8.1f} {len(queries):8d} {slowest:8.1f}ms  {url}")


if __name__ == "__main__":
    main()
