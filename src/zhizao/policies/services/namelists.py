"""Name lists (名单) drawn from a finished scan, announced for objections (公示), confirmed by the
enterprises with one click (免申即享).

One function owns each change of state; each is a conditional write in one transaction with
its audit entry, so a second click finds nothing left to change. Entries are never deleted:
an entry leaves the list by becoming ``excluded`` (with the reason) or ``declined``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.common.bulk import bulk_write
from zhizao.common.models import AuditAction
from zhizao.common.notifications import notify
from zhizao.common.services import audit_event

from ..enums import Eligibility, EntryState, NameListState, ScanState
from ..errors import PolicyError
from ..models import Decision, NameList, NameListEntry, Scan
from .scans import credit_exclusions, credit_reason

DEFAULT_OBJECTION_DAYS = 7  # five working days ≈ seven calendar days
MAX_OBJECTION_DAYS = 60


def _audit(actor: Actor, action: str, event: str, obj, **kwargs):
    return audit_event(actor, f"policies.{event}", obj, action=action, **kwargs)


def create_name_list(actor: Actor, scan: Scan, *, title: str = "") -> NameList:
    """A draft list from a finished scan: every eligible row, except the enterprises with a
    credit record in force on the scan's date — those are kept as ``excluded`` entries with
    the reason, so the officer sees why. Rows the engine could not decide are not listed
    (they need more information: the page shows them apart)."""
    if scan.state != ScanState.DONE or scan.is_sandbox:
        raise PolicyError("scan_not_done", _("Only a finished scan can give a name list."))
    version = scan.item_version
    title = (title or "").strip() or _("%(item)s — name list (as of %(day)s)") % {
        "item": version.item.name,
        "day": scan.as_of.isoformat(),
    }
    with transaction.atomic():
        Scan.objects.select_for_update().get(pk=scan.pk)
        decisions = list(
            # eligible with something to pay (a title outside an award table gives 0)
            Decision.objects.filter(
                scan=scan, eligible=Eligibility.YES, amount_yuan__gt=0
            ).order_by("enterprise_id", "project_id", "id")
        )
        credit = credit_exclusions({d.enterprise_id for d in decisions}, scan.as_of)
        name_list = NameList.objects.create(
            scan=scan,
            item_version=version,
            title=title[:300],
            created_by=actor.user if actor.user_id else None,
        )
        NameListEntry.objects.bulk_create(
            NameListEntry(
                name_list=name_list,
                enterprise_id=d.enterprise_id,
                project_id=d.project_id,
                decision=d,
                amount_yuan=d.amount_yuan,
                state=EntryState.EXCLUDED if d.enterprise_id in credit else EntryState.LISTED,
                excluded_reason=credit_reason(credit[d.enterprise_id])
                if d.enterprise_id in credit
                else "",
            )
            for d in decisions
        )
        listed = sum(1 for d in decisions if d.enterprise_id not in credit)
        _audit(
            actor,
            AuditAction.CREATE,
            "name_list_created",
            name_list,
            changes={"state": [None, NameListState.DRAFT]},
            context={
                "scan": scan.pk,
                "listed": listed,
                "excluded_by_credit": len(decisions) - listed,
            },
        )
    return name_list


def _locked_list(name_list: NameList) -> NameList:
    return NameList.objects.select_for_update().get(pk=name_list.pk)


def exclude_entry(actor: Actor, entry: NameListEntry, *, reason: str) -> NameListEntry:
    """Take an entry off a draft or announced list (e.g. after an objection), with the reason.
    An entry with payments cannot be excluded."""
    reason = (reason or "").strip()
    if not reason:
        raise PolicyError("required", _("Give the reason for the exclusion."), field="reason")
    with transaction.atomic():
        name_list = _locked_list(entry.name_list)
        locked = NameListEntry.objects.select_for_update().get(pk=entry.pk)
        if name_list.state == NameListState.FINAL:
            raise PolicyError("list_final", _("The name list is final."))
        if locked.state not in (EntryState.LISTED, EntryState.CONFIRMED):
            raise PolicyError("entry_not_listed", _("This entry is no longer on the list."))
        if locked.payments.exists():
            raise PolicyError(
                "entry_paid", _("Payments were made on this entry; it cannot be excluded.")
            )
        before = locked.state
        locked.state = EntryState.EXCLUDED
        locked.excluded_reason = reason[:300]
        locked.save(update_fields=["state", "excluded_reason"])
        _audit(
            actor,
            AuditAction.STATE,
            "entry_excluded",
            locked,
            changes={"state": [before, EntryState.EXCLUDED], "excluded_reason": ["", reason]},
            context={"name_list": name_list.pk, "enterprise": locked.enterprise_id},
        )
    return locked


def announce_name_list(
    actor: Actor,
    name_list: NameList,
    *,
    days: int = DEFAULT_OBJECTION_DAYS,
    today: dt.date | None = None,
) -> NameList:
    """公示: the list becomes public with objections open until today + ``days``, and every
    listed enterprise gets a notification linking to its confirmation page."""
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = -1
    if not 1 <= days <= MAX_OBJECTION_DAYS:
        raise PolicyError(
            "bad_days",
            _("The objection period is 1 to %(n)s days.") % {"n": MAX_OBJECTION_DAYS},
            field="days",
        )
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked_list(name_list)
        if locked.state != NameListState.DRAFT:
            raise PolicyError("list_not_draft", _("This name list has already been announced."))
        entries = list(
            locked.entries.filter(state=EntryState.LISTED)
            .select_related("enterprise", "project")
            .order_by("id")
        )
        if not entries:
            raise PolicyError("list_empty", _("There is nobody on this name list to announce."))
        locked.state = NameListState.ANNOUNCED
        locked.announced_at = timezone.now()
        locked.objection_until = today + dt.timedelta(days=days)
        item = locked.item_version.item
        freeze_announcement(locked)
        locked.save(
            update_fields=["state", "announced_at", "objection_until", *ANNOUNCED_LIST_FIELDS]
        )
        for entry in entries:
            notify(
                entry.enterprise,
                title=_("You are on the name list for “%(item)s”") % {"item": item.name},
                body=_(
                    "%(amount)s yuan%(project)s, granted without application. Confirm with one "
                    "click; objections until %(day)s."
                )
                % {
                    "amount": entry.amount_yuan,
                    "project": f" · {entry.project.name}" if entry.project else "",
                    "day": locked.objection_until.isoformat(),
                },
                link=reverse("policies:entry_confirm", args=[entry.pk]),
            )
        _audit(
            actor,
            AuditAction.STATE,
            "name_list_announced",
            locked,
            changes={
                "state": [NameListState.DRAFT, NameListState.ANNOUNCED],
                "objection_until": [None, locked.objection_until.isoformat()],
            },
            context={"notified": len({e.enterprise_id for e in entries}), "entries": len(entries)},
        )
    return locked


ANNOUNCED_LIST_FIELDS = (
    "announced_item_name",
    "announced_policy_title",
    "announced_doc_number",
    "announced_issuing_unit",
)
ANNOUNCED_ENTRY_FIELDS = (
    "announced_name",
    "announced_uscc",
    "announced_region",
    "announced_project",
    "announced_amount_yuan",
)


def region_label(region) -> str:
    """``江苏省 无锡市 滨湖区``: the Chinese names from the province down, as announced."""
    names = []
    while region is not None:
        names.append(region.name_zh)
        region = region.parent
    return " ".join(reversed(names))


def freeze_announcement(name_list: NameList) -> None:
    """Store on the list and its entries everything the public page shows, as it is now. The
    public page, the API and any export read these copies, so a later rename of an enterprise
    (or an edit of the policy, item or project) cannot change what was announced. The list's
    fields are set on ``name_list`` (the caller saves it); the entries are written here."""
    item = name_list.item_version.item
    policy = item.policy
    name_list.announced_item_name = item.name
    name_list.announced_policy_title = policy.title
    name_list.announced_doc_number = policy.doc_number
    name_list.announced_issuing_unit = policy.issuing_unit
    entries = list(
        name_list.entries.select_related("enterprise__region__parent__parent", "project").order_by(
            "id"
        )
    )
    for entry in entries:
        entry.announced_name = entry.enterprise.name
        entry.announced_uscc = entry.enterprise.uscc
        entry.announced_region = region_label(entry.enterprise.region)[:200]
        entry.announced_project = entry.project.name if entry.project else ""
        entry.announced_amount_yuan = entry.amount_yuan
    with bulk_write(NameListEntry, [e.pk for e in entries]):
        NameListEntry.objects.bulk_update(entries, ANNOUNCED_ENTRY_FIELDS, batch_size=500)


def confirm_entry(actor: Actor, entry: NameListEntry) -> tuple[NameListEntry, bool]:
    """One click: listed → confirmed. Returns (entry, changed); a second click changes nothing
    and writes nothing."""
    with transaction.atomic():
        locked = (
            NameListEntry.objects.select_for_update().select_related("name_list").get(pk=entry.pk)
        )
        if locked.state == EntryState.CONFIRMED:
            return locked, False
        if locked.state != EntryState.LISTED or locked.name_list.state not in (
            NameListState.ANNOUNCED,
            NameListState.FINAL,
        ):
            raise PolicyError("entry_not_listed", _("This entry cannot be confirmed."))
        locked.state = EntryState.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.confirmed_by = actor.user if actor.user_id else None
        locked.save(update_fields=["state", "confirmed_at", "confirmed_by"])
        _audit(
            actor,
            AuditAction.STATE,
            "entry_confirmed",
            locked,
            changes={"state": [EntryState.LISTED, EntryState.CONFIRMED]},
            context={"name_list": locked.name_list_id, "enterprise": locked.enterprise_id},
        )
    return locked, True


def decline_entry(actor: Actor, entry: NameListEntry, *, reason: str) -> NameListEntry:
    """The enterprise turns the benefit down, with its reason."""
    reason = (reason or "").strip()
    if not reason:
        raise PolicyError("required", _("Give the reason for declining."), field="reason")
    with transaction.atomic():
        locked = (
            NameListEntry.objects.select_for_update().select_related("name_list").get(pk=entry.pk)
        )
        if locked.state != EntryState.LISTED or locked.name_list.state not in (
            NameListState.ANNOUNCED,
            NameListState.FINAL,
        ):
            raise PolicyError("entry_not_listed", _("This entry cannot be declined."))
        locked.state = EntryState.DECLINED
        locked.excluded_reason = reason[:300]
        locked.save(update_fields=["state", "excluded_reason"])
        _audit(
            actor,
            AuditAction.STATE,
            "entry_declined",
            locked,
            changes={"state": [EntryState.LISTED, EntryState.DECLINED], "reason": ["", reason]},
            context={"name_list": locked.name_list_id, "enterprise": locked.enterprise_id},
        )
    return locked
