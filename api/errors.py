"""Every refusal as JSON: 400 with each field's errors, 409 with the rule's message."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as RuleRefusal
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def camel_case(name: str) -> str:
    if name == NON_FIELD_ERRORS:
        return "nonFieldErrors"
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def exception_handler(exc, context):
    # The services refuse with Django's ValidationError (ClassError, ActivityError): per field
    # when the request's data was wrong, else one message for a rule, the pages' own words.
    if isinstance(exc, RuleRefusal):
        if hasattr(exc, "error_dict"):
            errors = {camel_case(field): messages for field, messages in exc.message_dict.items()}
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


@csrf_exempt  # a POST to a wrong address is a 404, not the CSRF failure page
def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any other address under /api/: a JSON 404, not the site's HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)
