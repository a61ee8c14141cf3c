"""The API's records. Each serializer declares its fields for the OpenAPI schema, and writes
its records through learning_platform.records, the one place for the seed's JSON shape (the
export uses it too); tests check that the two agree key by key."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import UserActivity
from classes.models import VirtualClass
from learning_platform import records
from learning_platform.models import User
from tasks.models import Task

OBJECT_ID_PATTERN = "^[0-9a-f]{24}$"


@extend_schema_field(
    {"type": "string", "pattern": OBJECT_ID_PATTERN, "example": "507f1f77bcf86cd799439011"}
)
class ObjectIdField(serializers.CharField):
    pass


@extend_schema_field(
    {"type": "string", "format": "date-time", "example": "2025-03-01T10:00:00.000Z"}
)
class TimestampField(serializers.CharField):
    """UTC with milliseconds and Z, as the seed writes it."""


def _read_only(serializer_class):
    """Every field of a record is read-only: requests have serializers of their own."""
    for field in serializer_class._declared_fields.values():
        field.read_only = True
    return serializer_class


@_read_only
class UserSerializer(serializers.Serializer):
    id = ObjectIdField()
    username = serializers.CharField()
    firstName = serializers.CharField()
    lastName = serializers.CharField()
    email = serializers.CharField()
    level = serializers.ChoiceField(choices=["", *User.Level.values])
    isStaff = serializers.BooleanField()
    totalClasses = serializers.IntegerField(min_value=0, help_text="Classes completed.")

    def to_representation(self, user):
        return records.user_record(user)


@_read_only
class TaskSerializer(serializers.Serializer):
    id = ObjectIdField()
    title = serializers.CharField()
    description = serializers.CharField()
    content = serializers.CharField(help_text="The exercise, in Markdown.")
    type = serializers.ChoiceField(choices=Task.Type.values)
    difficulty = serializers.ChoiceField(choices=Task.Difficulty.values)
    createdAt = TimestampField()
    updatedAt = TimestampField()
    solvedContent = serializers.CharField(
        allow_null=True,
        help_text="The solution, in Markdown: null until the learner has completed the task.",
    )

    def to_representation(self, task):
        return records.task_record(task, solved=self.context["solved"])


@_read_only
class ClassSerializer(serializers.Serializer):
    id = ObjectIdField()
    title = serializers.CharField()
    description = serializers.CharField()
    learningFocus = serializers.CharField()
    bookedById = ObjectIdField(help_text="The host.")
    classType = serializers.ChoiceField(choices=VirtualClass.Type.values)
    status = serializers.ChoiceField(choices=VirtualClass.Status.values)
    currentParticipants = serializers.IntegerField(help_text="Seats taken, the host included.")
    maxParticipants = serializers.IntegerField(help_text="Seats in all, the host included.")
    startsAt = TimestampField()
    endsAt = TimestampField()
    meetingUrl = serializers.CharField()
    taskId = ObjectIdField(allow_null=True)
    createdAt = TimestampField()
    updatedAt = TimestampField()
    participantsIds = serializers.ListField(
        child=ObjectIdField(), help_text="The learners who joined (the host is not among them)."
    )

    def to_representation(self, virtual_class):
        # participants were prefetched (see api.views): read them without another query.
        ids = [user.pk for user in virtual_class.participants.all()]
        return records.class_record(virtual_class, participant_ids=ids)


@_read_only
class ActivitySerializer(serializers.Serializer):
    """The seed's activity; with ?include=task or ?include=class, the task or class inside."""

    id = ObjectIdField()
    userId = ObjectIdField()
    taskId = ObjectIdField(allow_null=True)
    classId = ObjectIdField()
    rol = serializers.ChoiceField(choices=UserActivity.Rol.values)
    completed = serializers.BooleanField()
    createdAt = TimestampField()
    updatedAt = TimestampField()

    def get_fields(self):
        fields = super().get_fields()
        # Only with ?include=...; "class" is a Python keyword, hence not declared above. Not
        # read-only, which the schema would list as always present; never read from a request.
        fields["task"] = TaskSerializer(
            allow_null=True, required=False, help_text="With ?include=task."
        )
        fields["class"] = ClassSerializer(required=False, help_text="With ?include=class.")
        return fields

    def to_representation(self, activity):
        record = records.activity_record(activity)
        include = self.context.get("include", ())
        if "task" in include:
            record["task"] = (
                None
                if activity.task is None
                else records.task_record(activity.task, solved=activity.completed)
            )
        if "class" in include:
            record["class"] = ClassSerializer(activity.virtual_class).data
        return record


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused, for the learner.")


FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "Each field's errors (camelCase); `detail` for a request that did not parse.",
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
    "example": {"startsAt": ["A class can only be booked to start in the future."]},
}


class BookClassSerializer(serializers.Serializer):
    """What a client sends to book a class; the rules are checked by book_class."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    learningFocus = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    classType = serializers.ChoiceField(choices=VirtualClass.Type.values)
    maxParticipants = serializers.IntegerField(
        min_value=1,
        max_value=VirtualClass.MAX_SEATS,
        required=False,
        allow_null=True,
        default=None,
        help_text="Seats in all, the host included; an individual class has one (the default).",
    )
    startsAt = serializers.DateTimeField()
    endsAt = serializers.DateTimeField()
    meetingUrl = serializers.URLField(required=False, allow_blank=True, default="")

    def service_arguments(self) -> dict:
        data = self.validated_data
        return {
            "title": data["title"],
            "description": data["description"],
            "learning_focus": data["learningFocus"],
            "class_type": data["classType"],
            "max_participants": data["maxParticipants"],
            "starts_at": data["startsAt"],
            "ends_at": data["endsAt"],
            "meeting_url": data["meetingUrl"],
        }


class UpdateClassSerializer(serializers.Serializer):
    """What a client sends to change a class: only the fields it names change. The rules (who,
    until when, how many seats) are checked by update_class."""

    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    learningFocus = serializers.CharField(max_length=200, required=False, allow_blank=True)
    meetingUrl = serializers.URLField(required=False, allow_blank=True)
    startsAt = serializers.DateTimeField(required=False)
    endsAt = serializers.DateTimeField(required=False)
    maxParticipants = serializers.IntegerField(
        min_value=1,
        max_value=VirtualClass.MAX_SEATS,
        required=False,
        help_text="Seats in all, the host included; never fewer than those taken.",
    )

    SERVICE_NAMES = {
        "title": "title",
        "description": "description",
        "learningFocus": "learning_focus",
        "meetingUrl": "meeting_url",
        "startsAt": "starts_at",
        "endsAt": "ends_at",
        "maxParticipants": "max_participants",
    }

    def service_arguments(self) -> dict:
        return {self.SERVICE_NAMES[name]: value for name, value in self.validated_data.items()}


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


@_read_only
class NewTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    createdAt = TimestampField()
