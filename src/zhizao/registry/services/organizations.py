"""Writes to organisations and their contacts. Each is atomic, permission-checked by the caller's
``access_*`` fetch, and audited here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor, AuditAction, diff, record
from zhizao.common.bulk import bulk_write
from zhizao.common.notifications import notify
from zhizao_core.text import normalize_search_text, organization_name_key

from ..enums import NameChangeState
from ..errors import NAME_TAKEN, RegistryError
from ..models import Contact, NameChangeRequest, Organization
from ..selectors import organization_name_taken

PROFILE_FIELDS = (
    "name",
    "uscc",
    "kind",
    "region_id",
    "industry_id",
    "size",
    "founded_year",
    "employees",
    "revenue_wan",
    "address",
    "website",
    "description",
    "products",
    "capabilities",
)
CONTACT_FIELDS = ("name", "title", "phone", "email", "is_primary")


def name_sort_key(name: str) -> str:
    """Hex of the GBK bytes: GBK orders its 3,755 common characters by pinyin."""
    return name.encode("gbk", errors="replace").hex()[:400]


def derived_fields(
    *,
    name: str,
    uscc: str,
    region: str,
    industry: str | None,
    products: list[str] | tuple[str, ...],
    capabilities: list[str] | tuple[str, ...],
) -> dict[str, str]:
    """The denormalised columns that filters, search and sorting read."""
    industry = industry or ""
    return {
        "province_code": region[:2] + "0000" if region else "",
        "city_code": region[:4] + "00" if region else "",
        "industry_division": industry[:2] if len(industry) >= 2 and industry[:2].isdigit() else "",
        "industry_group": industry[:3] if len(industry) >= 3 else "",
        "search_text": normalize_search_text(
            name, " ".join(products or []), " ".join(capabilities or []), uscc
        ),
        "name_sort": name_sort_key(name),
        "name_key": organization_name_key(name),
    }


def refresh_derived_fields(org: Organization) -> None:
    for key, value in derived_fields(
        name=org.name,
        uscc=org.uscc,
        region=org.region_id or "",
        industry=org.industry_id,
        products=org.products,
        capabilities=org.capabilities,
    ).items():
        setattr(org, key, value)


def snapshot(org: Organization) -> dict[str, Any]:
    data = {field: getattr(org, field) for field in PROFILE_FIELDS}
    if org.pk:
        data["clusters"] = sorted(org.clusters.values_list("code", flat=True))
        data["chain_nodes"] = sorted(org.chain_nodes.values_list("code", flat=True))
    return data


# Derived columns are not validated field by field; the name's uniqueness is checked by
# ``_check_name_free`` with the error on the name itself.
CLEAN_EXCLUDE = ["province_code", "city_code", "search_text", "name_sort", "name_key"]


def _name_taken_error() -> ValidationError:
    return ValidationError({"name": [ValidationError(NAME_TAKEN, code="name_taken")]})


def _check_name_free(org: Organization) -> None:
    """Two active organisations never share a name (compared as ``name_key``)."""
    if org.is_active and organization_name_taken(org.name, exclude=org.pk):
        raise _name_taken_error()


def _save(org: Organization) -> None:
    """Save; a concurrent writer that took the same name first (the database's unique
    constraint) gives the same error as the check before."""
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError:
        if org.is_active and organization_name_taken(org.name, exclude=org.pk):
            raise _name_taken_error() from None
        raise


@transaction.atomic
def create_organization(
    actor: Actor,
    *,
    data: Mapping[str, Any],
    clusters: Iterable[int] = (),
    chain_nodes: Iterable[int] = (),
) -> Organization:
    org = Organization(**{key: value for key, value in data.items() if key in PROFILE_FIELDS})
    refresh_derived_fields(org)
    org.full_clean(exclude=CLEAN_EXCLUDE)
    _check_name_free(org)
    _save(org)
    org.clusters.set(list(clusters))
    org.chain_nodes.set(list(chain_nodes))
    record(actor, AuditAction.CREATE, org, changes=diff({}, snapshot(org)))
    return org


@dataclass(frozen=True)
class OrganizationUpdate:
    """What ``update_organization`` did: the changes written, and the name-change request it
    raised instead of renaming (or None)."""

    changes: dict[str, list[Any]]
    name_change: NameChangeRequest | None = None


@transaction.atomic
def update_organization(
    actor: Actor,
    org: Organization,
    *,
    data: Mapping[str, Any],
    clusters: Iterable[int] | None = None,
    chain_nodes: Iterable[int] | None = None,
    rename_directly: bool = False,
    name_change_reason: str = "",
) -> OrganizationUpdate:
    """Apply ``data`` to ``org``. A new name is applied only with ``rename_directly`` (operators);
    otherwise it becomes a pending name-change request (``name_change_reason`` required) and the
    organisation keeps its name until an operator approves it. All of it or nothing."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    before = snapshot(org)
    stored_key = org.name_key
    new_name = data.get("name", org.name)
    wants_rename = "name" in data and new_name != org.name
    for key, value in data.items():
        if key in PROFILE_FIELDS and not (key == "name" and not rename_directly):
            setattr(org, key, value)
    refresh_derived_fields(org)
    if org.name == before["name"]:
        org.name_key = stored_key  # unchanged name, unchanged key
    org.full_clean(exclude=CLEAN_EXCLUDE)
    if org.name != before["name"]:
        _check_name_free(org)
    name_change = None
    if wants_rename and not rename_directly:
        name_change = request_name_change(actor, org, new_name=new_name, reason=name_change_reason)
    if clusters is not None:
        org.clusters.set(list(clusters))
    if chain_nodes is not None:
        org.chain_nodes.set(list(chain_nodes))
    changes = diff(before, snapshot(org))
    if changes:
        _save(org)
        record(actor, AuditAction.UPDATE, org, changes=changes)
    return OrganizationUpdate(changes=changes, name_change=name_change)


# --- reviewed name changes --------------------------------------------------------------------


def clean_organization_name(name: str) -> str:
    """Trimmed, inner runs of whitespace as one space (as the import reads names)."""
    return " ".join((name or "").split())


def request_name_change(
    actor: Actor,
    org: Organization,
    *,
    new_name: str,
    reason: str,
    import_batch=None,
) -> NameChangeRequest:
    """Record a pending change of ``org``'s registered name. A pending request of the same
    organisation is superseded by this one. Raises ``ValidationError`` naming the field
    (``name`` or ``name_change_reason``)."""
    new_name = clean_organization_name(new_name)
    reason = (reason or "").strip()
    errors: dict[str, list[ValidationError]] = {}
    if not 2 <= len(new_name) <= 200:
        errors["name"] = [
            ValidationError(_("The name must have 2 to 200 characters."), code="name_length")
        ]
    elif new_name == org.name:
        errors["name"] = [
            ValidationError(_("The new name is the current name."), code="name_unchanged")
        ]
    elif organization_name_taken(new_name, exclude=org.pk):
        errors["name"] = [ValidationError(NAME_TAKEN, code="name_taken")]
    if not reason:
        errors["name_change_reason"] = [
            ValidationError(
                _("Give the reason for the name change (for the operator who reviews it)."),
                code="required",
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        now = timezone.now()
        for previous in NameChangeRequest.objects.select_for_update().filter(
            organization=org, state=NameChangeState.PENDING
        ):
            previous.state = NameChangeState.SUPERSEDED
            previous.decided_at = now
            previous.save(update_fields=["state", "decided_at"])
            record(
                actor,
                AuditAction.STATE,
                previous,
                changes={"state": [NameChangeState.PENDING, NameChangeState.SUPERSEDED]},
                context={"organization": org.pk},
            )
        request = NameChangeRequest.objects.create(
            organization=org,
            old_name=org.name,
            new_name=new_name,
            reason=reason,
            requested_by=actor.user if actor.user_id else None,
            requester_organization_id=actor.organization_id or org.pk,
            import_batch=import_batch,
        )
        record(
            actor,
            AuditAction.CREATE,
            request,
            changes={"name": [org.name, new_name]},
            context={
                "organization": org.pk,
                "reason": reason,
                **({"import_batch": str(import_batch.pk)} if import_batch else {}),
            },
        )
    return request


@transaction.atomic
def decide_name_change(
    actor: Actor, request: NameChangeRequest, *, approve: bool, reason: str = ""
) -> NameChangeRequest:
    """An operator approves (the organisation is renamed) or rejects (with the reason) a
    pending name change; the requester is notified. A decided request cannot be decided
    again."""
    reason = (reason or "").strip()
    locked = NameChangeRequest.objects.select_for_update().get(pk=request.pk)
    if locked.state != NameChangeState.PENDING:
        raise RegistryError("name_change_decided", _("This name change has already been decided."))
    if not approve and not reason:
        raise RegistryError(
            "required", _("Give the reason for rejecting the name change."), field="reason"
        )
    org = Organization.objects.select_for_update().get(pk=locked.organization_id)
    if approve:
        before = org.name
        org.name = locked.new_name
        refresh_derived_fields(org)
        if org.is_active and organization_name_taken(org.name, exclude=org.pk):
            raise RegistryError("name_taken", str(NAME_TAKEN), field="name")
        try:
            _save(org)
        except ValidationError:
            raise RegistryError("name_taken", str(NAME_TAKEN), field="name") from None
        record(
            actor,
            AuditAction.UPDATE,
            org,
            changes={"name": [before, org.name]},
            context={"name_change_request": locked.pk},
        )
    new_state = NameChangeState.APPROVED if approve else NameChangeState.REJECTED
    locked.state = new_state
    locked.decided_by = actor.user if actor.user_id else None
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    record(
        actor,
        AuditAction.STATE,
        locked,
        changes={"state": [NameChangeState.PENDING, new_state]},
        context={"organization": org.pk, **({"reason": reason} if reason else {})},
    )
    recipient = locked.requester_organization or org
    if approve:
        title = _("Name change approved: %(name)s") % {"name": locked.new_name}
        body = _("“%(old)s” is now registered as “%(new)s”.") % {
            "old": locked.old_name,
            "new": locked.new_name,
        }
    else:
        title = _("Name change rejected: %(name)s") % {"name": locked.new_name}
        body = _("The name stays “%(old)s”. Reason: %(reason)s") % {
            "old": org.name,
            "reason": reason,
        }
    notify(
        recipient,
        user=locked.requested_by,
        title=title,
        body=body,
        link=reverse("registry:organization_detail", args=[org.pk]),
    )
    return locked


def _contact_values(contact: Contact) -> dict[str, Any]:
    return {field: getattr(contact, field) for field in CONTACT_FIELDS}


@transaction.atomic
def save_contact(
    actor: Actor, org: Organization, *, data: Mapping[str, Any], contact: Contact | None = None
) -> Contact:
    if contact is not None and contact.organization_id != org.pk:
        raise ValueError("contact belongs to another organisation")
    before = _contact_values(contact) if contact else {}
    contact = contact or Contact(organization=org)
    for key in CONTACT_FIELDS:
        if key in data:
            setattr(contact, key, data[key])
    contact.full_clean()
    if contact.is_primary:
        Contact.objects.filter(organization=org, is_primary=True).exclude(pk=contact.pk).update(
            is_primary=False
        )
    contact.save()
    # Personal data is logged as changed, never copied into the log itself.
    changes = {
        key: ["***", "***"] if key in {"phone", "email"} else value
        for key, value in diff(before, _contact_values(contact)).items()
    }
    record(
        actor,
        AuditAction.UPDATE if before else AuditAction.CREATE,
        org,
        changes={f"contact.{k}": v for k, v in changes.items()},
        context={"contact_id": contact.pk},
    )
    return contact


@transaction.atomic
def delete_contact(actor: Actor, org: Organization, contact: Contact) -> None:
    if contact.organization_id != org.pk:
        raise ValueError("contact belongs to another organisation")
    name = contact.name
    contact_id = contact.pk
    contact.delete()
    record(
        actor,
        AuditAction.DELETE,
        org,
        changes={"contact.name": [name, None]},
        context={"contact_id": contact_id},
    )


@transaction.atomic
def set_organization_active(actor: Actor, org: Organization, *, active: bool) -> bool:
    """Archive (hide from lists, searches and exports) or restore an organisation; its data
    and history stay. Returns False when it was already in that state. Restoring is refused
    while another active organisation has its name."""
    if active and organization_name_taken(org.name, exclude=org.pk):
        raise RegistryError("name_taken", str(NAME_TAKEN), field="name")
    try:
        with transaction.atomic(), bulk_write(Organization, [org.pk]):
            changed = Organization.objects.filter(pk=org.pk, is_active=not active).update(
                is_active=active
            )
    except IntegrityError:
        raise RegistryError("name_taken", str(NAME_TAKEN), field="name") from None
    if changed:
        org.is_active = active
        record(actor, AuditAction.STATE, org, changes={"is_active": [not active, active]})
    return bool(changed)
