"""The rule editor's writes: save a draft's rule and example cases, add, replace or remove one
case, and publish a draft once its rule is valid and every case passes; and its read: run the
draft's cases against a catalogue that holds the draft.

A published version is never changed: saving when the item has no draft starts one (a copy of
the latest version, ``create_item_version``) in the same transaction, so a refused save leaves
nothing behind. Rule data is checked by the engine before anything is written; each problem
keeps its place (``conditions.all[1].op``) so pages and the API can point at it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao_core.policy import FactsError, RuleError, check_enterprise, parse_rule, run_case

from .. import engine
from ..enums import VersionState
from ..errors import PolicyError
from ..models import PolicyItem, PolicyItemVersion
from .policies import create_item_version, publish_item_version, update_item_version

MAX_CASES = 100


class RuleInvalid(PolicyError):
    """The engine refused rule data; ``problems`` are the engine's ``RuleProblem`` with their
    places."""

    def __init__(self, problems, lang: str):
        super().__init__(
            "invalid_rule", engine.problems_text(RuleError(problems), lang), field="rule"
        )
        self.problems = problems
        self.lang = lang

    def as_list(self) -> list[dict]:
        return [problem.as_dict(self.lang) for problem in self.problems]


def draft_of(item: PolicyItem) -> PolicyItemVersion | None:
    return item.versions.filter(state=VersionState.DRAFT).first()


def editing_base(item: PolicyItem) -> PolicyItemVersion | None:
    """What the editor shows: the draft, else the latest version (saving copies it)."""
    return draft_of(item) or item.versions.order_by("-number").first()


def next_number(item: PolicyItem) -> int:
    draft = draft_of(item)
    if draft is not None:
        return draft.number
    latest = item.versions.order_by("-number").first()
    return latest.number + 1 if latest else 1


def _day(raw, name: str) -> dt.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise PolicyError("bad_date", f"{name}: YYYY-MM-DD", field=name) from None


def normalized_rule(item: PolicyItem, number: int, rule: dict) -> dict:
    """The rule data as stored: the item's id, name, subject and category and the version's
    number win over what the data says."""
    data = dict(rule)
    name = data.get("name")
    data.update(
        {
            "id": item.key,
            "name": {
                "zh": item.name,
                "en": (name.get("en") if isinstance(name, dict) else None) or item.name,
            },
            "subject": item.subject,
            "category": item.category,
            "version": number,
        }
    )
    return data


def check_rule_data(rule, *, lang: str | None = None):
    """Parse rule data with the engine; ``RuleInvalid`` names each problem and its place."""
    lang = lang or engine.language()
    if not isinstance(rule, dict):
        raise PolicyError("invalid_rule", _("The rule must be a JSON object."), field="rule")
    try:
        return parse_rule(rule)
    except RuleError as exc:
        raise RuleInvalid(exc.problems, lang) from exc


def check_cases(cases, *, lang: str | None = None) -> list[dict]:
    """Example cases in the shipped YAML format: a name, a date, the enterprise's facts and
    what is expected. Problems name the case (``cases[2].enterprise.region``)."""
    lang = lang or engine.language()
    if not isinstance(cases, list):
        raise PolicyError(
            "invalid_test_cases", _("Test cases must be a JSON list."), field="test_cases"
        )
    if len(cases) > MAX_CASES:
        raise PolicyError(
            "invalid_test_cases",
            _("At most %(n)s example cases.") % {"n": MAX_CASES},
            field="test_cases",
        )
    problems = []
    for i, case in enumerate(cases):
        where = f"cases[{i}]"
        if not isinstance(case, dict):
            problems.append(f"{where}: " + _("must be an object"))
            continue
        if not str(case.get("name") or "").strip():
            problems.append(f"{where}.name: " + _("is required"))
        if _safe_day(case.get("as_of")) is None:
            problems.append(f"{where}.as_of: " + _("a date is YYYY-MM-DD"))
        expect = case.get("expect")
        if not isinstance(expect, list) or not expect:
            problems.append(f"{where}.expect: " + _("must be a non-empty list"))
        raw = (
            dict(case.get("enterprise") or {}) if isinstance(case.get("enterprise"), dict) else None
        )
        if raw is None:
            problems.append(f"{where}.enterprise: " + _("must be an object"))
            continue
        raw.setdefault("uscc", "91320214MA1W0X3K0B")
        raw.setdefault("name", "example")
        _enterprise, fact_problems = check_enterprise(raw, f"{where}.enterprise")
        problems += [p.text(lang) for p in fact_problems]
    if problems:
        raise PolicyError("invalid_test_cases", "；".join(problems[:20]), field="test_cases")
    return cases


def _safe_day(raw):
    try:
        return _day(raw, "as_of")
    except PolicyError:
        return None


def save_draft(
    actor: Actor,
    item: PolicyItem,
    *,
    rule: dict,
    test_cases: list | None = None,
    note: str | None = None,
) -> PolicyItemVersion:
    """Store rule data (and, when given, the example cases) on the item's draft, starting the
    draft if there is none. ``valid_from``/``valid_to`` of the rule data become the version's.
    Checked first, written in one transaction, audited (before → after of the rule)."""
    if not isinstance(rule, dict):
        raise PolicyError("invalid_rule", _("The rule must be a JSON object."), field="rule")
    valid_from = _day(rule.get("valid_from"), "valid_from")
    valid_to = _day(rule.get("valid_to"), "valid_to")
    if test_cases is not None:
        check_cases(test_cases)
    with transaction.atomic():
        locked = PolicyItem.objects.select_for_update().get(pk=item.pk)
        number = next_number(locked)
        data = normalized_rule(locked, number, rule)
        if valid_from is None:
            base = editing_base(locked)
            valid_from = base.valid_from if base is not None else locked.policy.valid_from
            data["valid_from"] = valid_from.isoformat()
        check_rule_data(data)
        draft = create_item_version(actor, locked)
        fields = {"rule": data, "valid_from": valid_from, "valid_to": valid_to}
        if test_cases is not None:
            fields["test_cases"] = test_cases
        if note is not None:
            fields["note"] = note
        return update_item_version(actor, draft, **fields)


def save_case(actor: Actor, item: PolicyItem, *, case: dict, index: int | None = None):
    """Add an example case to the draft (``index`` None) or replace case ``index``."""
    check_cases([case])
    with transaction.atomic():
        locked = PolicyItem.objects.select_for_update().get(pk=item.pk)
        draft = create_item_version(actor, locked)
        cases = list(draft.test_cases or [])
        if index is None:
            cases.append(case)
        elif 0 <= index < len(cases):
            cases[index] = case
        else:
            raise PolicyError("no_case", _("That example case no longer exists."))
        check_cases(cases)
        return update_item_version(actor, draft, test_cases=cases)


def delete_case(actor: Actor, item: PolicyItem, *, index: int) -> PolicyItemVersion:
    with transaction.atomic():
        locked = PolicyItem.objects.select_for_update().get(pk=item.pk)
        draft = create_item_version(actor, locked)
        cases = list(draft.test_cases or [])
        if not 0 <= index < len(cases):
            raise PolicyError("no_case", _("That example case no longer exists."))
        del cases[index]
        return update_item_version(actor, draft, test_cases=cases)


# --- running the cases ----------------------------------------------------------------------


@dataclass
class CaseRun:
    index: int
    name: str
    case: dict
    passed: bool
    problems: list[str] = field(default_factory=list)
    outcomes: list[dict] = field(default_factory=list)
    error: str = ""


def run_cases(item: PolicyItem, version: PolicyItemVersion, *, lang: str | None = None):
    """Each example case of ``version`` run against a catalogue holding that version: passed or
    not, what differs, the actual outcomes with their explanations. Returns (runs, rule
    problem text or "")."""
    lang = lang or engine.language()
    try:
        rule = parse_rule(engine.version_rule_data(item, version))
    except RuleError as exc:
        return [], engine.problems_text(exc, lang)
    catalogue = {item.key: [rule]}
    runs = []
    for i, case in enumerate(version.test_cases or []):
        name = str(case.get("name") or "") if isinstance(case, dict) else ""
        try:
            result = run_case(catalogue, item.key, case, lang=lang, names=engine.code_names(lang))
        except (FactsError, TypeError, ValueError, AttributeError) as exc:
            text = "；".join(p.text(lang) for p in getattr(exc, "problems", [])) or str(exc)
            runs.append(CaseRun(i, name, case, False, error=text or _("The case cannot be read.")))
            continue
        runs.append(
            CaseRun(
                i,
                result.name,
                case,
                result.passed,
                problems=list(result.problems),
                outcomes=[outcome.as_json() for outcome in result.outcomes],
            )
        )
    return runs, ""


def publish_draft(actor: Actor, item: PolicyItem) -> PolicyItemVersion:
    """Publish the item's draft: refused while the rule is invalid, there is no example case,
    or any case fails (nothing changes then). The published version before it becomes
    superseded; decisions keep pointing at the version they used."""
    lang = engine.language()
    with transaction.atomic():
        locked = PolicyItem.objects.select_for_update().get(pk=item.pk)
        draft = (
            PolicyItemVersion.objects.select_for_update()
            .filter(item=locked, state=VersionState.DRAFT)
            .first()
        )
        if draft is None:
            raise PolicyError("no_draft", _("There is no draft version to publish."))
        try:
            check_rule_data(engine.version_rule_data(locked, draft), lang=lang)
        except RuleInvalid as exc:
            raise PolicyError(
                "invalid_rule",
                _("The rule is not valid yet: %(problems)s") % {"problems": exc.message},
                field="rule",
            ) from exc
        if not draft.test_cases:
            raise PolicyError(
                "no_cases", _("Add at least one example case and run it before publishing.")
            )
        runs, _problem = run_cases(locked, draft, lang=lang)
        failed = [run for run in runs if not run.passed]
        if failed:
            raise PolicyError(
                "cases_fail",
                _("Example cases that fail (%(n)s): %(names)s. Fix the rule or the cases first.")
                % {"n": len(failed), "names": "、".join(f"“{run.name}”" for run in failed)},
            )
        return publish_item_version(actor, draft)
