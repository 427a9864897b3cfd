"""The seam between this app and the pure rule engine (``zhizao_core.policy``): rule checks
for the services, the shipped rule files, and the catalogue the command line and the pages
evaluate against.

``check_rule`` is called by every service that stores or publishes a rule: it returns nothing
when the rule is acceptable and raises ``PolicyError`` (code ``invalid_rule``, field ``rule``)
naming every problem with its place when it is not. Nothing in a rule is ever evaluated as
code: ``zhizao_core.policy.parse_rule`` reads it as typed data with size and depth limits.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

import yaml
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhizao.registry.models import Industry, Region
from zhizao_core.policy import Rule, RuleError, RuleFile, names, parse_rule, parse_rule_file

from .enums import ProjectKind
from .errors import PolicyError

RULES_DIR = Path(__file__).resolve().parent / "data" / "rules"
# The registry's reference files (GB/T 2260 regions, GB/T 4754 industries): names without a database.
REFERENCE_DIR = Path(__file__).resolve().parent.parent / "registry" / "data"


def language() -> str:
    return "en" if (get_language() or "zh-hans").startswith("en") else "zh"


def problems_text(exc: RuleError, lang: str | None = None) -> str:
    lang = lang or language()
    return (
        "；".join(p.text(lang) for p in exc.problems[:20])
        if lang == "zh"
        else "; ".join(p.text(lang) for p in exc.problems[:20])
    )


def check_rule(rule, *, item=None, version=None) -> Rule:
    """Check rule data as it is stored on a version. With ``item`` (and ``version``) the
    item's id, name, subject and category and the version's number and dates are merged in
    as the engine will see them; without, placeholders stand in for them."""
    if not isinstance(rule, dict):
        raise PolicyError("invalid_rule", _("The rule must be a JSON object."), field="rule")
    if item is not None and version is not None:
        data = version_rule_data(item, version, rule=rule)
    else:
        data = dict(rule)
        if item is not None:
            data.update(
                id=item.key,
                name={"zh": item.name, "en": item.name},
                subject=item.subject,
                category=item.category,
            )
        data.setdefault("id", "draft-item")
        data.setdefault("name", {"zh": "—", "en": "—"})
        data.setdefault("valid_from", "2024-01-01")
    try:
        return parse_rule(data)
    except RuleError as exc:
        raise PolicyError("invalid_rule", problems_text(exc), field="rule") from exc


def read_rule_file(path: Path) -> RuleFile:
    """A rule file (YAML or JSON) → RuleFile; RuleError names the problems."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return parse_rule_file(data)


@cache
def shipped_rule_files() -> tuple[RuleFile, ...]:
    """The rule files that ship with the platform (``policies/data/rules``), by id."""
    return tuple(read_rule_file(path) for path in sorted(RULES_DIR.glob("*.yaml")))


def shipped_catalogue() -> dict[str, list[Rule]]:
    return {f.key: list(f.versions) for f in shipped_rule_files()}


def version_rule_data(item, version, *, rule: dict | None = None) -> dict:
    """The engine's rule data for a stored item version: the version's rule with the item's
    id, name, subject and category and the version's number and dates (the stored fields
    win over anything the rule data says about them)."""
    data = dict(version.rule if rule is None else rule or {})
    data.update(
        {
            "id": item.key,
            "name": {"zh": item.name, "en": (data.get("name") or {}).get("en") or item.name}
            if not isinstance(data.get("name"), dict)
            else {**data["name"], "zh": item.name},
            "subject": item.subject,
            "category": item.category,
            "version": version.number,
            "valid_from": version.valid_from.isoformat(),
            "valid_to": version.valid_to.isoformat() if version.valid_to else None,
        }
    )
    return data


def stored_catalogue(versions) -> dict[str, list[Rule]]:
    """Published (and superseded) versions from the database → catalogue. Versions whose rule
    no longer parses are left out (they could not have been published)."""
    catalogue: dict[str, list[Rule]] = {}
    for version in versions:
        try:
            rule = parse_rule(version_rule_data(version.item, version))
        except RuleError:
            continue
        catalogue.setdefault(rule.key, []).append(rule)
    return catalogue


# --- names of places and industries in explanations ------------------------------------------

_CODE_NAMES: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
_names_lock = threading.Lock()


def _name_tables(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """Region and industry names in ``lang``, read once per process (the reference tables do
    not change while it runs; an empty test database is not cached)."""
    tables = _CODE_NAMES.get(lang)
    if tables is not None:
        return tables
    with _names_lock:
        regions = {
            code: (en or zh) if lang == "en" else zh
            for code, zh, en in Region.objects.values_list("code", "name_zh", "name_en")
        }
        industries = {
            code: (en or zh) if lang == "en" else zh
            for code, zh, en in Industry.objects.values_list("code", "name_zh", "name_en")
        }
        tables = (regions, industries)
        if regions:
            _CODE_NAMES[lang] = tables
    return tables


def code_names(lang: str | None = None):
    """``names(fact, code)`` for ``zhizao_core.policy.evaluate``: a region code or prefix
    (``3202`` → 无锡市), an industry code (``C``, ``34``, ``3421``) and a project kind
    (``intelligent_transformation`` → 智能化改造) by their names."""
    lang = lang or language()
    regions, industries = _name_tables(lang)
    return names.code_names(regions, industries, project_kind_names(lang))


def project_kind_names(lang: str) -> dict[str, str]:
    with translation.override("en" if lang == "en" else "zh-hans"):
        return {value: str(label) for value, label in ProjectKind.choices}


def reference_code_names(lang: str):
    """``code_names`` read from the shipped reference files (the registry's ``regions.csv``
    and ``industries.csv``), no database: ``zhizao policies evaluate``."""
    return names.read_reference_names(
        REFERENCE_DIR / "regions.csv",
        REFERENCE_DIR / "industries.csv",
        lang,
        project_kind_names(lang),
    )
