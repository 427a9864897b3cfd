"""Accounts API: who the caller is and in which organisations and roles they can act; API
tokens (obtained with the login's checks, listed, created, rotated and revoked)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zhizao.accounts import login_messages, services
from zhizao.accounts.selectors import (
    access_own_api_token,
    actor_for_request,
    api_tokens_for_user,
)
from zhizao.accounts.services import LoginStatus

from ..permissions import ResolvesMembership

MembershipShape = inline_serializer(
    "Membership",
    fields={
        "id": serializers.IntegerField(),
        "organization": serializers.IntegerField(),
        "organization_name": serializers.CharField(),
        "role": serializers.CharField(),
        "role_label": serializers.CharField(),
        "acting": serializers.BooleanField(),
    },
)


class MeApi(APIView):
    permission_classes = [ResolvesMembership]

    @extend_schema(
        operation_id="accounts_me",
        tags=["accounts"],
        description="The caller and their memberships. Send `X-Zhizao-Membership: <id>` to act "
        "in another of them.",
        responses=inline_serializer(
            "Me",
            fields={
                "username": serializers.CharField(),
                "display_name": serializers.CharField(),
                "two_factor": serializers.BooleanField(),
                "memberships": MembershipShape.__class__(many=True),
            },
        ),
    )
    def get(self, request):
        acting = request._request.membership
        return Response(
            {
                "username": request.user.username,
                "display_name": str(request.user),
                "two_factor": request.user.totp_enabled,
                "memberships": [
                    {
                        "id": m.pk,
                        "organization": m.organization_id,
                        "organization_name": m.organization.name,
                        "role": m.role,
                        "role_label": str(m.get_role_display()),
                        "acting": acting is not None and m.pk == acting.pk,
                    }
                    for m in request._request.memberships
                ],
            }
        )


# --- tokens -----------------------------------------------------------------------------------

TokenShape = inline_serializer(
    "ApiToken",
    fields={
        "id": serializers.IntegerField(),
        "name": serializers.CharField(),
        "key_prefix": serializers.CharField(),
        "created_at": serializers.DateTimeField(),
        "last_used_at": serializers.DateTimeField(allow_null=True),
        "expires_at": serializers.DateTimeField(),
        "revoked_at": serializers.DateTimeField(allow_null=True),
        "revoked_reason": serializers.CharField(),
        "active": serializers.BooleanField(),
    },
)
IssuedShape = inline_serializer(
    "IssuedApiToken",
    fields={
        "token": serializers.CharField(help_text="The key. It is shown this once only."),
        "expires": serializers.DateTimeField(),
        "id": serializers.IntegerField(),
        "name": serializers.CharField(),
    },
)


def token_data(token, *, now) -> dict:
    return {
        "id": token.pk,
        "name": token.name,
        "key_prefix": token.key_prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "revoked_reason": token.revoked_reason,
        "active": token.is_usable(now),
    }


def issued_data(issued) -> dict:
    return {
        "token": issued.key,
        "expires": issued.token.expires_at,
        "id": issued.token.pk,
        "name": issued.token.name,
    }


class TokenObtainApi(APIView):
    """``POST /api/token/``: the web login's checks, in one request."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        operation_id="token_obtain",
        tags=["accounts"],
        description="A new API token for a user name and password, and the current code from "
        "the authenticator app (`totp`) when two-factor login is on. The same rate limit, "
        "failure waits and audit entries as the login page. The key is shown once; it expires "
        "after `ZHIZAO_API_TOKEN_DAYS` days.",
        request=inline_serializer(
            "TokenObtain",
            fields={
                "username": serializers.CharField(),
                "password": serializers.CharField(),
                "totp": serializers.CharField(required=False),
                "name": serializers.CharField(required=False),
            },
        ),
        responses={200: IssuedShape},
    )
    def post(self, request):
        data = request.data
        username = str(data.get("username", "") or "")
        password = str(data.get("password", "") or "")
        missing = {
            field: [_("This field is required.")]
            for field, value in (("username", username), ("password", password))
            if not value
        }
        if missing:
            return Response(missing, status=status.HTTP_400_BAD_REQUEST)
        try:
            result = services.obtain_api_token(
                request._request,
                username=username,
                password=password,
                code=str(data.get("totp", "") or ""),
                name=str(data.get("name", "") or ""),
            )
        except DjangoValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        outcome = result.outcome
        if outcome.status == LoginStatus.OK:
            return Response(issued_data(result.issued))
        return refusal(outcome)


def refusal(outcome) -> Response:
    """The answer to a refused login. Unknown and known user names get the same ones."""
    match outcome.status:
        case LoginStatus.RATE_LIMITED:
            return Response(
                {"code": "rate_limited", "detail": login_messages.rate_limited_message()},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        case LoginStatus.THROTTLED:
            seconds = login_messages.seconds_until(outcome.retry_at)
            return Response(
                {
                    "code": "throttled",
                    "detail": login_messages.throttled_message(outcome.retry_at),
                    "retry_after": seconds,
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(seconds)},
            )
        case LoginStatus.NEEDS_TOTP:
            code, detail = (
                "totp_required",
                _(
                    "Two-factor login is on for this account: send the current code from your "
                    "authenticator app as “totp”."
                ),
            )
        case LoginStatus.REUSED:
            code, detail = (
                "totp_reused",
                _("This code has already been used. Wait for the next code."),
            )
        case _:
            code, detail = "invalid", _("The user name, password or code is not correct.")
    body = {"code": code, "detail": detail}
    if outcome.retry_at is not None:
        body["retry_after"] = login_messages.seconds_until(outcome.retry_at)
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class TokenListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_tokens_list",
        tags=["accounts"],
        description="The caller's API tokens, newest first (keys are never shown again).",
        responses=TokenShape.__class__(many=True),
    )
    def get(self, request):
        now = timezone.now()
        return Response([token_data(t, now=now) for t in api_tokens_for_user(request.user)])

    @extend_schema(
        operation_id="accounts_tokens_create",
        tags=["accounts"],
        description="A new token for the caller. The key is in this answer only.",
        request=inline_serializer("TokenCreate", fields={"name": serializers.CharField()}),
        responses={201: IssuedShape},
    )
    def post(self, request):
        try:
            issued = services.create_api_token(
                actor_for_request(request._request),
                request.user,
                name=str(request.data.get("name", "") or ""),
            )
        except DjangoValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response(issued_data(issued), status=status.HTTP_201_CREATED)


class TokenDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_tokens_revoke",
        tags=["accounts"],
        description="Revoke one of the caller's tokens (404 for anyone else's).",
        responses={204: None},
    )
    def delete(self, request, pk: int):
        token = access_own_api_token(request.user, pk)
        services.revoke_api_token(actor_for_request(request._request), token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRotateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_tokens_rotate",
        tags=["accounts"],
        description="A new key under the same name; the old token stops at once.",
        request=None,
        responses={201: IssuedShape},
    )
    def post(self, request, pk: int):
        token = access_own_api_token(request.user, pk)
        try:
            issued = services.rotate_api_token(actor_for_request(request._request), token)
        except DjangoValidationError as error:
            return Response({"detail": error.messages[0]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(issued_data(issued), status=status.HTTP_201_CREATED)
