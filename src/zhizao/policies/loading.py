"""Loading rule files (the shipped ones in ``policies/data/rules``, or an operator's) into the
platform: for each file its policy (政策文件), its item (政策条目) and one published version per
version in the file, with the file's example cases as the versions' test cases.

Every write goes through the audited services (``services.policies``). All files are read and
checked first, then written in one transaction: all or nothing. Loading the same files again
changes nothing; a version whose content differs from the version of the same number already
in the platform is refused (a changed rule needs a new version number), like
``zhizao diagnosis load-models``.

What is stored as a version's rule: the version's data as in the file together with what it
inherits from the file (``id``, ``name``, ``subject``, ``category``), dates as ISO strings. The
item carries the same key, Chinese name, subject and category; ``engine.version_rule_data``
lets the item's fields win. The inherited fields are kept in the rule so that the rule alone is
a complete rule the engine accepts (``services.publish_item_version`` checks the stored rule,
and a draft copied from this version is published the same way) and so that the English name
is not lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.registry.models import Region
from zhizao_core.policy import RuleError
from zhizao_core.policy.catalogue import version_data

from . import engine, services
from .enums import PolicyState, VersionState
from .errors import PolicyError
from .models import Policy, PolicyItem, PolicyItemVersion

LOADER = Actor(extra={"via": "policies load-rules"})
POLICY_KEYS = ("title", "doc_number", "issuing_unit", "level", "region", "budget_yuan")


class RuleLoadError(Exception):
    """One or more rule files cannot be loaded; ``problems`` are ``file: message`` lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class FileOutcome:
    path: str
    item: str
    policy: str  # created | updated | unchanged
    item_status: str  # created | updated | unchanged
    versions: dict[int, str] = field(default_factory=dict)  # number → created | unchanged
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return (
            self.policy != "unchanged"
            or self.item_status != "unchanged"
            or any(s != "unchanged" for s in self.versions.values())
        )


@dataclass
class LoadReport:
    files: list[FileOutcome]

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.files)

    def as_json(self) -> list[dict]:
        return [
            {
                "file": f.path,
                "item": f.item,
                "policy": f.policy,
                "item_status": f.item_status,
                "versions": {str(n): s for n, s in f.versions.items()},
                "notes": f.notes,
            }
            for f in self.files
        ]


def shipped_rule_paths() -> list[Path]:
    return sorted(engine.RULES_DIR.glob("*.yaml"))


def plain(value):
    """YAML data → what a JSONField stores and gives back (dates as ISO strings)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass
class _Planned:
    path: Path
    key: str
    data: dict
    policy_values: dict
    versions: list[dict]  # {"number", "rule", "valid_from", "valid_to"}
    cases: list
    notes: list[str] = field(default_factory=list)


def _day(value) -> dt.date | None:
    if value is None:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _read(path: Path) -> _Planned:
    try:
        rule_file = engine.read_rule_file(path)
    except RuleError as exc:
        raise RuleLoadError(
            [f"{path.name}: {engine.problems_text(RuleError([p]))}" for p in exc.problems]
        ) from exc
    except (OSError, ValueError) as exc:  # unreadable file or bad YAML
        raise RuleLoadError([f"{path.name}: {str(exc).splitlines()[0][:200]}"]) from exc
    data = rule_file.data
    block = rule_file.policy or {}
    problems = []
    notes = []
    region = None
    code = block.get("region")
    if code not in (None, ""):
        # The reference data covers 沪苏浙皖; a policy elsewhere (Shenzhen) keeps its scope in
        # the rule's conditions and is stored without a region.
        region = Region.objects.filter(code=str(code)).first()
        if region is None:
            notes.append(
                _("region %(code)s is not in the reference data; the policy is stored without one")
                % {"code": code}
            )
    if not block.get("title") or not block.get("issuing_unit") or not block.get("level"):
        problems.append(f"{path.name}: " + _("policy: title, issuing_unit and level are required."))
    versions = []
    for raw in data.get("versions") or []:
        merged = plain(version_data(data, raw))
        versions.append(
            {
                "number": int(raw.get("version", 1)),
                "rule": merged,
                "valid_from": _day(raw.get("valid_from")),
                "valid_to": _day(raw.get("valid_to")),
            }
        )
    versions.sort(key=lambda v: v["number"])
    if problems:
        raise RuleLoadError(problems)
    budget = block.get("budget_yuan")
    valid_tos = [v["valid_to"] for v in versions]
    return _Planned(
        path=path,
        key=rule_file.key,
        data=data,
        policy_values={
            "title": str(block["title"]).strip(),
            "doc_number": str(block.get("doc_number") or "").strip(),
            "issuing_unit": str(block["issuing_unit"]).strip(),
            "level": str(block["level"]),
            "region": region,
            "budget_yuan": Decimal(str(budget)) if budget not in (None, "") else None,
            "valid_from": min(v["valid_from"] for v in versions),
            "valid_to": max(valid_tos) if all(valid_tos) else None,
            "summary": str(block.get("summary") or "").strip(),
        },
        versions=versions,
        cases=plain(rule_file.cases),
        notes=notes,
    )


def _version_matches(row: PolicyItemVersion, planned: dict, cases: list) -> bool:
    return (
        row.rule == planned["rule"]
        and row.test_cases == cases
        and row.valid_from == planned["valid_from"]
        and row.valid_to == planned["valid_to"]
    )


def _check_against_database(plan: _Planned) -> list[str]:
    """Problems with loading ``plan`` over what the platform already holds (no writes)."""
    item = PolicyItem.objects.filter(key=plan.key).first()
    existing = {v.number: v for v in item.versions.all()} if item else {}
    problems = []
    expected_next = max(existing, default=0) + 1
    for planned in plan.versions:
        number = planned["number"]
        row = existing.get(number)
        if row is not None and row.state == VersionState.DRAFT and not row.rule:
            row = None  # a new item's empty draft: it is filled in
        if row is not None:
            if not _version_matches(row, planned, plan.cases):
                problems.append(
                    f"{plan.path.name}: "
                    + _(
                        "version %(n)s of %(item)s differs from the version %(n)s already "
                        "loaded; give the changed rule a new version number."
                    )
                    % {"n": number, "item": plan.key}
                )
            continue
        if number != expected_next:
            problems.append(
                f"{plan.path.name}: "
                + _("version %(n)s of %(item)s: versions must be numbered %(next)s, … in order.")
                % {"n": number, "item": plan.key, "next": expected_next}
            )
        expected_next = number + 1
    drafts = [v for v in existing.values() if v.state == VersionState.DRAFT and v.rule]
    new_numbers = {p["number"] for p in plan.versions} - set(existing)
    if drafts and new_numbers:
        problems.append(
            f"{plan.path.name}: "
            + _("%(item)s has a draft version %(n)s in the platform; publish or finish it first.")
            % {"item": plan.key, "n": drafts[0].number}
        )
    return problems


def load_rule_files(paths: list[Path] | None = None, *, actor: Actor | None = None) -> LoadReport:
    """Load rule files (default: the shipped ones); all or nothing. Raises ``RuleLoadError``
    naming every problem with its file."""
    actor = actor or LOADER
    paths = [Path(p) for p in paths] if paths else shipped_rule_paths()
    plans: list[_Planned] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            plan = _read(path)
        except RuleLoadError as exc:
            problems += exc.problems
            continue
        if plan.key in seen:
            problems.append(
                f"{path.name}: "
                + _("item %(item)s is also in %(other)s.")
                % {"item": plan.key, "other": seen[plan.key]}
            )
            continue
        seen[plan.key] = path.name
        plans.append(plan)
    _merge_shared_policies(plans)
    for plan in plans:
        problems += _check_against_database(plan)
    if problems:
        raise RuleLoadError(problems)
    outcomes = []
    try:
        with transaction.atomic():
            for plan in plans:
                outcomes.append(_load_one(actor, plan))
    except PolicyError as exc:  # a service refused (e.g. a concurrent change): nothing written
        raise RuleLoadError([exc.message]) from exc
    return LoadReport(outcomes)


def _merge_shared_policies(plans: list[_Planned]) -> None:
    """Items of one policy document (same title, issuing unit and number) in several files share
    one Policy: its validity spans all their versions; budget, region and summary come from the
    first file that gives them. Every file then carries the same values, so a reload is a no-op."""
    groups: dict[tuple, list[_Planned]] = {}
    for plan in plans:
        v = plan.policy_values
        groups.setdefault((v["title"], v["issuing_unit"], v["doc_number"]), []).append(plan)
    for members in groups.values():
        if len(members) < 2:
            continue
        values = [m.policy_values for m in members]
        merged = dict(values[0])
        merged["valid_from"] = min(v["valid_from"] for v in values)
        ends = [v["valid_to"] for v in values]
        merged["valid_to"] = max(ends) if all(ends) else None
        for name in ("budget_yuan", "region"):
            merged[name] = next((v[name] for v in values if v[name] is not None), None)
        merged["summary"] = next((v["summary"] for v in values if v["summary"]), "")
        for member in members:
            member.policy_values = dict(merged)


def _policy_for(actor: Actor, plan: _Planned, item: PolicyItem | None) -> tuple[Policy, str]:
    values = plan.policy_values
    policy = item.policy if item is not None else None
    if policy is None:
        policy = Policy.objects.filter(
            title=values["title"],
            issuing_unit=values["issuing_unit"],
            doc_number=values["doc_number"],
        ).first()
    if policy is None:
        policy = services.create_policy(actor, **values)
        status = "created"
    else:
        current = {name: getattr(policy, name) for name in values}
        if policy.state != PolicyState.ARCHIVED and current != values:
            policy = services.update_policy(actor, policy, **values)
            status = "updated"
        else:
            status = "unchanged"
    if policy.state == PolicyState.DRAFT:
        policy = services.publish_policy(actor, policy)
        status = "created" if status == "created" else "updated"
    return policy, status


def _load_one(actor: Actor, plan: _Planned) -> FileOutcome:
    data = plan.data
    item = PolicyItem.objects.select_related("policy").filter(key=plan.key).first()
    policy, policy_status = _policy_for(actor, plan, item)
    item_values = {
        "name": str(data["name"]["zh"]),
        "category": data.get("category", "grant"),
        "subject": data.get("subject", "project"),
        "proactive": True,
    }
    if item is None:
        item = services.create_item(actor, policy, key=plan.key, **item_values)
        item_status = "created"
    else:
        current = {name: getattr(item, name) for name in item_values}
        if current != item_values:
            item = services.update_item(actor, item, **item_values)
            item_status = "updated"
        else:
            item_status = "unchanged"
    existing = {v.number: v for v in item.versions.all()}
    versions: dict[int, str] = {}
    for planned in plan.versions:
        number = planned["number"]
        row = existing.get(number)
        if row is not None and (row.rule or row.state != VersionState.DRAFT):
            versions[number] = "unchanged"
            continue
        note = _("Loaded from %(file)s.") % {"file": plan.path.name}
        if row is None:
            row = services.create_item_version(
                actor,
                item,
                rule=planned["rule"],
                test_cases=plan.cases,
                valid_from=planned["valid_from"],
                note=note,
            )
            if planned["valid_to"] is not None:
                row = services.update_item_version(actor, row, valid_to=planned["valid_to"])
        else:  # a new item's empty draft (version 1)
            row = services.update_item_version(
                actor,
                row,
                rule=planned["rule"],
                test_cases=plan.cases,
                valid_from=planned["valid_from"],
                valid_to=planned["valid_to"],
                note=note,
            )
        services.publish_item_version(actor, row)
        versions[number] = "created"
    return FileOutcome(
        plan.path.name, plan.key, policy_status, item_status, versions, list(plan.notes)
    )
