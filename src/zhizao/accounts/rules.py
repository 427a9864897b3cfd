"""Permission predicates for accounts. The facts are the user's active membership."""

from __future__ import annotations

import rules

from .enums import STAFF_ROLES, Role


def active_membership(user):
    """The membership the user acts in; set per request by ``membership_for_request``."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "active_membership"):
        user.active_membership = (
            user.memberships.filter(is_active=True, organization__is_active=True)
            .select_related("organization")
            .order_by("id")
            .first()
        )
    return user.active_membership


def active_role(user) -> str | None:
    membership = active_membership(user)
    return membership.role if membership is not None else None


@rules.predicate
def is_operator(user) -> bool:
    return active_role(user) == Role.OPERATOR


@rules.predicate
def is_staff_role(user) -> bool:
    return active_role(user) in STAFF_ROLES


@rules.predicate
def has_membership(user) -> bool:
    return active_membership(user) is not None


rules.add_perm("accounts.manage_users", is_operator)
rules.add_perm("accounts.view_users", is_operator)
rules.add_perm("common.view_audit_log", is_operator)
