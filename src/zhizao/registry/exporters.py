"""Rows of the registry export. Contacts (personal data) only when the caller may see them."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def export_header(*, with_contacts: bool) -> list[str]:
    header = [
        _("Name"),
        _("Unified social credit code"),
        pgettext("organisation", "Kind"),
        _("Region code"),
        _("Region"),
        _("Industry code"),
        _("Industry"),
        _("Size"),
        _("Founded"),
        _("Employees"),
        _("Revenue (10,000 yuan)"),
        _("Main products"),
        _("Capabilities"),
        _("Clusters"),
        _("Address"),
        _("Website"),
    ]
    if with_contacts:
        header += [_("Contact"), _("Contact phone"), _("Contact e-mail")]
    return header


def export_rows(queryset, *, with_contacts: bool, chunk: int = 2000) -> Iterator[list]:
    qs = queryset.select_related("region__parent__parent", "industry").prefetch_related("clusters")
    if with_contacts:
        qs = qs.prefetch_related("contacts")
    for org in qs.iterator(chunk_size=chunk):
        region = org.region
        names = []
        while region is not None:
            names.append(region.name)
            region = region.parent
        row = [
            org.name,
            org.uscc,
            org.get_kind_display(),
            org.region_id,
            " ".join(reversed(names)),
            org.industry_id or "",
            org.industry.name if org.industry else "",
            org.get_size_display(),
            org.founded_year,
            org.employees,
            org.revenue_wan,
            org.products,
            org.capabilities,
            [c.name for c in org.clusters.all()],
            org.address,
            org.website,
        ]
        if with_contacts:
            contact = next(iter(org.contacts.all()), None)
            row += [contact.name, contact.phone, contact.email] if contact else ["", "", ""]
        yield row
