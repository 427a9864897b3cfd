"""Writes to organisations and their contacts. Each is atomic, permission-checked by the caller's
``access_*`` fetch, and audited here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from zhizao.common.audit import Actor, AuditAction, diff, record
from zhizao_core.text import normalize_search_text

from ..models import Contact, Organization

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
    org.full_clean(exclude=["province_code", "city_code", "search_text", "name_sort"])
    org.save()
    org.clusters.set(list(clusters))
    org.chain_nodes.set(list(chain_nodes))
    record(actor, AuditAction.CREATE, org, changes=diff({}, snapshot(org)))
    return org


@transaction.atomic
def update_organization(
    actor: Actor,
    org: Organization,
    *,
    data: Mapping[str, Any],
    clusters: Iterable[int] | None = None,
    chain_nodes: Iterable[int] | None = None,
) -> dict[str, list[Any]]:
    """Apply ``data`` to ``org``; returns the changes (empty when nothing changed)."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    before = snapshot(org)
    for key, value in data.items():
        if key in PROFILE_FIELDS:
            setattr(org, key, value)
    refresh_derived_fields(org)
    org.full_clean(exclude=["province_code", "city_code", "search_text", "name_sort"])
    if clusters is not None:
        org.clusters.set(list(clusters))
    if chain_nodes is not None:
        org.chain_nodes.set(list(chain_nodes))
    changes = diff(before, snapshot(org))
    if changes:
        org.save()
        record(actor, AuditAction.UPDATE, org, changes=changes)
    return changes


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
    and history stay. Returns False when it was already in that state."""
    changed = Organization.objects.filter(pk=org.pk, is_active=not active).update(is_active=active)
    if changed:
        org.is_active = active
        record(actor, AuditAction.STATE, org, changes={"is_active": [not active, active]})
    return bool(changed)
