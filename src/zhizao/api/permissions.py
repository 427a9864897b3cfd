"""The API's counterpart of ``ActingMembershipMiddleware``.

DRF authenticates token clients after the middleware has run, so the acting membership of an
API request is resolved here, once: the ``X-Zhizao-Membership`` header when sent (it must name
one of the caller's active memberships), else the browser session's choice, else the caller's
only active membership. Anything else is refused with 403 and a message — never replaced by
another membership — and the header never changes a session.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from zhizao.accounts.selectors import (
    SESSION_KEY,
    MembershipChoice,
    memberships_for_user,
    resolve_membership,
    set_request_membership,
)

HEADER = "X-Zhizao-Membership"


def resolve_api_membership(request):
    """Set ``request.membership`` on the DRF request and on the Django request under it."""
    django_request = request._request
    user = request.user
    memberships = memberships_for_user(user)
    wanted = request.headers.get(HEADER)
    if wanted is not None:
        membership, reason = resolve_membership(memberships, str(wanted).strip())
    else:
        session = getattr(django_request, "session", None)
        from_session = session.get(SESSION_KEY) if session is not None else None
        # A token request may carry a session cookie too: only a session that authenticated
        # this very request may choose for it.
        if not isinstance(request.successful_authenticator, SessionAuthentication):
            from_session = None
        membership, reason = resolve_membership(memberships, from_session)
    django_request.user = user
    set_request_membership(django_request, membership, memberships, reason)
    return membership, reason


class ActsInMembership(BasePermission):
    """Authenticated, and acting in a valid membership (see the module docstring)."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        membership, reason = resolve_api_membership(request)
        if membership is not None:
            return True
        if reason == MembershipChoice.STALE:
            raise PermissionDenied(
                _("%(header)s does not name one of your active memberships.") % {"header": HEADER}
                if request.headers.get(HEADER) is not None
                else _("The membership you chose is no longer active; choose another one.")
            )
        if reason == MembershipChoice.UNCHOSEN:
            raise PermissionDenied(
                _(
                    "You belong to several organisations: send %(header)s with the id of the "
                    "membership to act in (see /api/accounts/me/)."
                )
                % {"header": HEADER}
            )
        raise PermissionDenied(_("Your account has no active membership in any organisation."))


class ResolvesMembership(ActsInMembership):
    """Authenticated; the acting membership is resolved but may be absent (``/accounts/me/``
    is where a caller with several memberships finds their ids). A header naming a membership
    that is not the caller's is still refused."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        _membership, reason = resolve_api_membership(request)
        if reason == MembershipChoice.STALE and request.headers.get(HEADER) is not None:
            raise PermissionDenied(
                _("%(header)s does not name one of your active memberships.") % {"header": HEADER}
            )
        return True


def require(allowed: bool) -> None:
    """Missing and forbidden look the same: 404."""
    if not allowed:
        raise Http404
