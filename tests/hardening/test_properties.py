"""Property-based tests (hypothesis): whatever a client or a caller sends, the booking and
sign-up pages and the booking rule never fail with a 500 or an unexpected exception, and a
refusal writes nothing. Each example runs in its own transaction, rolled back after it."""

from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from activities import integrity
from activities.models import UserActivity
from activities.services import assign_task, complete_task
from classes.models import VirtualClass
from classes.services import book_class, cancel_class, join_class, leave_class
from learning_platform.models import User
from tests.factories import TaskFactory, UserFactory, VirtualClassFactory

EXAMPLES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Anything a browser could send: every character but lone surrogates (not encodable), NUL
# included, often short, sometimes long.
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300) | st.sampled_from(
    ["", " ", "x" * 5000, "\x00", "<script>alert(1)</script>", "'; DROP TABLE x; --"]
)


def _form_time(days: int, hours: int = 0) -> str:
    return (timezone.localtime() + timedelta(days=days, hours=hours)).strftime("%Y-%m-%dT%H:%M")


datetime_text = st.one_of(
    text,
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
        lambda moment: moment.strftime("%Y-%m-%dT%H:%M")
    ),
)
number_text = st.one_of(text, st.integers().map(str), st.integers(-3, 120).map(str))

# A valid booking with any of its fields replaced by something else, or left out: most
# examples then reach the booking rule and the database, not only the form's first check.
booking_posts = st.fixed_dictionaries(
    {},
    optional={
        "title": st.just("Tapas") | text,
        "description": st.just("") | text,
        "learning_focus": st.just("Food") | text,
        "class_type": st.sampled_from(["individual", "grupal"]) | text,
        "max_participants": st.just("4") | number_text,
        "starts_at": st.just(_form_time(3)) | datetime_text,
        "ends_at": st.just(_form_time(3, 1)) | datetime_text,
        "meeting_url": st.sampled_from(["", "https://meet.example/x", "javascript:alert(1)"])
        | text,
    },
).filter(lambda data: len(data) >= 4)

signup_posts = st.fixed_dictionaries(
    {},
    optional={
        "username": text,
        "email": st.emails() | text,
        "first_name": text,
        "last_name": text,
        "level": st.sampled_from(["", "inicial", "avanzado"]) | text,
        "password1": st.just("correct-horse-battery") | text,
        "password2": st.just("correct-horse-battery") | text,
    },
)


def _counts():
    return (VirtualClass.objects.count(), UserActivity.objects.count(), User.objects.count())


@override_settings(BOOKINGS_PER_DAY=0)  # every example may book; the limit has its own tests
class BookingPageProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.learner = UserFactory(username="prop-learner")

    @EXAMPLES
    @given(data=booking_posts)
    def test_the_booking_page_books_one_class_or_refuses_without_writing(self, data):
        self.client.force_login(self.learner)
        before = _counts()

        response = self.client.post(reverse("classes:book"), data)

        self.assertIn(response.status_code, (200, 302, 400))
        classes, activities, users = _counts()
        if response.status_code == 302:
            self.assertEqual(
                (classes, activities, users), (before[0] + 1, before[1] + 1, before[2])
            )
        else:
            self.assertEqual((classes, activities, users), before)


class SignUpPageProperties(TestCase):
    @EXAMPLES
    @given(data=signup_posts)
    def test_the_sign_up_page_creates_one_learner_or_refuses_without_writing(self, data):
        before = _counts()

        response = self.client.post(reverse("signup"), data)

        self.assertIn(response.status_code, (200, 302, 400))
        expected = (before[0], before[1], before[2] + (response.status_code == 302))
        self.assertEqual(_counts(), expected)


aware_datetimes = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.sampled_from([UTC, timezone.get_fixed_timezone(14 * 60)]) | st.timezones(),
)
near_datetimes = st.integers(min_value=-3 * 24 * 60, max_value=800 * 24 * 60).map(
    lambda minutes: timezone.now() + timedelta(minutes=minutes)
)


class BookClassArgumentProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.host = UserFactory(username="prop-host")

    @EXAMPLES
    @given(
        title=st.just("Tapas") | text,
        description=st.just("") | text,
        learning_focus=st.just("") | text,
        meeting_url=st.just("") | text,
        class_type=st.sampled_from(["individual", "grupal"]) | text,
        status=st.sampled_from(["scheduled", "pending"]) | text,
        max_participants=st.none() | st.integers(-3, 120) | st.integers(),
        starts_at=near_datetimes | aware_datetimes,
        length=st.just(timedelta(hours=1))
        | st.timedeltas(min_value=timedelta(days=-2), max_value=timedelta(days=2)),
    )
    def test_book_class_books_or_raises_a_validation_error_without_writing(
        self, starts_at, length, **arguments
    ):
        before = _counts()
        try:
            ends_at = starts_at + length
        except OverflowError:
            ends_at = starts_at
        try:
            virtual_class = book_class(
                host=self.host, starts_at=starts_at, ends_at=ends_at, **arguments
            )
        except ValidationError:
            self.assertEqual(_counts(), before)
        else:
            self.assertEqual(virtual_class.booked_by, self.host)
            self.assertEqual(_counts(), (before[0] + 1, before[1] + 1, before[2]))


class RuleSequenceProperties(TestCase):
    """Learners, the host and staff join, leave, cancel and complete in any order, on classes
    in every state: each call either does its work or raises a ValidationError that changed
    nothing, and the audit finds no breach at the end."""

    @classmethod
    def setUpTestData(cls):
        cls.host = UserFactory(username="prop-host")
        cls.staff = UserFactory(username="prop-staff", is_staff=True)
        cls.learners = [UserFactory(username=f"prop-learner{n}") for n in range(3)]
        cls.task = TaskFactory(title="Prop task")
        started = VirtualClassFactory(
            booked_by=cls.host,
            starts_at=timezone.now() - timedelta(minutes=30),
            ends_at=timezone.now() + timedelta(minutes=30),
            participants=cls.learners[:1],
        )
        assign_task(virtual_class=started, task=cls.task)
        cls.classes = [
            VirtualClassFactory(booked_by=cls.host, max_participants=3),
            VirtualClassFactory(booked_by=cls.learners[1], max_participants=2),
            VirtualClassFactory(
                booked_by=cls.host, class_type=VirtualClass.Type.INDIVIDUAL, max_participants=1
            ),
            VirtualClassFactory(booked_by=cls.host, status=VirtualClass.Status.CANCELLED),
            started,
        ]

    def _state(self):
        return (
            sorted(VirtualClass.participants.through.objects.values_list("virtualclass", "user")),
            sorted(UserActivity.objects.values_list("user", "virtual_class", "task", "completed")),
            sorted(User.objects.values_list("pk", "total_classes")),
            sorted(VirtualClass.objects.values_list("pk", "status", "current_participants")),
        )

    @settings(EXAMPLES, max_examples=30)
    @given(data=st.data())
    def test_any_sequence_of_rules_keeps_the_school_consistent(self, data):
        people = [self.host, self.staff, *self.learners]
        for _ in range(data.draw(st.integers(1, 8), label="steps")):
            rule = data.draw(st.sampled_from(["join", "leave", "cancel", "complete"]), label="rule")
            user = data.draw(st.sampled_from(people), label="user")
            virtual_class = data.draw(st.sampled_from(self.classes), label="class")
            before = self._state()
            try:
                if rule == "join":
                    join_class(user=user, virtual_class=virtual_class)
                elif rule == "leave":
                    leave_class(user=user, virtual_class=virtual_class)
                elif rule == "cancel":
                    cancel_class(virtual_class=virtual_class, by=user)
                else:
                    complete_task(user=user, task=self.task)
            except ValidationError:
                self.assertEqual(self._state(), before)
        self.assertEqual(list(integrity.audit()), [])
