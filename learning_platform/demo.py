"""Demo data: learners with levels, classes of both types in every status (past and future),
tasks of every type and difficulty, and the activities the rules give them.

Two ways to fill an empty database:
- `seed_through_rules`: every class, seat, activity and completion goes through the services and
  signals (book_class, join_class, assign_task, complete_task, ...), for trying the product.
- `seed_at_scale`: bulk inserts for benchmarks. Bulk writes skip the signals, so the rows are
  built here exactly as the rules would leave them (hosts and participants hold one activity each
  with the class's task, seats are 1 + participants, `total_classes` counts completed tasks);
  `check_integrity` proves it after the load.
"""

import functools
import itertools
import random
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import factory.random
from bson import ObjectId
from django.contrib.auth.hashers import make_password
from django.db import connection, reset_queries
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from factory import Transformer

from activities.models import UserActivity
from activities.services import assign_task, complete_task
from classes.models import VirtualClass
from classes.services import book_class, cancel_class, complete_classes, join_class
from learning_platform.factories import StaffFactory, TaskFactory, UserFactory, VirtualClassFactory
from learning_platform.models import User, new_calendar_token
from tasks.models import Task

Membership = VirtualClass.participants.through


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str


DEMO_LEARNER = Login("learner", "demo", "demo-learner-2025")
DEMO_STAFF = Login("staff member (admin at /admin/)", "staff", "demo-staff-2025")

TOPICS = [
    ("Conversation: travel plans", "Future tenses"),
    ("Ordering at a restaurant", "Polite requests"),
    ("Grammar clinic: ser and estar", "Ser vs estar"),
    ("Telling stories about childhood", "Imperfect tense"),
    ("Job interview practice", "Formal register"),
    ("News of the week", "Listening comprehension"),
    ("Giving directions in the city", "Imperatives"),
    ("Debate: city or countryside", "Opinions and the subjunctive"),
    ("Pronunciation workshop", "Vowels and stress"),
    ("Writing a formal email", "Connectors"),
]

# One exercise per task of the default demo (--tasks 12), so titles are distinct without a
# counter; in the order of Task.Type (exam, audio, video, reading), so each gets its own type.
EXERCISES = [
    (
        "Ser o estar",
        "Choose the right verb in context.",
        "## Completa las frases\n\n1. Mi hermana ___ médica.\n2. Hoy ___ muy cansado.\n"
        "3. La fiesta ___ en mi casa.\n\n> Tip: think *state* versus *identity*.\n",
        "1. **es** (a profession)\n2. **estoy** (a passing state)\n3. **es** (an event's place)\n",
    ),
    (
        "Listening: a weather forecast",
        "Note the temperatures and the regions.",
        "## Escucha y completa\n\n| Región | Temperatura | Cielo |\n| --- | --- | --- |\n"
        "| Norte | ___ | ___ |\n| Sur | ___ | ___ |\n",
        "| Región | Temperatura | Cielo |\n| --- | --- | --- |\n| Norte | 12 °C | nublado |\n"
        "| Sur | 24 °C | despejado |\n",
    ),
    (
        "Video: ordering tapas",
        "Watch the scene and answer.",
        "## Preguntas\n\n1. ¿Qué pide Marta?\n2. ¿Cuánto cuesta la cuenta?\n"
        "3. ¿Cómo pide la cuenta el cliente?\n",
        "1. Patatas bravas y **una caña**.\n2. **Catorce euros**.\n"
        "3. *¿Nos trae la cuenta, por favor?*\n",
    ),
    (
        "Reading: a letter from Oaxaca",
        "Read and find the details.",
        "## Lee la carta\n\n> Querida Ana: llegué a Oaxaca el martes...\n\n"
        "1. ¿Cuándo llegó?\n2. ¿Qué comió?\n3. ¿Con quién viajó?\n",
        "1. El **martes**.\n2. **Mole negro**.\n3. Con su **prima Lucía**.\n",
    ),
    (
        "El pretérito imperfecto",
        "Describe habits in the past.",
        "## Cuando era niño...\n\nWrite five sentences about your childhood using:\n\n"
        "- *jugar*\n- *vivir*\n- *tener*\n- *ir*\n- *ser*\n",
        "Model answer:\n\n1. *Jugaba* al fútbol cada tarde.\n2. *Vivíamos* cerca del mar.\n"
        "3. *Tenía* un perro.\n4. *Iba* a la escuela en bici.\n5. *Era* muy tímido.\n",
    ),
    (
        "Listening: a voicemail from a friend",
        "Note the plan: where, when and what to bring.",
        "## Escucha el mensaje\n\n1. ¿Dónde quedan?\n2. ¿A qué hora?\n3. ¿Qué hay que llevar?\n",
        "1. En la **plaza Mayor**.\n2. A las **ocho y media**.\n3. **Una chaqueta**: hará frío.\n",
    ),
    (
        "Video: asking for directions",
        "Follow the route on the map as you watch.",
        "## Mira y contesta\n\n1. ¿Qué busca el turista?\n"
        "2. ¿Gira a la derecha o a la izquierda?\n3. ¿Cuántas calles cruza?\n",
        "1. **La estación de tren**.\n2. A la **izquierda**.\n3. **Dos** calles.\n",
    ),
    (
        "Reading: a recipe for gazpacho",
        "Read the recipe and order the steps.",
        "## Ordena los pasos\n\n- Añade el aceite poco a poco.\n- Lava los tomates.\n"
        "- Sírvelo muy frío.\n- Tritura todo.\n",
        "1. **Lava** los tomates.\n2. **Tritura** todo.\n3. **Añade** el aceite.\n"
        "4. **Sírvelo** muy frío.\n",
    ),
    (
        "El subjuntivo después de «ojalá»",
        "Wishes with the present subjunctive.",
        "## Transforma\n\nEjemplo: *Llueve mañana* → *Ojalá no llueva mañana.*\n\n"
        "1. Tengo tiempo.\n2. Vienen mis amigos.\n3. Aprobamos el examen.\n",
        "1. Ojalá **tenga** tiempo.\n2. Ojalá **vengan** mis amigos.\n"
        "3. Ojalá **aprobemos** el examen.\n",
    ),
    (
        "Listening: train station announcements",
        "Catch the platform, the time and the delay.",
        "## Completa\n\n| Tren | Andén | Salida | Retraso |\n| --- | --- | --- | --- |\n"
        "| a Sevilla | ___ | ___ | ___ |\n",
        "| Tren | Andén | Salida | Retraso |\n| --- | --- | --- | --- |\n"
        "| a Sevilla | **4** | **10:15** | **20 min** |\n",
    ),
    (
        "Video: a job interview",
        "Notice how the candidate stays formal.",
        "## Preguntas\n\n1. ¿Usa *tú* o *usted*?\n2. ¿Qué experiencia tiene?\n"
        "3. ¿Qué pregunta al final?\n",
        "1. **Usted**.\n2. **Tres años** en un hotel.\n3. *¿Cuándo sabré algo?*\n",
    ),
    (
        "Reading: a flat for rent",
        "Read the advert and find the details.",
        "## Lee el anuncio\n\n> Se alquila piso luminoso, dos habitaciones, cerca del metro...\n"
        "\n1. ¿Cuántas habitaciones tiene?\n2. ¿Qué hay cerca?\n",
        "1. **Dos**.\n2. **El metro**.\n",
    ),
]

# Every status, past and future; a past class still `scheduled` is what close_past_classes closes.
KINDS = [
    "past_completed",
    "future_scheduled",
    "past_completed",
    "future_pending",
    "future_cancelled",
    "past_scheduled",
    "past_cancelled",
    "future_scheduled",
]
STATUS_OF_KIND = {
    "past_completed": VirtualClass.Status.COMPLETED,
    "past_scheduled": VirtualClass.Status.SCHEDULED,
    "past_cancelled": VirtualClass.Status.CANCELLED,
    "future_scheduled": VirtualClass.Status.SCHEDULED,
    "future_pending": VirtualClass.Status.PENDING,
    "future_cancelled": VirtualClass.Status.CANCELLED,
}
COMPLETION_RATE = 0.7

# The bulk load groups learners in cohorts that share classes; class k of a cohort gets task k,
# so nobody can hold a task twice (one activity per learner per task) without tracking it.
COHORT_SIZE = 8
CLASSES_PER_COHORT = 40


def database_state() -> str:
    """'demo' when the demo data is loaded, 'empty' when there is nothing, else 'other'."""
    if User.objects.filter(username=DEMO_LEARNER.username).exists():
        return "demo"
    if User.objects.exists() or VirtualClass.objects.exists() or Task.objects.exists():
        return "other"
    return "empty"


def login_status(login: Login) -> str | None:
    """None if the demo account logs in with its demo password, else why not."""
    user = User.objects.filter(username=login.username).first()
    if user is None:
        return gettext("account missing")
    if not user.check_password(login.password):
        return gettext("password changed since seeding")
    return None


def seed_through_rules(*, users: int, classes: int, tasks: int, seed: int) -> Counter:
    rng = _seeded(seed)
    now = timezone.now()
    staff = _staff()
    learners = _learners(users, rng=rng)
    task_list = [_task(i) for i in range(tasks)]
    for i in range(classes):
        _class_through_rules(i, rng=rng, now=now, learners=learners, tasks=task_list, staff=staff)
    return _counts()


def seed_at_scale(
    *, activities: int, seed: int, batch_size: int, on_batch: Callable[[int], None]
) -> Counter:
    rng = _seeded(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)  # class times on the hour
    _staff()
    task_ids = [_task(i).pk for i in range(CLASSES_PER_COHORT)]
    password = make_password(DEMO_LEARNER.password)
    writer = _writer()
    written = 0
    with writer.indexes_set_aside():
        rows = _Rows(writer.moment)
        for number in itertools.count():
            _cohort_rows(number, rows, rng=rng, now=now, task_ids=task_ids, password=password)
            if len(rows.activities) >= batch_size:
                written += writer.write(rows)
                on_batch(written)
            if written + len(rows.activities) >= activities:
                break
        # One learner with a long history (the dashboard's worst case): a host of many classes.
        _busy_learner_rows(rows, rng=rng, now=now, password=password, classes=activities // 100)
        written += writer.write(rows)
        on_batch(written)
    _analyze()
    return _counts()


def _seeded(seed: int) -> random.Random:
    factory.random.reseed_random(seed)  # names from Faker repeat with the seed too
    return random.Random(seed)


def _staff() -> User:
    return StaffFactory(
        username=DEMO_STAFF.username,
        password=DEMO_STAFF.password,
        level="",
        first_name="Sofía",
        last_name="Staff",
    )


def _learners(count: int, *, rng: random.Random) -> list[User]:
    # Hashing is slow by design: hash the shared demo password once.
    password = Transformer.Force(make_password(DEMO_LEARNER.password))
    demo = UserFactory(
        username=DEMO_LEARNER.username,
        password=password,
        level=User.Level.INTERMEDIO,
        first_name="Dana",
        last_name="Demo",
    )
    others = [
        UserFactory(username=f"learner{n}", password=password, level=rng.choice(User.Level.values))
        for n in range(1, count)
    ]
    return [demo, *others]


def _task(i: int) -> Task:
    title, description, content, solved = EXERCISES[i % len(EXERCISES)]
    types, levels = Task.Type.values, Task.Difficulty.values
    return TaskFactory(
        title=title,
        description=description,
        content=content,
        solved_content=solved,
        type=types[i % len(types)],
        difficulty=levels[(i // len(types)) % len(levels)],
    )


def _class_through_rules(i, *, rng, now, learners, tasks, staff) -> None:
    kind = KINDS[i % len(KINDS)]
    individual = i % 4 == 3
    seats = 1 if individual else rng.randint(2, 6)
    demo = learners[0]
    host = demo if i % 5 == 0 else rng.choice(learners)
    title, focus = rng.choice(TOPICS)
    starts_at, ends_at = _times(kind, rng=rng, now=now)
    fields = {
        "title": title,
        "learning_focus": focus,
        "description": f"A live class on {focus.lower()}.",
        "class_type": VirtualClass.Type.INDIVIDUAL if individual else VirtualClass.Type.GRUPAL,
        "max_participants": seats,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "meeting_url": f"https://meet.example.com/class-{i + 1}",
    }
    others = [learner for learner in learners if learner.pk != host.pk]
    joiners = rng.sample(others, k=min(len(others), rng.randint(0, seats - 1)))
    if host is not demo and seats > 1 and demo not in joiners and i % 3 == 1:
        joiners = [demo, *joiners][: seats - 1]

    if kind.startswith("past"):
        # Booking and joining refuse the past; the model and participants.add still run the
        # signals that record the host's and participants' activities and seats.
        virtual_class = VirtualClassFactory(booked_by=host, **fields)
        if joiners:
            virtual_class.participants.add(*joiners)
    else:
        pending = kind == "future_pending"
        status = VirtualClass.Status.PENDING if pending else VirtualClass.Status.SCHEDULED
        virtual_class = book_class(host=host, status=status, **fields)
        for learner in [] if pending else joiners:  # nobody joins a booking not yet confirmed
            join_class(user=learner, virtual_class=virtual_class)

    if kind.endswith("cancelled"):
        # Only a class yet to start can be cancelled: a past one was cancelled before its day,
        # and time has passed since.
        ahead = max(now - virtual_class.starts_at + timedelta(days=1), timedelta(0))
        moved = VirtualClass.objects.filter(pk=virtual_class.pk)
        moved.update(starts_at=F("starts_at") + ahead, ends_at=F("ends_at") + ahead)
        virtual_class.refresh_from_db(fields=["starts_at", "ends_at"])
        cancel_class(virtual_class=virtual_class, by=staff if i % 2 else host)
        moved.update(starts_at=F("starts_at") - ahead, ends_at=F("ends_at") - ahead)
        return
    if kind == "past_completed" or rng.random() < 0.5:
        task = rng.choice(tasks)
        assign_task(virtual_class=virtual_class, task=task)
    if kind == "past_completed":
        complete_classes(classes=VirtualClass.objects.filter(pk=virtual_class.pk))
        holders = UserActivity.objects.filter(virtual_class=virtual_class, task=task)
        for activity in holders.select_related("user").order_by("user__username"):
            if activity.user_id == demo.pk or rng.random() < COMPLETION_RATE:
                complete_task(user=activity.user, task=task)


def _times(kind: str, *, rng: random.Random, now: datetime) -> tuple[datetime, datetime]:
    days = timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 12))
    start = (now - days) if kind.startswith("past") else (now + days)
    start = start.replace(minute=0, second=0, microsecond=0)
    return start, start + timedelta(minutes=rng.choice([45, 60, 90]))


FIRST_NAMES = ["Ana", "Bruno", "Carla", "Diego", "Elena", "Félix", "Gema", "Hugo", "Irene", "Jon"]
LAST_NAMES = ["García", "López", "Martín", "Navarro", "Ortega", "Pérez", "Ruiz", "Soto", "Vidal"]
BUSY_LEARNER = "busy"

USER_COLUMNS = (
    "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
    "email", "is_staff", "is_active", "date_joined", "level", "total_classes", "time_zone",
    "calendar_token", "language",
)  # fmt: skip
CLASS_COLUMNS = (
    "id", "title", "description", "learning_focus", "booked_by_id", "current_participants",
    "max_participants", "class_type", "status", "starts_at", "ends_at", "meeting_url", "task_id",
    "created_at", "updated_at", "decline_reason", "sequence",
)  # fmt: skip
MEMBERSHIP_COLUMNS = ("virtualclass_id", "user_id")
ACTIVITY_COLUMNS = (
    "id", "user_id", "virtual_class_id", "task_id", "rol", "completed", "created_at", "updated_at",
    "class_starts_at", "class_cancelled",
)  # fmt: skip


LENGTHS = [timedelta(minutes=m) for m in (45, 60, 90)]


def _quick_times(kind: str, *, draw, hour: datetime) -> tuple[datetime, datetime]:
    """As _times, from `now` already on the hour, with plain draws (the bulk load's hot path)."""
    hours = timedelta(hours=24 * (1 + int(draw() * 60)) + int(draw() * 13))
    start = hour - hours if kind.startswith("past") else hour + hours
    return start, start + LENGTHS[int(draw() * 3)]


class _Rows:
    """Rows waiting to be written, as tuples in the columns above, datetimes already in the
    database's form (`moment`)."""

    def __init__(self, moment: Callable[[datetime], object]):
        self.moment = moment
        self.new_id = _bulk_ids()
        self.clear()

    def clear(self) -> None:
        self.users, self.classes, self.memberships, self.activities = [], [], [], []


def _cohort_rows(number, rows: _Rows, *, rng, now, task_ids, password) -> None:
    """A cohort of learners with their classes, seats, activities and completions."""
    levels = User.Level.values
    stamp = rows.moment(now)
    users = []
    for n in range(COHORT_SIZE):
        username = f"learner{number}_{n}" if number or n else DEMO_LEARNER.username
        users.append([rows.new_id(), username, levels[(number + n) % len(levels)], 0])
    for k in range(CLASSES_PER_COHORT):
        _class_rows(k, users, rows, rng=rng, now=now, stamp=stamp, task_id=task_ids[k])
    for n, (user_id, username, level, completed) in enumerate(users):
        first, last = FIRST_NAMES[(number + n) % 10], LAST_NAMES[(number * 3 + n) % 9]
        rows.users.append(
            (user_id, password, None, False, username, first, last, f"{username}@example.com",
             False, True, stamp, level, completed, "", new_calendar_token(), "")
        )  # fmt: skip


def _class_rows(k, users, rows: _Rows, *, rng, now, stamp, task_id) -> None:
    draw = rng.random
    kind = KINDS[int(draw() * len(KINDS))]
    individual = draw() < 0.25
    seats = 1 if individual else 2 + int(draw() * 5)
    host = users[int(draw() * len(users))]
    others = [user for user in users if user is not host]
    joiners = [] if individual else rng.sample(others, k=1 + int(draw() * (seats - 1)))
    title, focus = TOPICS[int(draw() * len(TOPICS))]
    starts_at, ends_at = _quick_times(kind, draw=draw, hour=now)
    cancelled = kind.endswith("cancelled")  # tasks are never attached to a cancelled class
    has_task = not cancelled and (kind == "past_completed" or rng.random() < 0.5)
    class_task = task_id if has_task else None
    class_id = rows.new_id()
    # Booked (and joined) some days before it starts: histories are ordered by this.
    stamp = rows.moment(min(now, starts_at - timedelta(hours=1 + int(draw() * 300))))
    rows.classes.append(
        (class_id, title, f"A live class on {focus.lower()}.", focus, host[0], 1 + len(joiners),
         seats, "individual" if individual else "grupal", STATUS_OF_KIND[kind],
         rows.moment(starts_at), rows.moment(ends_at),
         f"https://meet.example.com/{host[1]}-{k}", class_task, stamp, stamp, "", 0)
    )  # fmt: skip
    rows.memberships += [(class_id, user[0]) for user in joiners]
    starts = rows.moment(starts_at)  # the activities copy the class's start and cancellation
    for user, rol in [(host, "anfitrion")] + [(u, "participante") for u in joiners]:
        done = kind == "past_completed" and has_task and draw() < COMPLETION_RATE
        if done:
            user[3] += 1
        rows.activities.append(
            (rows.new_id(), user[0], class_id, class_task, rol, done, stamp, stamp, starts,
             cancelled)
        )  # fmt: skip


def _busy_learner_rows(rows: _Rows, *, rng, now, password, classes: int) -> None:
    """A learner who hosted `classes` individual classes, without tasks (one activity each)."""
    stamp = rows.moment(now)
    user_id = rows.new_id()
    rows.users.append(
        (user_id, password, None, False, BUSY_LEARNER, "Berta", "Busy", "busy@example.com",
         False, True, stamp, User.Level.AVANZADO.value, 0, "", new_calendar_token(), "")
    )  # fmt: skip
    for k in range(classes):
        kind = KINDS[int(rng.random() * len(KINDS))]
        starts_at, ends_at = _quick_times(kind, draw=rng.random, hour=now)
        class_id = rows.new_id()
        stamp = rows.moment(min(now, starts_at - timedelta(hours=1 + int(rng.random() * 300))))
        rows.classes.append(
            (class_id, "Private lesson", "One to one.", "Conversation", user_id, 1, 1,
             "individual", STATUS_OF_KIND[kind], rows.moment(starts_at), rows.moment(ends_at),
             f"https://meet.example.com/busy-{k}", None, stamp, stamp, "", 0)
        )  # fmt: skip
        rows.activities.append(
            (rows.new_id(), user_id, class_id, None, "anfitrion", False, stamp, stamp,
             rows.moment(starts_at), kind.endswith("cancelled"))
        )  # fmt: skip


def _bulk_ids():
    """ObjectId strings for a bulk load: a fresh ObjectId's time and random parts, then a counter
    (what ObjectId does within a process), without building an object per id."""
    prefix = str(ObjectId())[:18]
    return map(f"{prefix}{{:06x}}".format, itertools.count(1)).__next__


def _writer():
    if connection.vendor == "postgresql":
        return _CopyWriter()
    if connection.vendor == "sqlite":
        return _SQLiteWriter()
    return _ModelWriter()


TABLES = [
    (User, USER_COLUMNS, "users"),
    (VirtualClass, CLASS_COLUMNS, "classes"),
    (Membership, MEMBERSHIP_COLUMNS, "memberships"),
    (UserActivity, ACTIVITY_COLUMNS, "activities"),
]


class _ModelWriter:
    """Any database: Django's bulk_create (MongoDB)."""

    def moment(self, value: datetime) -> datetime:
        return value

    @contextmanager
    def indexes_set_aside(self):
        yield

    def write(self, rows: _Rows) -> int:
        written = len(rows.activities)
        for model, columns, name in TABLES:
            fields = [model._meta.get_field(c).attname for c in columns]
            model.objects.bulk_create(
                (model(**dict(zip(fields, row, strict=True))) for row in getattr(rows, name)),
                batch_size=5000,
            )
        reset_queries()
        rows.clear()
        return written


class _SQLiteWriter(_ModelWriter):
    """SQLite: one prepared INSERT per table run with executemany, inside the load's
    transaction, the secondary indexes built once at the end."""

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # class times fall on whole hours: few distinct values
    def moment(value: datetime) -> str:
        return str(value.astimezone(UTC).replace(tzinfo=None))

    @contextmanager
    def indexes_set_aside(self):
        tables = [model._meta.db_table for model, _, _ in TABLES]
        marks = ", ".join(["%s"] * len(tables))
        with connection.cursor() as cursor:
            # Room to sort in memory: the default cache (2 MB) makes index builds spill to disk.
            cursor.execute("PRAGMA cache_size = -262144")
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({marks})",
                tables,
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        yield
        with connection.cursor() as cursor:
            for _, sql in indexes:
                cursor.execute(sql)

    def write(self, rows: _Rows) -> int:
        written = len(rows.activities)
        raw = connection.connection
        for model, columns, name in TABLES:
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            raw.executemany(
                f'INSERT INTO "{model._meta.db_table}" ({names}) VALUES ({marks})',
                getattr(rows, name),
            )
        rows.clear()
        return written


class _CopyWriter(_ModelWriter):
    """PostgreSQL: binary COPY into each table inside the load's transaction; the secondary
    indexes, the unique constraints and the foreign keys are set aside and made again once at
    the end (one index build or one join each, instead of a check and an index entry per row)."""

    @contextmanager
    def indexes_set_aside(self):
        tables = [model._meta.db_table for model, _, _ in TABLES]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype IN ('f', 'u') "
                "AND conrelid::regclass::text = ANY(%s) ORDER BY contype DESC",
                [tables],
            )
            constraints = cursor.fetchall()  # unique ones first: the foreign keys need them
            for table, name, _ in reversed(constraints):
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            # Binary COPY sends each value in its column's own type: read them from the tables.
            cursor.execute(
                "SELECT attrelid::regclass::text, attname, atttypid FROM pg_attribute "
                "WHERE attrelid = ANY(%s::regclass[]) AND attnum > 0",
                [tables],
            )
            types = {(table, column): oid for table, column, oid in cursor.fetchall()}
        self.types = {
            table: [types[table, column] for column in columns]
            for table, (_, columns, _) in zip(tables, TABLES, strict=True)
        }
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _, sql in indexes:
                cursor.execute(sql)
            for table, name, definition in constraints:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')

    def write(self, rows: _Rows) -> int:
        written = len(rows.activities)
        with connection.cursor() as cursor:
            for model, columns, name in TABLES:
                table = model._meta.db_table
                names = ", ".join(f'"{c}"' for c in columns)
                # Binary: no text to format here or to parse there (timestamps above all).
                with cursor.cursor.copy(
                    f'COPY "{table}" ({names}) FROM STDIN (FORMAT BINARY)'
                ) as copy:
                    copy.set_types(self.types[table])
                    for row in getattr(rows, name):
                        copy.write_row(row)
        rows.clear()
        return written


def _analyze() -> None:
    """Refresh the planner's statistics: after a bulk load they describe empty tables, and
    queries would be planned as if they still were. (PostgreSQL: see `after_bulk_load`.)"""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A sample of each index, as SQLite advises for large tables: estimates at once,
            # instead of a second read of every row.
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA analysis_limit = 0")


@contextmanager
def rollback_journal():
    """SQLite: the bulk load's transaction writes through a rollback journal instead of the
    write-ahead log. An empty database's pages are new, so the journal keeps almost nothing,
    where the log would take every page once more and copy each into the database at commit.
    Still all or nothing. The mode cannot change inside a transaction (a test's): left as is."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()
        cursor.execute("PRAGMA journal_mode = DELETE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA journal_mode = {mode}")


def after_bulk_load() -> None:
    """Once the load is committed: VACUUM ANALYZE on PostgreSQL (it cannot run in a
    transaction), which sets the statistics and the visibility map index-only scans need."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Inside a caller's transaction (a test's) VACUUM cannot run; the statistics can.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def _counts() -> Counter:
    return Counter(
        learners=User.objects.filter(is_staff=False).count(),
        staff=User.objects.filter(is_staff=True).count(),
        tasks=Task.objects.count(),
        classes=VirtualClass.objects.count(),
        activities=UserActivity.objects.count(),
        completed=UserActivity.objects.filter(completed=True).count(),
    )
