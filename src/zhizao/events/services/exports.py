"""Exports (CSV with BOM, XLSX) of the analytics tables and of an exhibitor's leads; every
export is audited with what it held. Contact details are in the leads export only for visitors
who consented to this exhibitor."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.common.models import AuditAction
from zhizao.common.services import audit_event

from ..access import can_edit_booth, can_organize, consenting_registration_ids, leads_for
from ..errors import EventError
from ..models import Booth, BoothVisit, Event
from ..selectors import Table, exhibitor_analytics, organiser_analytics
from .base import not_allowed

FORMATS = ("csv", "xlsx")


def _record(actor: Actor, obj, what: str, fmt: str, rows: int) -> None:
    with transaction.atomic():
        audit_event(
            actor,
            "events.exported",
            obj,
            action=AuditAction.EXPORT,
            context={"what": what, "format": fmt, "rows": rows},
        )


def export_event_table(actor: Actor, event: Event, *, key: str, fmt: str) -> Table:
    if not can_organize(actor, event):
        raise not_allowed()
    if fmt not in FORMATS:
        raise EventError("bad_format", _("Choose CSV or XLSX."), field="fmt")
    table = next((t for t in organiser_analytics(event) if t.key == key), None)
    if table is None:
        raise EventError("unknown_table", _("No such table."), field="key")
    _record(actor, event, f"analytics:{key}", fmt, len(table.rows))
    return table


def export_booth_table(actor: Actor, booth: Booth, *, key: str, fmt: str) -> Table:
    if not (can_edit_booth(actor, booth) or can_organize(actor, booth.event)):
        raise not_allowed()
    if fmt not in FORMATS:
        raise EventError("bad_format", _("Choose CSV or XLSX."), field="fmt")
    if key == "leads":
        table = leads_table(actor, booth)
    elif key == "visitors":
        table = visitors_table(actor, booth)
    else:
        table = next((t for t in exhibitor_analytics(booth) if t.key == key), None)
    if table is None:
        raise EventError("unknown_table", _("No such table."), field="key")
    _record(actor, booth, f"booth:{key}", fmt, len(table.rows))
    return table


def leads_table(actor: Actor, booth: Booth) -> Table:
    consenting = consenting_registration_ids(booth)
    rows = []
    for lead in leads_for(actor, booth).order_by("created_at", "id"):
        r = lead.registration
        shared = r.pk in consenting
        rows.append(
            [
                lead.created_at,
                r.name,
                r.organization.name,
                lead.rating,
                lead.note,
                r.phone if shared else "",
                r.email if shared else "",
            ]
        )
    return Table(
        "leads",
        _("Leads"),
        [
            _("Collected"),
            _("Name"),
            _("Organisation"),
            _("Rating"),
            _("Note"),
            _("Phone"),
            _("E-mail"),
        ],
        rows,
    )


def visitors_table(actor: Actor, booth: Booth) -> Table:
    """Who visited the booth: names and organisations; phone and e-mail only for visitors who
    consented to this exhibitor."""
    if not (can_edit_booth(actor, booth) or can_organize(actor, booth.event)):
        return Table("visitors", _("Booth visitors"), [], [])
    consenting = consenting_registration_ids(booth)
    rows = []
    for visit in (
        BoothVisit.objects.filter(booth=booth)
        .select_related("registration__organization")
        .order_by("at", "id")
    ):
        r = visit.registration
        shared = r.pk in consenting
        rows.append(
            [
                visit.at,
                r.name,
                r.organization.name,
                r.phone if shared else "",
                r.email if shared else "",
            ]
        )
    return Table(
        "visitors",
        _("Booth visitors"),
        [_("Visited"), _("Name"), _("Organisation"), _("Phone"), _("E-mail")],
        rows,
    )
