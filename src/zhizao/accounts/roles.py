"""The one role vocabulary. Every permission question starts from the acting membership
(``request.membership``, set once per request by ``ActingMembershipMiddleware``) and is answered
by these functions or by an app's ``access.py`` built on them; nothing else looks at roles.

A missing membership (anonymous, no valid choice) has no role: every predicate answers False.
``User.is_superuser`` grants nothing here — platform powers come from an operator membership.
"""

from __future__ import annotations

from .enums import ORGANIZATION_ROLES, STAFF_ROLES, SUPPLIER_ROLES, Role

__all__ = [
    "ORGANIZATION_ROLES",
    "STAFF_ROLES",
    "SUPPLIER_ROLES",
    "Role",
    "acts_for",
    "belongs_to",
    "is_enterprise",
    "is_expert",
    "is_officer",
    "is_operator",
    "is_society",
    "is_staff",
    "is_supplier",
    "role_of",
]


def role_of(membership) -> str | None:
    return membership.role if membership is not None else None


def is_operator(membership) -> bool:
    return role_of(membership) == Role.OPERATOR


def is_officer(membership) -> bool:
    return role_of(membership) == Role.OFFICER


def is_staff(membership) -> bool:
    """Operators and officers: they see the whole registry and its figures."""
    return role_of(membership) in STAFF_ROLES


def is_enterprise(membership) -> bool:
    return role_of(membership) == Role.ENTERPRISE


def is_supplier(membership) -> bool:
    """Solution providers and banks: they publish offerings."""
    return role_of(membership) in SUPPLIER_ROLES


def is_expert(membership) -> bool:
    return role_of(membership) == Role.EXPERT


def is_society(membership) -> bool:
    return role_of(membership) == Role.SOCIETY


def belongs_to(membership, organization_id) -> bool:
    """The membership is in that organisation (any role)."""
    return (
        membership is not None
        and organization_id is not None
        and membership.organization_id == organization_id
    )


def acts_for(membership, organization_id) -> bool:
    """The membership speaks for that organisation: one of its own members in an
    organisation role (enterprise, provider, bank, society)."""
    return belongs_to(membership, organization_id) and membership.role in ORGANIZATION_ROLES
