"""Reads for accounts: which membership a request acts in, and who can do what."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest

from zhizao.common.audit import Actor

from .models import Membership, User
from .roles import is_operator

SESSION_KEY = "zhizao_membership_id"


def memberships_for_user(user) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization")
        .order_by("id")
    )


class MembershipChoice:
    """Why a request has (or has not) an acting membership."""

    CHOSEN = "chosen"  # the session's choice, still valid
    ONLY = "only"  # the user's only active membership: nothing to choose
    STALE = "stale"  # the session's choice is no longer active (or never was the user's)
    UNCHOSEN = "unchosen"  # several memberships and none chosen
    NONE = "none"  # no active membership at all (or not logged in)


def resolve_membership(memberships: list[Membership], wanted) -> tuple[Membership | None, str]:
    """The acting membership among ``memberships`` for a wanted id (session or header).

    A wanted id that is not one of them is refused (``STALE``), never replaced by another
    membership; without a wanted id only a single membership is unambiguous.
    """
    if wanted not in (None, ""):
        for membership in memberships:
            if str(membership.pk) == str(wanted):
                return membership, MembershipChoice.CHOSEN
        return None, MembershipChoice.STALE
    if len(memberships) == 1:
        return memberships[0], MembershipChoice.ONLY
    if not memberships:
        return None, MembershipChoice.NONE
    return None, MembershipChoice.UNCHOSEN


def set_request_membership(request, membership: Membership | None, memberships, reason: str):
    request.membership = membership
    request.memberships = memberships
    request.membership_choice = reason


def membership_for_request(request: HttpRequest) -> Membership | None:
    """The acting membership, as ``ActingMembershipMiddleware`` (or, for the API, the
    ``ActsInMembership`` permission) set it on the request. Read ``request.membership``
    directly in new code."""
    return getattr(request, "membership", None)


def all_memberships_for_request(request: HttpRequest) -> list[Membership]:
    return getattr(request, "memberships", [])


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def actor_for_request(request: HttpRequest) -> Actor:
    membership = membership_for_request(request)
    user = request.user if request.user.is_authenticated else None
    if membership is None:
        return Actor(user=user, ip_address=client_ip(request))
    return Actor(
        user=user,
        organization_id=membership.organization_id,
        organization_name=membership.organization.name,
        role=membership.role,
        ip_address=client_ip(request),
    )


def users_for_management(*, q: str = "", role: str = ""):
    """Users for the operators' list, with their memberships in two queries in all."""
    users = User.objects.order_by("username", "id").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organization").order_by("-is_active", "id"),
        )
    )
    if q:
        users = users.filter(
            Q(username__icontains=q)
            | Q(display_name__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
        )
    if role:
        users = users.filter(
            pk__in=Membership.objects.filter(role=role, is_active=True).values("user_id")
        )
    return users


def can_manage_users(membership) -> bool:
    return is_operator(membership)


def can_view_audit_log(membership) -> bool:
    return is_operator(membership)


def access_managed_user(membership, user_id: int) -> User:
    """The user an operator manages; missing and forbidden both answer 404."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not can_manage_users(membership):
        raise Http404
    return user
