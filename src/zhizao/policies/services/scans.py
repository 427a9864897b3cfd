"""Proactive scans (免申即享): one published item version over every active manufacturer in the
registry, kept as decisions with the credit screen and a summary by city and industry.

- ``start_scan`` records the request and enqueues ``run_scan_task`` after commit (pages and
  the API call it; the task calls ``run_scan``);
- ``run_scan`` evaluates (``screen_rows``, the one place that calls the engine), then writes
  the decisions, the counts and the summary in ONE transaction, deleting whatever an earlier,
  killed attempt of the same scan wrote: running it twice gives the same rows;
- ``credit_exclusions`` is the credit / violation screen: a record in force on the as-of date
  (no end date, or an end date on or after it) excludes the enterprise, with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.common.models import AuditAction
from zhizao.common.services import audit_event
from zhizao.common.worker import enqueue_after_commit
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Industry, Organization, Region
from zhizao_core.policy import Enterprise, Rule, evaluate

from .. import adapters, engine
from ..enums import CreditKind, DecisionSource, Eligibility, ScanState, VersionState
from ..errors import PolicyError
from ..models import CreditRecord, Decision, PolicyItemVersion, Scan
from .payments import budget_use

SCANNABLE_VERSION_STATES = (VersionState.PUBLISHED, VersionState.SUPERSEDED)
WRITE_BATCH = 2000
RUN_TASK = "zhizao.policies.tasks.run_scan_task"
ELIGIBILITY = {True: Eligibility.YES, False: Eligibility.NO, None: Eligibility.UNKNOWN}
SCREEN_ELIGIBLE = {1: True, 0: False, -1: None}


def _audit(actor: Actor, action: str, event: str, obj, **kwargs):
    return audit_event(actor, f"policies.{event}", obj, action=action, **kwargs)


def fen_to_yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


def yuan_to_fen(yuan: Decimal | None) -> int | None:
    return None if yuan is None else int((Decimal(yuan) * 100).to_integral_value())


# --- the engine call ------------------------------------------------------------------------


@dataclass
class Row:
    """One evaluated subject: an enterprise (enterprise items) or one of its projects."""

    organization: Organization
    facts: Enterprise
    project: str | None
    eligible: bool | None
    amount_fen: int | None
    binding: str = ""
    missing: list = field(default_factory=list)
    explanation: list = field(default_factory=list)

    @property
    def start_date(self) -> dt.date | None:
        if self.project is None:
            return None
        for project in self.facts.projects or ():
            if project.id == self.project:
                return project.start_date
        return None


def rule_for_version(version: PolicyItemVersion, data: dict | None = None) -> Rule:
    """The engine's rule for a stored version (or a sandbox copy of its data)."""
    return engine.check_rule(data if data is not None else rule_data(version))


def rule_data(version: PolicyItemVersion) -> dict:
    return engine.version_rule_data(version.item, version)


def screen_rows(
    rule: Rule, pairs: list[tuple[Organization, Enterprise]], as_of: dt.date, *, explain: bool
) -> list[Row]:
    """The item over these enterprises: a row per subject. THE one place the scan and the
    sandbox call the engine: the bulk screener for the numbers, then the explainer for the
    explanation (and the missing facts) of eligible and unknown rows only."""
    catalogue = {rule.key: [rule]}
    if not pairs:
        return []
    from zhizao_core.policy.screen import FactTable, screen  # numpy: loaded when a scan runs

    result = screen(
        catalogue, FactTable.build([facts for _org, facts in pairs]), as_of, item=rule.key
    )
    lang = engine.language()
    explained: dict[int, dict] = {}
    rows: list[Row] = []
    for index, project, eligible, amount, binding in result.rows():
        org, facts = pairs[index]
        row = Row(
            organization=org,
            facts=facts,
            project=project,
            eligible=SCREEN_ELIGIBLE[eligible],
            amount_fen=None if amount < 0 else amount,
            binding=(binding or {}).get("per", ""),
        )
        if explain and row.eligible is not False:
            if index not in explained:
                explained[index] = {
                    outcome.project: outcome
                    for outcome in evaluate(
                        catalogue,
                        facts,
                        as_of,
                        items=[rule.key],
                        lang=lang,
                        names=engine.code_names(lang),
                    )
                }
            outcome = explained[index].get(project)
            if outcome is not None:
                row.explanation = list(outcome.explanation)
                row.missing = list(outcome.missing) if row.eligible is None else []
        rows.append(row)
    return rows


def registry_manufacturers():
    """Every active manufacturer in the registry, in a stable order."""
    return Organization.objects.filter(is_active=True, kind=OrganizationKind.MANUFACTURER).order_by(
        "pk"
    )


def registry_facts(on_chunk=None):
    """(organisation, facts) for every active manufacturer; ``on_chunk(done, total)`` after
    each chunk of the adapter."""
    organizations = registry_manufacturers()
    total = organizations.count()
    pairs = []
    for pair in adapters.facts_for_organizations(organizations.iterator(chunk_size=adapters.CHUNK)):
        pairs.append(pair)
        if on_chunk is not None and len(pairs) % adapters.CHUNK == 0:
            on_chunk(len(pairs), total)
    return pairs


# --- the credit screen ----------------------------------------------------------------------


def credit_exclusions(organization_ids, as_of: dt.date) -> dict[int, list[dict]]:
    """organisation id → the credit records in force on ``as_of`` (kind, description)."""
    out: dict[int, list[dict]] = defaultdict(list)
    ids = list(organization_ids)
    for start in range(0, len(ids), 5000):
        records = (
            CreditRecord.objects.filter(
                organization_id__in=ids[start : start + 5000], start_date__lte=as_of
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
            .order_by("organization_id", "start_date", "id")
        )
        for credit in records:
            out[credit.organization_id].append(
                {
                    "record": credit.pk,
                    "kind": credit.kind,
                    "description": credit.description,
                    "start_date": credit.start_date.isoformat(),
                    "end_date": credit.end_date.isoformat() if credit.end_date else None,
                }
            )
    return dict(out)


def credit_reason(records: list[dict]) -> str:
    """「失信被执行人：……；行政处罚：……」 for the name list and the officer."""
    parts = []
    for credit in records:
        label = str(CreditKind(credit["kind"]).label)
        parts.append(f"{label}：{credit['description']}" if credit["description"] else label)
    return "；".join(parts)[:300]


# --- summaries ------------------------------------------------------------------------------


def _names(model, codes) -> dict[str, dict]:
    return {
        code: {"zh": zh, "en": en or zh}
        for code, zh, en in model.objects.filter(code__in=set(codes)).values_list(
            "code", "name_zh", "name_en"
        )
    }


def breakdown(rows: list[Row], *, listed: set[int] | None = None) -> dict:
    """Counts and amounts by city and by industry division, largest amount first."""
    groups = {"by_city": defaultdict(_bucket), "by_division": defaultdict(_bucket)}
    for row in rows:
        if row.eligible is False:
            continue
        org = row.organization
        for name, code in (("by_city", org.city_code), ("by_division", org.industry_division)):
            bucket = groups[name][code or ""]
            if row.eligible is True:
                bucket["eligible"] += 1
                bucket["enterprises"].add(org.pk)
                bucket["amount_fen"] += row.amount_fen or 0
            else:
                bucket["unknown"] += 1
    names = {
        "by_city": _names(Region, groups["by_city"]),
        "by_division": _names(Industry, groups["by_division"]),
    }
    out = {}
    for name, buckets in groups.items():
        out[name] = sorted(
            (
                {
                    "code": code,
                    "name": names[name].get(code, {"zh": code or "—", "en": code or "—"}),
                    "eligible": b["eligible"],
                    "enterprises": len(b["enterprises"]),
                    "unknown": b["unknown"],
                    "amount_yuan": str(fen_to_yuan(b["amount_fen"])),
                }
                for code, b in buckets.items()
            ),
            key=lambda r: (-Decimal(r["amount_yuan"]), -r["eligible"], r["code"]),
        )
    return out


def _bucket():
    return {"eligible": 0, "unknown": 0, "amount_fen": 0, "enterprises": set()}


def budget_reach(amounts_fen: list[int], budget_fen: int | None) -> dict | None:
    """用完即止: how many of the rows, taken in order, the budget pays in full."""
    if budget_fen is None:
        return None
    used = 0
    covered = 0
    for fen in amounts_fen:
        if used + fen > budget_fen:
            break
        used += fen
        covered += 1
    return {
        "budget_yuan": str(fen_to_yuan(budget_fen)),
        "covered": covered,
        "covered_yuan": str(fen_to_yuan(used)),
        "not_covered": len(amounts_fen) - covered,
        "shortfall_yuan": str(fen_to_yuan(max(0, sum(amounts_fen) - budget_fen))),
    }


def reach_order(row: Row) -> tuple:
    """First come, first served: projects by start date (unknown last), then registry order."""
    start = row.start_date
    return (start is None, start or dt.date.min, row.organization.pk, row.project or "")


# --- services -------------------------------------------------------------------------------


def start_scan(
    actor: Actor, version: PolicyItemVersion, *, as_of: dt.date, inline: bool = False
) -> Scan:
    """Record a scan of a published version (queued, audited) and enqueue ``run_scan_task``
    after commit; with ``inline`` (the demo data) run it here instead and return it done."""
    if version.state not in SCANNABLE_VERSION_STATES:
        raise PolicyError(
            "version_not_published",
            _("Only a published rule version can be scanned."),
            field="version",
        )
    if as_of is None:
        raise PolicyError("required", _("Choose the date the scan is as of."), field="as_of")
    if as_of < version.valid_from or (version.valid_to and as_of > version.valid_to):
        raise PolicyError(
            "version_not_in_force",
            _("Version %(n)s is not in force on %(day)s.") % {"n": version.number, "day": as_of},
            field="as_of",
        )
    with transaction.atomic():
        scan = Scan.objects.create(
            item_version=version,
            as_of=as_of,
            created_by=actor.user if actor.user_id else None,
        )
        _audit(
            actor,
            AuditAction.CREATE,
            "scan_started",
            scan,
            changes={"state": [None, ScanState.QUEUED]},
            context={
                "item": version.item.key,
                "version": version.number,
                "as_of": as_of.isoformat(),
            },
        )
        if not inline:
            enqueue_after_commit(RUN_TASK, scan.pk)
    if inline:
        return run_scan(scan)
    scan.refresh_from_db()
    return scan


def _set_progress(scan: Scan, done: int, total: int) -> None:
    percent = min(95, int(done * 90 / total)) if total else 90
    Scan.objects.filter(pk=scan.pk, state=ScanState.RUNNING).update(
        progress=percent, evaluated=done
    )


def run_scan(scan: Scan) -> Scan:
    """Evaluate, screen and write. A finished scan is left as it is; a killed attempt is
    replaced whole (delete and rewrite in one transaction)."""
    claimed = Scan.objects.filter(
        pk=scan.pk, state__in=[ScanState.QUEUED, ScanState.RUNNING]
    ).update(state=ScanState.RUNNING, progress=0, message="")
    if not claimed:
        scan.refresh_from_db()
        return scan
    version = PolicyItemVersion.objects.select_related("item__policy").get(pk=scan.item_version_id)
    try:
        rule = rule_for_version(version)
    except PolicyError as error:
        Scan.objects.filter(pk=scan.pk).update(
            state=ScanState.FAILED, message=error.message, finished_at=timezone.now()
        )
        scan.refresh_from_db()
        return scan
    pairs = registry_facts(on_chunk=lambda done, total: _set_progress(scan, done, total))
    rows = screen_rows(rule, pairs, scan.as_of, explain=True)
    credit = credit_exclusions({row.organization.pk for row in rows if row.eligible}, scan.as_of)
    summary, counts = _summarise(version, scan.as_of, rows, credit)
    actor = Actor(user=scan.created_by) if scan.created_by_id else Actor()
    with transaction.atomic():
        locked = Scan.objects.select_for_update().get(pk=scan.pk)
        if locked.state != ScanState.RUNNING:
            return locked
        Decision.objects.filter(scan=locked).delete()
        Decision.objects.bulk_create(
            (
                Decision(
                    item_version=version,
                    enterprise=row.organization,
                    project_id=int(row.project) if row.project else None,
                    as_of=scan.as_of,
                    eligible=ELIGIBILITY[row.eligible],
                    amount_yuan=fen_to_yuan(row.amount_fen),
                    binding_cap=row.binding,
                    missing=row.missing,
                    explanation=row.explanation,
                    source=DecisionSource.SCAN,
                    scan=locked,
                    created_by=locked.created_by,
                )
                for row in rows
                # evidence for the eligible and the possibly eligible; the others are counted
                # in the scan, not stored row by row (a registry of 100,000 stays light)
                if row.eligible is not False
            ),
            batch_size=WRITE_BATCH,
        )
        for name, value in counts.items():
            setattr(locked, name, value)
        locked.summary = summary
        locked.state = ScanState.DONE
        locked.progress = 100
        locked.evaluated = len(pairs)
        locked.finished_at = timezone.now()
        locked.save()
        _audit(
            actor,
            AuditAction.STATE,
            "scan_finished",
            locked,
            changes={"state": [ScanState.RUNNING, ScanState.DONE]},
            context={**{k: str(v) for k, v in counts.items()}, "enterprises": len(pairs)},
        )
    return locked


def _summarise(version, as_of, rows: list[Row], credit: dict) -> tuple[dict, dict]:
    eligible = [row for row in rows if row.eligible is True]
    unknown = [row for row in rows if row.eligible is None]
    excluded = [row for row in eligible if row.organization.pk in credit]
    listable = sorted(
        (row for row in eligible if row.organization.pk not in credit), key=reach_order
    )
    total_fen = sum(row.amount_fen or 0 for row in listable)
    item = version.item
    budget = item.effective_budget_yuan
    use = budget_use(item)
    available = use["remaining_yuan"] if use["budget_yuan"] is not None else None
    summary = {
        **breakdown(rows),
        "enterprises": {
            "eligible": len({r.organization.pk for r in eligible}),
            "unknown": len({r.organization.pk for r in unknown}),
        },
        "budget_yuan": str(budget) if budget is not None else None,
        "available_yuan": str(available) if available is not None else None,
        "first_come": item.policy.first_come,
        "reach": budget_reach(
            [row.amount_fen or 0 for row in listable],
            yuan_to_fen(available) if available is not None else None,
        ),
        "excluded": [
            {
                "enterprise": row.organization.pk,
                "name": row.organization.name,
                "project": row.project,
                "amount_yuan": str(fen_to_yuan(row.amount_fen)),
                "reason": credit_reason(credit[row.organization.pk]),
                "records": credit[row.organization.pk],
            }
            for row in excluded
        ],
    }
    counts = {
        "eligible_count": len(eligible),
        "unknown_count": len(unknown),
        "excluded_count": len(excluded),
        "total_yuan": fen_to_yuan(total_fen),
    }
    return summary, counts


def fail_scan(scan_id: int, message: str) -> None:
    """The worker running the scan was lost for good: the page shows it failed."""
    Scan.objects.filter(pk=scan_id, state__in=[ScanState.QUEUED, ScanState.RUNNING]).update(
        state=ScanState.FAILED, message=message, finished_at=timezone.now()
    )
