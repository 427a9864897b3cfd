"""What every API operation shares: the base class, the acting membership and the audit actor,
input parsing with errors that name the field, the error shapes, money and time fields, and
paginated responses.

An operation parses its input with a serializer (body and query string alike), calls one
service and answers with a response serializer: ``parse`` → service → ``respond``.

Error shapes (contracts that operators' scripts read):

- a domain error (``PolicyError``, ``MatchError``, ``DiagnosisError``, ``RegistryError``) and a
  refused input answer ``{"code", "detail", "field"}``; a refused input adds ``errors``
  (``{field: [message, …]}``). ``detail`` names the field and what is wrong, in the user's
  language;
- the registry's organisation writes keep DRF's own shape, ``{field: [message, …]}``;
- a body that is JSON but not an object answers 400 with ``{"code": "not_an_object", …}``, for
  every operation, from the parser.
"""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView, set_rollback

from zhizao.accounts.selectors import actor_for_request
from zhizao.calls.errors import CallError
from zhizao.classroom.errors import ClassroomError
from zhizao.common.audit import Actor
from zhizao.diagnosis.errors import DiagnosisError
from zhizao.events.errors import EventError
from zhizao.matchmaking.errors import MatchError
from zhizao.policies.errors import PolicyError
from zhizao.registry.errors import RegistryError
from zhizao.review.errors import ReviewError

from .pagination import StandardPagination
from .permissions import ActsInMembership

DOMAIN_ERRORS = (
    PolicyError,
    MatchError,
    DiagnosisError,
    RegistryError,
    EventError,
    CallError,
    ReviewError,
    ClassroomError,
)


# --- input ----------------------------------------------------------------------------------


class InvalidInput(Exception):
    """A request body or query string that its serializer refused."""

    def __init__(self, errors):
        super().__init__("invalid input")
        self.errors = errors


def _first_error(errors, path: str = "") -> tuple[str, serializers.ErrorDetail | str]:
    """The first message in DRF's nested error structure, with the place it belongs to
    (``items[2]``, ``eligibility.min_cases``)."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY:
                place = path
            elif isinstance(key, int):
                place = f"{path}[{key}]"
            else:
                place = f"{path}.{key}" if path else key
            return _first_error(value, place)
    if isinstance(errors, list) and errors:
        if all(isinstance(e, str) for e in errors):
            return path, errors[0]
        for position, value in enumerate(errors):
            if value:
                return _first_error(value, f"{path}[{position}]")
    return path, str(errors)


def invalid_input_body(errors) -> dict:
    field, message = _first_error(errors)
    return {
        "code": getattr(message, "code", None) or "invalid",
        "detail": f"{field}: {message}" if field else str(message),
        "field": field or None,
        "errors": errors,
    }


def parse(serializer_class, data, **kwargs) -> dict:
    """The validated data of a body or query string, or ``InvalidInput`` (400)."""
    serializer = serializer_class(data=data, **kwargs)
    if not serializer.is_valid():
        raise InvalidInput(serializer.errors)
    return serializer.validated_data


def domain_error_body(exc) -> dict:
    return {"code": exc.code, "detail": exc.message, "field": exc.field}


# --- the base operation ---------------------------------------------------------------------


def actor(request) -> Actor:
    """Who acts, for the audit log: the user in the acting membership set by
    ``ActsInMembership`` (``request.membership``)."""
    return actor_for_request(request._request)


class ApiOperation(APIView):
    """One API operation. Authenticated and acting in a membership; a domain error answers
    ``domain_error_status`` (400 unless the operation says otherwise) with its code, message
    and field; a refused input answers 400 naming the field."""

    permission_classes = [ActsInMembership]
    domain_error_status = status.HTTP_400_BAD_REQUEST

    def handle_exception(self, exc):
        if isinstance(exc, DOMAIN_ERRORS):
            set_rollback()
            return Response(domain_error_body(exc), status=self.domain_error_status)
        if isinstance(exc, InvalidInput):
            set_rollback()
            return Response(invalid_input_body(exc.errors), status=status.HTTP_400_BAD_REQUEST)
        response = super().handle_exception(exc)
        if isinstance(exc, ParseError):
            # a body that is not JSON, or JSON that is not an object: said with a code too
            response.data = {"code": exc.detail.code, "detail": str(exc.detail), "field": None}
        return response


def respond(
    serializer_class, instance, *, many=False, status_code: int = status.HTTP_200_OK, **context
) -> Response:
    """``instance`` written by its response serializer (``context`` passed on)."""
    return Response(serializer_class(instance, many=many, context=context).data, status=status_code)


def paged(request, view, queryset, serializer_class, **context) -> Response:
    paginator = StandardPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True, context=context).data)


@cache
def paginated(serializer_class):
    """The schema of a page of ``serializer_class`` (what ``paged`` answers)."""
    name = serializer_class.__name__.removesuffix("Serializer")
    return type(
        f"Paginated{name}List",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


# --- shapes shared by the answers -----------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    field = serializers.CharField(allow_null=True, required=False)
    errors = serializers.DictField(required=False)


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$", "example": "1000.00"}
)
class MoneyField(serializers.Field):
    """An amount as stored (``Decimal``), written as its exact decimal string; None stays
    None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value is None else str(value)


class IsoDateTimeField(serializers.DateTimeField):
    """A stored time written as ``isoformat()`` (the offset it is stored with), as the API
    has always answered."""

    def to_representation(self, value):
        if not value:
            return None
        return value.isoformat()


class RefSerializer(serializers.Serializer):
    """``{"id", "name"}`` of an organisation (or another named object)."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class QueryInt(serializers.IntegerField):
    """An integer query parameter: ``?top=abc``, ``?top=1e3`` and out-of-range numbers are
    refused with a message naming the parameter."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


# --- input fields ---------------------------------------------------------------------------

MAX_ID = 2**63 - 1


class IdField(serializers.IntegerField):
    """The id of a stored object: a positive integer that fits the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class TextInput(serializers.CharField):
    """Optional text; what it must contain is the service's check."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)


class OptionalDateField(serializers.DateField):
    """``YYYY-MM-DD``; empty or null is no date. A bad date is refused with ``bad_date``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data == "":
            return (True, None)
        return super().validate_empty_values(data)

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except serializers.ValidationError as error:
            raise serializers.ValidationError(error.detail[0], code="bad_date") from None


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": r"^\d{1,14}(\.\d{1,6})?$",
        "nullable": True,
        "example": "1000000.00",
    }
)
class AmountInput(serializers.Field):
    """An amount (or a rate) as text or a number, passed on as given: the service refuses
    negatives and more decimal places than stored, and keeps None (unknown) apart from 0.
    Numbers beyond 14 integer digits are refused here."""

    default_error_messages = {
        "invalid": gettext_lazy("A number is required."),
        "max_digits": gettext_lazy(
            "Ensure that there are no more than 14 digits before the decimal point."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        if isinstance(data, float) and (data != data or data in (float("inf"), float("-inf"))):
            self.fail("invalid")
        text = str(data).strip()
        whole = text.lstrip("+-").split(".")[0].lower()
        if "e" in whole or len(whole.lstrip("0")) > 14:
            self.fail("max_digits")
        return data

    def to_representation(self, value):
        return None if value is None else str(value)
