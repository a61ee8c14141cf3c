"""factory-boy factories, shared by the tests and the demo data (`seed_demo`).

Classes are created through the model (so the signals run, as they would from any entry point);
participants go through `participants.add` for the same reason."""

from datetime import timedelta

import factory
from django.db.models import QuerySet
from django.utils import timezone

from activities.models import UserActivity
from classes.models import VirtualClass
from learning_platform.models import User
from tasks.models import Task

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    level = factory.Iterator([choice for choice, _ in User.Level.choices])
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True
    is_superuser = True


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Exercise {n}: ser and estar")
    description = "Choose between ser and estar."
    content = "## Fill the gaps\n\n1. Yo ___ cansado.\n2. Ella ___ médica.\n"
    solved_content = "1. **estoy** (a state)\n2. **es** (a profession)\n"
    type = Task.Type.READING
    difficulty = Task.Difficulty.MEDIUM


class VirtualClassFactory(factory.django.DjangoModelFactory):
    """A group class tomorrow with four seats; `participants=[...]` joins learners to it."""

    class Meta:
        model = VirtualClass
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Conversation class {n}")
    description = "Small talk about travel."
    learning_focus = "Past tenses"
    booked_by = factory.SubFactory(UserFactory)
    class_type = VirtualClass.Type.GRUPAL
    max_participants = 4
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda c: c.starts_at + timedelta(hours=1))

    class Params:
        individual = factory.Trait(class_type=VirtualClass.Type.INDIVIDUAL, max_participants=1)

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.add(*extracted)


def start_class(virtual_class: VirtualClass) -> VirtualClass:
    """Let time pass until `virtual_class` has started (a minute ago; it ends in an hour):
    tasks are completed only once their class starts."""
    now = timezone.now()
    set_class_times(
        VirtualClass.objects.filter(pk=virtual_class.pk),
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=1),
    )
    virtual_class.refresh_from_db(fields=["starts_at", "ends_at"])
    return virtual_class


def set_class_times(classes: QuerySet[VirtualClass], *, starts_at, ends_at) -> None:
    """Put `classes` at a time the rules would refuse (the past, say), as if time had passed,
    with their activities' copy of the start."""
    class_ids = list(classes.values_list("pk", flat=True))
    VirtualClass.objects.filter(pk__in=class_ids).update(starts_at=starts_at, ends_at=ends_at)
    UserActivity.objects.filter(virtual_class_id__in=class_ids).update(class_starts_at=starts_at)
