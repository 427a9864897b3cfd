"""Reads for accounts: which membership a request acts in, and who can do what."""

from __future__ import annotations

import functools
import hashlib
import ipaddress

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest

from zhizao.common.audit import Actor

from .models import ApiToken, Membership, User
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


@functools.cache
def _networks(
    proxies: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [::1]:8080
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client, the one every rate limit and audit entry uses.

    ``REMOTE_ADDR`` is the client unless it is one of ``ZHIZAO_TRUSTED_PROXIES``; then
    ``X-Forwarded-For`` is read from the right (each proxy appends the address it saw) and the
    first address that is not a trusted proxy is the client. Addresses left of it were written
    by the client itself and are never believed. A malformed entry ends the walk at the last
    trusted hop's view, so a forged header cannot choose the address.
    """
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = _networks(tuple(settings.ZHIZAO_TRUSTED_PROXIES))
    if not networks or not any(remote in network for network in networks):
        return str(remote)
    client = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            break
        client = address
        if not any(address in network for network in networks):
            break
    return str(client)


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


# --- API tokens -----------------------------------------------------------------------------


def api_tokens_for_user(user) -> list[ApiToken]:
    """The user's tokens, newest first, working ones and the others alike."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))


def access_own_api_token(user, token_id) -> ApiToken:
    """One of the user's own tokens; another user's and a missing one both answer 404."""
    try:
        pk = int(token_id)
    except (TypeError, ValueError):
        raise Http404 from None
    token = ApiToken.objects.filter(pk=pk, user_id=getattr(user, "pk", None)).first()
    if token is None:
        raise Http404
    return token


def hash_api_key(key: str) -> str:
    """What the database keeps of a key. The key is 256 random bits, so a plain SHA-256 is
    enough (no slow password hash is needed to stop guessing)."""
    return hashlib.sha256(key.encode(errors="replace")).hexdigest()


def api_token_for_key(key: str) -> ApiToken | None:
    """The token a key belongs to, with its user (one query), or None."""
    if not key or len(key) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_api_key(key)).first()
