"""Who may see and change which policy, item, project, recognition and credit record. Every
fetch goes through here; a missing object and a forbidden one look the same (404).

- Policies and items: officers and operators create and edit them and see drafts; everyone
  else who is logged in sees the published ones only.
- Projects: an enterprise sees and edits its own; officers and operators see all, read-only.
- Recognitions and credit records: officers and operators maintain them; an enterprise sees
  its own recognitions (read-only) and never credit records."""

from __future__ import annotations

from django.http import Http404

from zhizao.accounts.roles import is_enterprise, is_staff
from zhizao.registry.models import Organization

from .enums import ItemState, NameListState, PolicyState
from .models import (
    CreditRecord,
    Loan,
    NameList,
    NameListEntry,
    Policy,
    PolicyItem,
    PolicyItemVersion,
    Project,
    ProjectDocument,
    Recognition,
    Scan,
)


def can_manage_policies(membership) -> bool:
    return is_staff(membership)


def can_maintain_records(membership) -> bool:
    return is_staff(membership)


def has_projects(membership) -> bool:
    """Enterprises keep their own projects."""
    return is_enterprise(membership)


# --- policies and items ---------------------------------------------------------------------


def policies_for(membership):
    qs = Policy.objects.select_related("region")
    if membership is None:
        return qs.none()
    if is_staff(membership):
        return qs
    return qs.filter(state=PolicyState.PUBLISHED)


def access_policy(membership, pk, *, write: bool = False) -> Policy:
    policy = policies_for(membership).filter(pk=pk).first()
    if policy is None or (write and not can_manage_policies(membership)):
        raise Http404
    return policy


def items_for(membership):
    qs = PolicyItem.objects.select_related("policy")
    if membership is None:
        return qs.none()
    if is_staff(membership):
        return qs
    return qs.filter(state=ItemState.PUBLISHED, policy__state=PolicyState.PUBLISHED)


def access_item(membership, key, *, write: bool = False) -> PolicyItem:
    item = items_for(membership).filter(key=key).first()
    if item is None or (write and not can_manage_policies(membership)):
        raise Http404
    return item


def access_item_version(membership, pk, *, write: bool = False) -> PolicyItemVersion:
    """A rule version. Non-staff see the published (or superseded) versions of visible items;
    writing is for officers and operators."""
    version = PolicyItemVersion.objects.select_related("item__policy").filter(pk=pk).first()
    if version is None or membership is None:
        raise Http404
    if is_staff(membership):
        return version
    if write or version.state == "draft":
        raise Http404
    if not items_for(membership).filter(pk=version.item_id).exists():
        raise Http404
    return version


# --- projects -------------------------------------------------------------------------------


def projects_for(membership):
    qs = Project.objects.select_related("enterprise", "region")
    if membership is None:
        return qs.none()
    if is_staff(membership):
        return qs
    if has_projects(membership):
        return qs.filter(enterprise_id=membership.organization_id)
    return qs.none()


def can_edit_project(membership, project: Project) -> bool:
    return has_projects(membership) and project.enterprise_id == membership.organization_id


def access_project(membership, pk, *, write: bool = False) -> Project:
    project = projects_for(membership).filter(pk=pk).first()
    if project is None or (write and not can_edit_project(membership, project)):
        raise Http404
    return project


def access_loan(membership, pk, *, write: bool = False) -> Loan:
    loan = Loan.objects.select_related("project", "lender").filter(pk=pk).first()
    if loan is None:
        raise Http404
    access_project(membership, loan.project_id, write=write)
    return loan


def access_document(membership, pk, *, write: bool = False) -> ProjectDocument:
    document = ProjectDocument.objects.select_related("project").filter(pk=pk).first()
    if document is None:
        raise Http404
    access_project(membership, document.project_id, write=write)
    return document


# --- recognitions and credit records --------------------------------------------------------


def access_organization_records(membership, pk) -> Organization:
    """The organisation whose recognitions and credit records staff maintain."""
    if not can_maintain_records(membership):
        raise Http404
    organization = Organization.objects.select_related("region").filter(pk=pk).first()
    if organization is None:
        raise Http404
    return organization


def recognitions_for(membership):
    qs = Recognition.objects.select_related("organization")
    if membership is None:
        return qs.none()
    if is_staff(membership):
        return qs
    return qs.filter(organization_id=membership.organization_id)


def access_recognition(membership, pk, *, write: bool = False) -> Recognition:
    recognition = recognitions_for(membership).filter(pk=pk).first()
    if recognition is None or (write and not can_maintain_records(membership)):
        raise Http404
    return recognition


def credit_records_for(membership):
    if not can_maintain_records(membership):
        return CreditRecord.objects.none()
    return CreditRecord.objects.select_related("organization")


def access_credit_record(membership, pk) -> CreditRecord:
    record = credit_records_for(membership).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


# --- scans, name lists, payments, sandbox (免申即享) -------------------------------------------
# Scans, name lists, payments and the sandbox are for officers and operators. An enterprise
# sees its own entries on announced (or final) name lists, and nothing else of them. Announced
# name lists are public (公示): anyone, logged in or not, reads them through the public pages.


def can_scan(membership) -> bool:
    return is_staff(membership)


def scans_for(membership):
    if not can_scan(membership):
        return Scan.objects.none()
    return Scan.objects.select_related("item_version__item__policy", "created_by")


def access_scan(membership, pk):
    scan = scans_for(membership).filter(pk=pk).first()
    if scan is None:
        raise Http404
    return scan


def name_lists_for(membership):
    if not can_scan(membership):
        return NameList.objects.none()
    return NameList.objects.select_related("item_version__item__policy", "scan", "created_by")


def access_name_list(membership, pk):
    name_list = name_lists_for(membership).filter(pk=pk).first()
    if name_list is None:
        raise Http404
    return name_list


def access_entry(membership, pk):
    """An entry, for the officers who manage the list and its payments."""
    if not can_scan(membership):
        raise Http404
    entry = (
        NameListEntry.objects.select_related(
            "name_list__item_version__item__policy", "enterprise", "project", "decision"
        )
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def own_entries_for(membership):
    """The acting enterprise's entries on announced or final name lists."""
    if not is_enterprise(membership):
        return NameListEntry.objects.none()
    return NameListEntry.objects.select_related(
        "name_list__item_version__item__policy", "project", "decision"
    ).filter(
        enterprise_id=membership.organization_id,
        name_list__state__in=[NameListState.ANNOUNCED, NameListState.FINAL],
    )


def access_own_entry(membership, pk):
    entry = own_entries_for(membership).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def public_name_lists():
    return NameList.objects.select_related("item_version__item__policy").filter(
        state__in=[NameListState.ANNOUNCED, NameListState.FINAL]
    )


def access_public_name_list(pk):
    name_list = public_name_lists().filter(pk=pk).first()
    if name_list is None:
        raise Http404
    return name_list


# --- the policy calculator ------------------------------------------------------------------


def access_calculator_organization(membership, pk=None) -> Organization:
    """Whose “my policies” page: without ``pk`` the enterprise's own organisation; with it,
    any organisation for officers and operators, and only its own for an enterprise. Anyone
    else gets 404."""
    if membership is None:
        raise Http404
    if pk is None:
        if not has_projects(membership):
            raise Http404
        pk = membership.organization_id
    elif not is_staff(membership) and not (
        has_projects(membership) and int(pk) == membership.organization_id
    ):
        raise Http404
    organization = Organization.objects.select_related("region").filter(pk=pk).first()
    if organization is None:
        raise Http404
    return organization
