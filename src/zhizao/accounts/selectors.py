"""Reads for accounts: which membership a request acts in, and who can do what."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest

from zhizao.common.audit import Actor

from .models import Membership, User

SESSION_KEY = "zhizao_membership_id"


def memberships_for_user(user) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization")
        .order_by("id")
    )


def membership_for_request(request: HttpRequest) -> Membership | None:
    """The membership the user acts in now: the one chosen in the session, else the first."""
    if hasattr(request, "_zhizao_membership"):
        return request._zhizao_membership
    user = getattr(request, "user", None)
    memberships = memberships_for_user(user)
    request._zhizao_memberships = memberships
    chosen = None
    wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    for membership in memberships:
        if membership.pk == wanted:
            chosen = membership
            break
    if chosen is None and memberships:
        chosen = memberships[0]
    request._zhizao_membership = chosen
    if user is not None and user.is_authenticated:
        user.active_membership = chosen
    return chosen


def all_memberships_for_request(request: HttpRequest) -> list[Membership]:
    membership_for_request(request)
    return request._zhizao_memberships


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


def access_managed_user(acting_user, user_id: int) -> User:
    """The user an operator manages; missing and forbidden both answer 404."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not acting_user.has_perm("accounts.manage_users"):
        raise Http404
    return user
