"""Exports of the registry. Every export is audited with its filters, its size and whether it
carried contacts (personal data); the caller has checked the permissions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor, AuditAction, record

from ..models import Organization
from ..selectors import OrganizationFilter, organizations_for_export


def export_organizations(
    actor: Actor, *, filters: OrganizationFilter, fmt: str, with_contacts: bool
) -> QuerySet[Organization]:
    """Record the export and return the organisations it holds, in pinyin order."""
    queryset = organizations_for_export(filters)
    record(
        actor,
        AuditAction.EXPORT,
        None,
        object_repr=_("Registry export"),
        context={
            "format": fmt,
            "rows": queryset.count(),
            "contacts": with_contacts,
            "filters": {k: v for k, v in filters.__dict__.items() if v},
        },
    )
    return queryset
