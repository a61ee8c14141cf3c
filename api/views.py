"""The JSON API: a door onto the same services and selectors as the pages.

Each view reads with a selector (or a queryset already narrowed to what the caller may see),
writes through a service, and answers with a record in the seed's shape. Refusals come back as
JSON (api.errors): 400 field errors, 401, 403, 404, 409 with the rule's message, 429.
"""

from django.contrib.auth import authenticate
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from activities import selectors as activity_selectors
from activities.models import UserActivity
from activities.services import complete_task
from api import services as token_services
from api.pagination import ActivityCursor, ClassCursor
from api.serializers import (
    FIELD_ERRORS_SCHEMA,
    OBJECT_ID_PATTERN,
    ActivitySerializer,
    BookClassSerializer,
    ClassSerializer,
    CredentialsSerializer,
    ErrorSerializer,
    NewTokenSerializer,
    TaskSerializer,
    UpdateClassSerializer,
    UserSerializer,
)
from api.throttling import DailyLimitReached, TokenThrottle
from classes import selectors as class_selectors
from classes import services as class_services
from classes.models import VirtualClass
from learning_platform import records, throttling
from learning_platform.models import User

ID = OpenApiParameter(
    "id",
    {"type": "string", "pattern": OBJECT_ID_PATTERN},
    OpenApiParameter.PATH,
    description="A 24-hex id.",
)
ERROR = ErrorSerializer
BAD_REQUEST = OpenApiResponse(FIELD_ERRORS_SCHEMA, description="Field errors.")
UNAUTHORIZED = OpenApiResponse(ERROR, description="Not signed in, or a bad token.")
FORBIDDEN = OpenApiResponse(ERROR, description="Signed in, but not allowed (or no CSRF token).")
NOT_FOUND = OpenApiResponse(ERROR, description="No such record that the caller may see.")
CONFLICT = OpenApiResponse(ERROR, description="A rule refused it; the message says why.")
THROTTLED = OpenApiResponse(ERROR, description="Too many writes; retry after Retry-After.")
WRITE_ERRORS = {401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT, 429: THROTTLED}

TRUE_OR_FALSE = ["true", "false"]
INCLUDES = ("task", "class")


def _classes_with_participant_ids(classes: QuerySet[VirtualClass]) -> QuerySet[VirtualClass]:
    """The classes with their participants' ids: one more query however many classes."""
    return classes.prefetch_related(Prefetch("participants", queryset=User.objects.only("pk")))


def _visible_class(request: Request, pk: str) -> VirtualClass:
    """The class if the caller may see it (a pending booking is its host's and staff's alone);
    a 404 otherwise, as on the class page."""
    return get_object_or_404(
        class_selectors.visible_to(VirtualClass.objects.all(), viewer=request.user), pk=pk
    )


def _class_response(pk: str, *, status_code: int = status.HTTP_200_OK) -> Response:
    virtual_class = class_selectors.class_with_people().get(pk=pk)
    return Response(ClassSerializer(virtual_class).data, status=status_code)


# --- Tokens and the caller ------------------------------------------------------------------


class TokenView(APIView):
    """A key for API clients: POST a username and password for a new one (any earlier key stops
    working); DELETE with a key (or a session) to revoke it."""

    throttle_classes = [TokenThrottle]

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        operation_id="token_create",
        request=CredentialsSerializer,
        responses={201: NewTokenSerializer, 400: BAD_REQUEST, 429: THROTTLED},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(request._request, **credentials.validated_data)
        if user is None:
            raise serializers.ValidationError(
                {"nonFieldErrors": ["Your username and password didn't match."]}
            )
        token, key = token_services.create_token(user=user)
        record = {"token": key, "createdAt": records.timestamp(token.created_at)}
        return Response(record, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="token_revoke",
        responses={204: None, 401: UNAUTHORIZED, 403: FORBIDDEN},
    )
    def delete(self, request: Request) -> Response:
        token_services.revoke_token(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses={200: UserSerializer, 401: UNAUTHORIZED})
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)


# --- Activities -----------------------------------------------------------------------------


class ActivityQuery(serializers.Serializer):
    completed = serializers.ChoiceField(choices=TRUE_OR_FALSE, required=False)
    rol = serializers.ChoiceField(choices=UserActivity.Rol.values, required=False)
    include = serializers.CharField(required=False, allow_blank=True)
    userId = serializers.RegexField(OBJECT_ID_PATTERN, required=False)

    def validate_include(self, value: str) -> tuple[str, ...]:
        parts = tuple(part for part in value.split(",") if part)
        if unknown := sorted(set(parts) - set(INCLUDES)):
            raise serializers.ValidationError(
                f"Unknown: {', '.join(unknown)}. Choose from: {', '.join(INCLUDES)}."
            )
        return parts


class ActivityListView(APIView):
    pagination_class = ActivityCursor  # also tells the schema that the list comes in pages

    @extend_schema(
        parameters=[
            OpenApiParameter("completed", str, enum=TRUE_OR_FALSE, description="Done or not."),
            OpenApiParameter(
                "rol", str, enum=UserActivity.Rol.values, description="Hosted or joined."
            ),
            OpenApiParameter(
                "include",
                {"type": "array", "items": {"type": "string", "enum": list(INCLUDES)}},
                explode=False,
                description="Embed each activity's task and/or class: include=task,class.",
            ),
            OpenApiParameter(
                "userId",
                {"type": "string", "pattern": OBJECT_ID_PATTERN},
                description="Staff only: another learner's activities.",
            ),
        ],
        responses={
            200: ActivitySerializer(many=True),
            400: BAD_REQUEST,
            401: UNAUTHORIZED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request) -> Response:
        """The signed-in learner's activities, newest first (the seed's common queries)."""
        query = ActivityQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        options = query.validated_data
        learner = self._learner(request, options.get("userId"))
        completed = options.get("completed")
        activities = activity_selectors.activities_for(
            user=learner,
            completed=None if completed is None else completed == "true",
            rol=options.get("rol", ""),
        )
        include = options.get("include", ())
        if "class" in include:
            activities = activities.prefetch_related(
                Prefetch("virtual_class__participants", queryset=User.objects.only("pk"))
            )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(activities, request, view=self)
        serializer = ActivitySerializer(page, many=True, context={"include": include})
        return paginator.get_paginated_response(serializer.data)

    def _learner(self, request: Request, user_id: str | None) -> User:
        if user_id is None or user_id == request.user.pk:
            return request.user
        if not request.user.is_staff:
            raise exceptions.PermissionDenied("Only staff can read another learner's activities.")
        return get_object_or_404(User, pk=user_id)


# --- Classes --------------------------------------------------------------------------------


class ClassQuery(serializers.Serializer):
    type = serializers.ChoiceField(choices=VirtualClass.Type.values, required=False)
    status = serializers.ChoiceField(choices=VirtualClass.Status.values, required=False)
    freeSeats = serializers.ChoiceField(choices=TRUE_OR_FALSE, required=False)


class ClassListView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = ClassCursor  # also tells the schema that the list comes in pages

    @extend_schema(
        parameters=[
            OpenApiParameter("type", str, enum=VirtualClass.Type.values),
            OpenApiParameter(
                "status", str, enum=VirtualClass.Status.values, description="Open ones if unset."
            ),
            OpenApiParameter("freeSeats", str, enum=TRUE_OR_FALSE, description="Seats left."),
        ],
        responses={200: ClassSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
        auth=[{"tokenAuth": []}, {"cookieAuth": []}, {}],
    )
    def get(self, request: Request) -> Response:
        """Upcoming classes, soonest first, with the class list page's filters."""
        query = ClassQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        options = query.validated_data
        classes = class_selectors.upcoming_classes(
            class_type=options.get("type", ""),
            status=options.get("status", ""),
            has_free_seats=options.get("freeSeats") == "true",
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            _classes_with_participant_ids(classes), request, view=self
        )
        return paginator.get_paginated_response(ClassSerializer(page, many=True).data)

    @extend_schema(
        request=BookClassSerializer,
        responses={201: ClassSerializer, 400: BAD_REQUEST, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        """Book a class: the caller becomes its host."""
        form = BookClassSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        if refusal := throttling.booking_refusal(request):
            message, wait = refusal
            raise DailyLimitReached(message, wait)
        virtual_class = class_services.book_class(host=request.user, **form.service_arguments())
        throttling.record_booking(request)
        response = _class_response(virtual_class.pk, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api:class-detail", kwargs={"pk": virtual_class.pk})
        return response


class ClassDetailView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        parameters=[ID],
        responses={200: ClassSerializer, 404: NOT_FOUND},
        auth=[{"tokenAuth": []}, {"cookieAuth": []}, {}],
    )
    def get(self, request: Request, pk: str) -> Response:
        classes = class_selectors.visible_to(
            class_selectors.class_with_people(), viewer=request.user
        )
        virtual_class = get_object_or_404(classes, pk=pk)
        return Response(ClassSerializer(virtual_class).data)

    @extend_schema(
        summary="Change a class (its host or staff); only the fields sent change.",
        description="",
        parameters=[ID],
        request=UpdateClassSerializer,
        responses={200: ClassSerializer, 400: BAD_REQUEST, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: str) -> Response:
        virtual_class = _visible_class(request, pk)
        form = UpdateClassSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        class_services.update_class(
            virtual_class=virtual_class, by=request.user, **form.service_arguments()
        )
        return _class_response(pk)


class _ClassAction(APIView):
    """POST runs one class service as the caller; the class comes back as it is now."""

    def act(self, request: Request, virtual_class: VirtualClass) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: str) -> Response:
        self.act(request, _visible_class(request, pk))
        return _class_response(pk)


def _action_schema(summary: str):
    return extend_schema(
        summary=summary,
        description="",
        request=None,
        parameters=[ID],
        responses={200: ClassSerializer, **WRITE_ERRORS},
    )


class JoinClassView(_ClassAction):
    @_action_schema("Join a class as a participant.")
    def post(self, request: Request, pk: str) -> Response:
        return super().post(request, pk)

    def act(self, request, virtual_class):
        class_services.join_class(user=request.user, virtual_class=virtual_class)


class LeaveClassView(_ClassAction):
    @_action_schema("Leave a class before it starts; the seat is freed.")
    def post(self, request: Request, pk: str) -> Response:
        return super().post(request, pk)

    def act(self, request, virtual_class):
        class_services.leave_class(user=request.user, virtual_class=virtual_class)


class CancelClassView(_ClassAction):
    @_action_schema("Cancel a class (its host or staff).")
    def post(self, request: Request, pk: str) -> Response:
        return super().post(request, pk)

    def act(self, request, virtual_class):
        class_services.cancel_class(virtual_class=virtual_class, by=request.user)


class WaitlistView(_ClassAction):
    """POST puts the caller on a full class's waiting list; DELETE takes them off it."""

    @_action_schema("Wait for a seat in a full class (the earliest waiting takes a freed seat).")
    def post(self, request: Request, pk: str) -> Response:
        return super().post(request, pk)

    def act(self, request, virtual_class):
        class_services.join_waitlist(user=request.user, virtual_class=virtual_class)

    @_action_schema("Stop waiting for a seat.")
    def delete(self, request: Request, pk: str) -> Response:
        virtual_class = _visible_class(request, pk)
        class_services.leave_waitlist(user=request.user, virtual_class=virtual_class)
        return _class_response(pk)


# --- Tasks ----------------------------------------------------------------------------------


def _my_activity(request: Request, task_pk: str) -> UserActivity:
    """The caller's activity holding the task: anyone else gets a 404, as on the task page."""
    return get_object_or_404(
        UserActivity.objects.select_related("task"), user=request.user, task_id=task_pk
    )


class TaskDetailView(APIView):
    @extend_schema(
        parameters=[ID],
        responses={200: TaskSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: str) -> Response:
        """A task the caller holds; its solution once they have completed it."""
        activity = _my_activity(request, pk)
        return Response(TaskSerializer(activity.task, context={"solved": activity.completed}).data)


class CompleteTaskView(APIView):
    @extend_schema(
        request=None,
        parameters=[ID],
        responses={200: ActivitySerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: str) -> Response:
        """Complete the caller's task; a repeat changes nothing and answers the same."""
        activity = _my_activity(request, pk)
        if not activity.completed:  # a repeat answers with the activity as read
            complete_task(user=request.user, task=activity.task)
            activity.refresh_from_db(fields=["completed", "updated_at"])
        return Response(ActivitySerializer(activity).data)
