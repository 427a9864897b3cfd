from __future__ import annotations

from rest_framework.permissions import BasePermission

from zhizao.accounts.selectors import membership_for_request


class ActsInMembership(BasePermission):
    """Authenticated, with the acting membership resolved (header ``X-Zhizao-Membership`` picks
    one of the user's memberships for token clients)."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        wanted = request.headers.get("X-Zhizao-Membership")
        django_request = request._request
        if wanted and wanted.isdigit():
            from zhizao.accounts.selectors import SESSION_KEY

            if hasattr(django_request, "session"):
                django_request.session[SESSION_KEY] = int(wanted)
        django_request.user = request.user
        membership_for_request(django_request)
        return True


def require(request, perm: str, obj=None) -> None:
    """Missing and forbidden look the same: 404."""
    from django.http import Http404

    if not request.user.has_perm(perm, obj):
        raise Http404
