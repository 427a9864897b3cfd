"""Who may do what in the registry, object by object."""

from __future__ import annotations

import rules

from zhizao.accounts.enums import ORGANIZATION_ROLES
from zhizao.accounts.rules import active_membership, has_membership, is_operator, is_staff_role


@rules.predicate
def is_member_of(user, organization) -> bool:
    membership = active_membership(user)
    return (
        membership is not None
        and organization is not None
        and membership.organization_id == organization.pk
    )


@rules.predicate
def acts_for_own_organization(user, organization) -> bool:
    membership = active_membership(user)
    return (
        membership is not None
        and membership.role in ORGANIZATION_ROLES
        and organization is not None
        and membership.organization_id == organization.pk
    )


# Everyone with a membership browses the registry's public fields.
rules.add_perm("registry.view_organization", has_membership)
# Operators edit any organisation; an organisation edits its own profile.
rules.add_perm("registry.change_organization", is_operator | acts_for_own_organization)
rules.add_perm("registry.add_organization", is_operator)
rules.add_perm("registry.delete_organization", is_operator)
# Personal data of contacts: staff roles and the organisation's own members.
rules.add_perm("registry.view_contacts", is_staff_role | is_member_of)
rules.add_perm("registry.change_contacts", is_operator | acts_for_own_organization)
# The change history: staff roles and the organisation's own members.
rules.add_perm("registry.view_history", is_staff_role | is_member_of)
rules.add_perm("registry.export_organizations", is_staff_role)
rules.add_perm("registry.import_organizations", is_operator)
rules.add_perm("registry.view_chain", has_membership)
rules.add_perm("registry.change_chain", is_operator)
