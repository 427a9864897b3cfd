"""Rule files (one policy item with its versions and its test cases) and the test runner.

A rule file is YAML or JSON::

    id: wuxi-im-transformation
    name: {zh: …, en: …}
    subject: project
    category: grant
    policy: {title: …, doc_number: …, issuing_unit: …, level: city, region: "320200"}
    versions:
      - version: 1
        valid_from: 2024-01-01
        conditions: …
        amount: …
    cases:
      - name: …
        as_of: 2025-06-30
        enterprise: {facts of one enterprise}
        expect: [{project: p1, eligible: true, amount_yuan: "2200000.00", binding_cap: null}]

Each version inherits ``id``, ``name``, ``subject`` and ``category`` from the file. Cases are
checked to the fen: zero error margin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .explain import evaluate
from .facts import FactProblem, FactsError, check_enterprise
from .rules import Rule, RuleError, RuleProblem, parse_rule

INHERITED = ("id", "name", "subject", "category")


@dataclass
class RuleFile:
    key: str
    versions: list[Rule]
    cases: list[dict]
    policy: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)


def version_data(file_data: dict, version: dict) -> dict:
    merged = {key: file_data[key] for key in INHERITED if key in file_data}
    merged.update(version)
    return merged


def parse_rule_file(data) -> RuleFile:
    if not isinstance(data, dict):
        raise RuleError([RuleProblem("$", "not_object")])
    versions_raw = data.get("versions")
    if versions_raw is None:
        versions_raw = [{k: v for k, v in data.items() if k not in ("cases", "policy")}]
    if not isinstance(versions_raw, list) or not versions_raw:
        raise RuleError([RuleProblem("versions", "not_list")])
    versions = []
    problems: list[RuleProblem] = []
    numbers = set()
    for i, raw in enumerate(versions_raw):
        if not isinstance(raw, dict):
            problems.append(RuleProblem(f"versions[{i}]", "not_object"))
            continue
        try:
            rule = parse_rule(version_data(data, raw))
        except RuleError as exc:
            problems += [
                RuleProblem(f"versions[{i}].{p.path}", p.code, p.params) for p in exc.problems
            ]
            continue
        if rule.version in numbers:
            problems.append(
                RuleProblem(f"versions[{i}].version", "duplicate_version", {"value": rule.version})
            )
        numbers.add(rule.version)
        versions.append(rule)
    cases = data.get("cases") or []
    if not isinstance(cases, list):
        problems.append(RuleProblem("cases", "not_list"))
        cases = []
    if problems:
        raise RuleError(problems)
    return RuleFile(versions[0].key, versions, cases, data.get("policy") or {}, data)


@dataclass
class CaseResult:
    name: str
    passed: bool
    problems: list[str]
    outcomes: list


def run_case(
    catalogue: dict[str, list[Rule]], item: str, case: dict, *, lang: str = "zh", names=None
) -> CaseResult:
    """Evaluate one example case and compare with what it expects (to the fen)."""
    name = str(case.get("name") or "")
    enterprise_raw = dict(case.get("enterprise") or {})
    enterprise_raw.setdefault("uscc", "91320214MA1W0X3K0B")
    enterprise_raw.setdefault("name", name or "example")
    enterprise, problems = check_enterprise(enterprise_raw, "enterprise")
    if enterprise is None:
        raise FactsError(problems)
    try:
        as_of = date.fromisoformat(str(case.get("as_of") or "2025-06-30"))
    except ValueError as exc:
        raise FactsError(
            [FactProblem("as_of", "bad_date", {"value": str(case.get("as_of"))})]
        ) from exc
    items = [item] if item in catalogue else []
    outcomes = evaluate(catalogue, enterprise, as_of, items=items or [item], lang=lang, names=names)
    problems = []
    expected = case.get("expect") or []
    if len(expected) != len(outcomes):
        problems.append(f"expected {len(expected)} results, got {len(outcomes)}")
    for want, got in zip(expected, outcomes, strict=False):
        got_json = got.as_json()
        for key in ("project", "eligible", "amount_yuan", "binding_cap", "missing"):
            if key not in want:
                continue
            value = want[key]
            if key == "binding_cap" and isinstance(value, str):
                actual = (got_json["binding_cap"] or {}).get("per")
            else:
                actual = got_json[key]
            if key == "project" and value is not None:
                value = str(value)
            if actual != value:
                problems.append(f"{got.project or '-'} {key}: expected {value!r}, got {actual!r}")
    return CaseResult(name, not problems, problems, outcomes)


def catalogue_of(files: list[RuleFile]) -> dict[str, list[Rule]]:
    return {f.key: f.versions for f in files}
