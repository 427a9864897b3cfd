"""The what-if sandbox (政策沙盘): change a rate, a threshold or a cap of an item in a copy of its
rule (``with_changes``, never saved as a version) and compare it with the rule in force over the
same registry facts, with the same screener as the scan. Each run is kept for the record as a
sandbox scan (``Scan.sandbox_rule``: the changes and the copied rule; ``Scan.summary``: the
comparison)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor, record
from zhizao.common.models import AuditAction
from zhizao_core.policy import with_changes

from ..enums import ScanState
from ..errors import PolicyError
from ..models import PolicyItemVersion, Scan
from .scans import (
    SCANNABLE_VERSION_STATES,
    Row,
    breakdown,
    fen_to_yuan,
    registry_facts,
    rule_data,
    rule_for_version,
    screen_rows,
)

GAIN_LOSS_SHOWN = 50
CAP_LABELS = {
    "project": ("每个项目上限（元）", "cap per project (yuan)"),
    "project_year": ("每个项目每年上限（元）", "cap per project per year (yuan)"),
    "enterprise": ("每家企业上限（元）", "cap per enterprise (yuan)"),
    "enterprise_year": ("每家企业每年上限（元）", "cap per enterprise per year (yuan)"),
}


def _label(raw, lang: str) -> str:
    """A parameter's label (every stored rule has one: the engine refuses a parameter without)."""
    if isinstance(raw, dict):
        return raw.get(lang) or raw.get("zh") or ""
    return str(raw or "")


def editable_fields(version: PolicyItemVersion, *, lang: str = "zh") -> list[dict]:
    """The parameters and literal caps of the version, with the values in force: the fields of
    the sandbox form. ``path`` is what ``with_changes`` takes."""
    data = rule_data(version)
    fields = []
    for name, spec in sorted((data.get("parameters") or {}).items()):
        spec = spec if isinstance(spec, dict) else {"value": spec}
        fields.append(
            {
                "path": f"parameters.{name}",
                "label": _label(spec.get("label"), lang),
                "value": str(spec.get("value")),
            }
        )
    for i, cap in enumerate(data.get("caps") or []):
        if not isinstance(cap, dict) or isinstance(cap.get("yuan"), dict):
            continue  # a cap given by a parameter is edited through the parameter
        zh, en = CAP_LABELS.get(cap.get("per"), (cap.get("per"), cap.get("per")))
        fields.append(
            {
                "path": f"caps[{i}].yuan",
                "label": zh if lang == "zh" else en,
                "value": str(cap.get("yuan")),
            }
        )
    return fields


def _clean_changes(version: PolicyItemVersion, changes: dict) -> dict[str, str]:
    fields = editable_fields(
        version, lang="en" if (get_language() or "").startswith("en") else "zh"
    )
    allowed = {f["path"]: f["value"] for f in fields}
    labels = {f["path"]: f["label"] for f in fields}
    out = {}
    for path, raw in (changes or {}).items():
        if path not in allowed:
            raise PolicyError(
                "not_editable", _("%(path)s cannot be changed in the sandbox.") % {"path": path}
            )
        value = str(raw).strip()
        if value == "":
            continue
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise PolicyError(
                "not_a_number",
                _("%(label)s must be a number.") % {"label": labels[path]},
                field=path,
            ) from None
        if not number.is_finite() or number < 0:
            raise PolicyError(
                "not_a_number",
                _("%(label)s must be a number.") % {"label": labels[path]},
                field=path,
            )
        try:
            unchanged = Decimal(allowed[path]) == number
        except InvalidOperation:
            unchanged = False
        if not unchanged:
            out[path] = value
    return out


def _side(rows: list[Row]) -> dict:
    eligible = [r for r in rows if r.eligible is True]
    unknown = [r for r in rows if r.eligible is None]
    total = sum(r.amount_fen or 0 for r in eligible)
    return {
        "eligible": len(eligible),
        "eligible_enterprises": len({r.organization.pk for r in eligible}),
        "unknown": len(unknown),
        "unknown_enterprises": len({r.organization.pk for r in unknown}),
        "total_fen": total,
        "total_yuan": str(fen_to_yuan(total)),
        **breakdown(rows),
    }


def _merge(base: list[dict], new: list[dict]) -> list[dict]:
    rows: dict[str, dict] = {}
    for side, items in (("base", base), ("new", new)):
        for item in items:
            row = rows.setdefault(
                item["code"],
                {
                    "code": item["code"],
                    "name": item["name"],
                    "base_eligible": 0,
                    "new_eligible": 0,
                    "base_yuan": "0.00",
                    "new_yuan": "0.00",
                },
            )
            row[f"{side}_eligible"] = item["eligible"]
            row[f"{side}_yuan"] = item["amount_yuan"]
    for row in rows.values():
        row["diff_yuan"] = str(Decimal(row["new_yuan"]) - Decimal(row["base_yuan"]))
        row["diff_eligible"] = row["new_eligible"] - row["base_eligible"]
    return sorted(
        rows.values(),
        key=lambda r: (-abs(Decimal(r["diff_yuan"])), -Decimal(r["new_yuan"]), r["code"]),
    )


def _by_enterprise(rows: list[Row]) -> dict[int, tuple]:
    out: dict[int, list] = {}
    for row in rows:
        if row.eligible is True:
            entry = out.setdefault(row.organization.pk, [row.organization, 0])
            entry[1] += row.amount_fen or 0
    return out


def _changed(first: dict, second: dict) -> list[dict]:
    moved = [org_id for org_id in first if org_id not in second]
    moved.sort(key=lambda org_id: (-first[org_id][1], org_id))
    return [
        {
            "enterprise": org_id,
            "name": first[org_id][0].name,
            "city": first[org_id][0].city_code,
            "amount_yuan": str(fen_to_yuan(first[org_id][1])),
        }
        for org_id in moved[:GAIN_LOSS_SHOWN]
    ], len(moved)


def compare(base_rows: list[Row], new_rows: list[Row]) -> dict:
    base, new = _side(base_rows), _side(new_rows)
    base_ent, new_ent = _by_enterprise(base_rows), _by_enterprise(new_rows)
    gained, gained_count = _changed(new_ent, base_ent)
    lost, lost_count = _changed(base_ent, new_ent)
    return {
        "base": {k: v for k, v in base.items() if k not in ("by_city", "by_division", "total_fen")},
        "sandbox": {
            k: v for k, v in new.items() if k not in ("by_city", "by_division", "total_fen")
        },
        "diff": {
            "eligible": new["eligible"] - base["eligible"],
            "eligible_enterprises": new["eligible_enterprises"] - base["eligible_enterprises"],
            "unknown": new["unknown"] - base["unknown"],
            "total_yuan": str(fen_to_yuan(new["total_fen"] - base["total_fen"])),
        },
        "by_city": _merge(base["by_city"], new["by_city"]),
        "by_division": _merge(base["by_division"], new["by_division"]),
        "gained": gained,
        "gained_count": gained_count,
        "lost": lost,
        "lost_count": lost_count,
    }


def run_sandbox(actor: Actor, version: PolicyItemVersion, *, changes: dict, as_of: dt.date) -> Scan:
    """Compare the version in force with a copy carrying ``changes``; keep the run as a
    sandbox scan. Runs in the request: one pass of the adapter, two of the screener."""
    if version.state not in SCANNABLE_VERSION_STATES:
        raise PolicyError(
            "version_not_published", _("Only a published rule version can be compared.")
        )
    if as_of is None:
        raise PolicyError("required", _("Choose the date the comparison is as of."), field="as_of")
    cleaned = _clean_changes(version, changes)
    if not cleaned:
        raise PolicyError("no_changes", _("Change at least one value to compare."))
    base_data = rule_data(version)
    sandbox_data = with_changes(base_data, cleaned)
    base_rule = rule_for_version(version)
    new_rule = rule_for_version(version, sandbox_data)
    pairs = registry_facts()
    comparison = compare(
        screen_rows(base_rule, pairs, as_of, explain=False),
        screen_rows(new_rule, pairs, as_of, explain=False),
    )
    comparison["changes"] = [
        {"path": path, "before": before, "after": cleaned[path]}
        for path, before in ((f["path"], f["value"]) for f in editable_fields(version))
        if path in cleaned
    ]
    with transaction.atomic():
        scan = Scan.objects.create(
            item_version=version,
            as_of=as_of,
            state=ScanState.DONE,
            progress=100,
            evaluated=len(pairs),
            eligible_count=comparison["sandbox"]["eligible"],
            unknown_count=comparison["sandbox"]["unknown"],
            total_yuan=Decimal(comparison["sandbox"]["total_yuan"]),
            sandbox_rule={"changes": cleaned, "rule": sandbox_data},
            summary=comparison,
            created_by=actor.user if actor.user_id else None,
            finished_at=timezone.now(),
        )
        record(
            actor,
            AuditAction.CREATE,
            scan,
            changes={"sandbox": [None, cleaned]},
            context={
                "event": "policies.sandbox_run",
                "item": version.item.key,
                "version": version.number,
                "as_of": as_of.isoformat(),
                "diff_yuan": comparison["diff"]["total_yuan"],
            },
        )
    return scan
