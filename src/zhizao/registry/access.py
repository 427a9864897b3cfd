"""Who may see and change which organisation, contact list, chain and import. Every fetch goes
through here; a missing object and a forbidden one look the same (404).

- Every member (any role) browses the registry's public fields and the chains.
- Operators add, edit, archive and restore any organisation, edit chains and run imports; an
  organisation's own members in an organisation role edit its profile and contacts.
- Contacts (personal data) and the change history: staff (operators, officers) and the
  organisation's own members. Exports: staff.
- Archived organisations exist only for operators (who may restore them).
- A registered name changes directly only by an operator; an organisation's member asks for a
  new name, and operators review those requests."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404

from zhizao.accounts.roles import acts_for, belongs_to, is_operator, is_staff

from .enums import NameChangeState
from .models import ChainNode, ImportBatch, IndustrialChain, NameChangeRequest, Organization


def can_browse(membership) -> bool:
    return membership is not None


def can_view_organization(membership, organization: Organization) -> bool:
    return can_browse(membership) and (organization.is_active or is_operator(membership))


def can_add_organization(membership) -> bool:
    return is_operator(membership)


def can_change_identity(membership) -> bool:
    """Name, credit code and kind are changed by operators only."""
    return is_operator(membership)


def can_rename_organization(membership, organization: Organization | None = None) -> bool:
    """A new registered name takes effect directly only when an operator sets it; a member's
    new name becomes a request in the operators' review queue."""
    return is_operator(membership)


def can_review_name_changes(membership) -> bool:
    return is_operator(membership)


def can_archive_organization(membership, organization: Organization | None = None) -> bool:
    return is_operator(membership)


def can_change_organization(membership, organization: Organization) -> bool:
    return is_operator(membership) or acts_for(membership, organization.pk)


def can_view_contacts(membership, organization: Organization | None = None) -> bool:
    """Without an organisation: may this member see contacts in lists (staff only)."""
    if is_staff(membership):
        return True
    return organization is not None and belongs_to(membership, organization.pk)


def can_change_contacts(membership, organization: Organization) -> bool:
    return is_operator(membership) or acts_for(membership, organization.pk)


def can_view_history(membership, organization: Organization) -> bool:
    return is_staff(membership) or belongs_to(membership, organization.pk)


def can_export_organizations(membership) -> bool:
    return is_staff(membership)


def can_import_organizations(membership) -> bool:
    return is_operator(membership)


def can_view_chains(membership) -> bool:
    return membership is not None


def can_change_chain(membership, chain: IndustrialChain | None = None) -> bool:
    return is_operator(membership)


def access_organization(
    membership,
    pk,
    *,
    can: Callable[..., bool] = can_view_organization,
) -> Organization:
    """The one way to fetch an organisation; ``can`` is the check the caller needs."""
    org = (
        Organization.objects.select_related("region__parent__parent", "industry__parent__parent")
        .filter(pk=pk)
        .first()
    )
    if org is None or not can_view_organization(membership, org) or not can(membership, org):
        raise Http404
    return org


def access_chain(membership, code: str) -> IndustrialChain:
    chain = (
        IndustrialChain.objects.select_related("cluster", "leader", "region")
        .filter(code=code)
        .first()
    )
    if chain is None or not can_view_chains(membership):
        raise Http404
    return chain


def access_chain_node(membership, chain: IndustrialChain, node_id) -> ChainNode:
    """A node of ``chain`` for a member who may change the chain; 404 otherwise."""
    node = ChainNode.objects.filter(chain=chain, pk=node_id).first()
    if node is None or not can_change_chain(membership, chain):
        raise Http404
    return node


def imports_for(membership):
    qs = ImportBatch.objects.select_related("created_by").order_by("-created_at")
    return qs if can_import_organizations(membership) else qs.none()


def access_import(membership, pk) -> ImportBatch:
    batch = imports_for(membership).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def name_changes_for(membership, *, state: str | None = NameChangeState.PENDING):
    """The operators' queue of name changes (pending: oldest first; decided: newest first;
    ``state=None``: all); nobody else has one."""
    if not can_review_name_changes(membership):
        return NameChangeRequest.objects.none()
    queryset = NameChangeRequest.objects.select_related(
        "organization", "requested_by", "requester_organization", "decided_by"
    )
    if state is None:
        return queryset
    queryset = queryset.filter(state=state)
    if state == NameChangeState.PENDING:
        return queryset.order_by("requested_at", "id")
    return queryset.order_by("-decided_at", "-id")


def access_name_change(membership, pk) -> NameChangeRequest:
    request = name_changes_for(membership, state=None).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request
