"""Accounts API: who the caller is and in which organisations and roles they can act."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

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
