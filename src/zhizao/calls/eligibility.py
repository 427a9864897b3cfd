"""A call's eligibility rule: the conditions of the policy engine (region and industry
prefixes, maturity level at least N, titles held, revenue, employees) and, when the call asks,
no credit record in force (the credit screen of policy scans); shown in words before the
applicant starts and evaluated by the engine against the applicant's facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhizao.policies.adapters import enterprise_facts
from zhizao.policies.describe import describe_conditions
from zhizao.policies.engine import code_names
from zhizao.policies.services.scans import credit_exclusions, credit_reason
from zhizao_core.policy import Rule, parse_rule
from zhizao_core.policy.explain import evaluate_rule


def _lang(lang: str | None = None) -> str:
    lang = lang or get_language() or "zh-hans"
    return "en" if lang.startswith("en") else "zh"


def eligibility_rule(call, conditions=None) -> Rule | None:
    """The call's conditions wrapped as a policy rule (no amount); ``None`` when the call has
    none. Raises ``zhizao_core.policy.RuleError`` naming each problem's place."""
    conditions = call.eligibility if conditions is None else conditions
    if not conditions:
        return None
    return parse_rule(
        {
            "id": f"call-{call.pk or 0}",
            "name": {"zh": call.title or "申报条件", "en": call.title or "Eligibility"},
            "subject": "enterprise",
            "category": "grant",
            "valid_from": "2000-01-01",
            "conditions": conditions,
            "amount": {"fixed": "0"},
        }
    )


def _no_credit_words(lang: str) -> str:
    with translation.override("en" if lang == "en" else "zh-hans"):
        return _(
            "no credit record in force (dishonesty, serious violations, abnormal operation, penalties)"
        )


def _prefixes(node, fact: str) -> set[str]:
    if isinstance(node, dict):
        if node.get("fact") == fact and node.get("op") in ("prefix", "not_prefix"):
            values = node.get("value")
            return {str(v) for v in values} if isinstance(values, list) else set()
        return set().union(*(_prefixes(v, fact) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_prefixes(v, fact) for v in node))
    return set()


def prefix_names(conditions, lang: str) -> dict[str, dict[str, str]]:
    """The region and industry code prefixes of a rule by their names, so that applicants read
    “注册地属于 江苏省无锡市”, not a code: a region with its province (and city), an industry
    by its name. A prefix that names no current region or industry keeps its code."""
    from zhizao.registry.models import Industry, Region

    regions = _prefixes(conditions, "enterprise.region")
    industries = _prefixes(conditions, "enterprise.industry")
    out: dict[str, dict[str, str]] = {"enterprise.region": {}, "enterprise.industry": {}}
    with translation.override("en" if lang == "en" else "zh-hans"):
        if regions:
            codes = {p: (p + "0000")[:6] if len(p) in (2, 4) else p for p in regions}
            chains = {
                p: list(dict.fromkeys((c[:2] + "0000", c[:4] + "00", c))) for p, c in codes.items()
            }
            found = {
                r.code: r.name
                for r in Region.objects.filter(
                    code__in={x for chain in chains.values() for x in chain},
                    valid_to__isnull=True,
                )
            }
            for prefix, chain in chains.items():
                if codes[prefix] in found and len(prefix) in (2, 4, 6):
                    parts = [found[c] for c in chain if c in found]
                    out["enterprise.region"][prefix] = (
                        ", ".join(reversed(parts)) if lang == "en" else "".join(parts)
                    )
        for industry in Industry.objects.filter(code__in=industries) if industries else ():
            out["enterprise.industry"][industry.code] = industry.name
    return out


def describe_eligibility(call, lang: str | None = None) -> str:
    lang = _lang(lang)
    rule = eligibility_rule(call)
    parts = (
        [describe_conditions(rule.conditions, lang, names=prefix_names(call.eligibility, lang))]
        if rule is not None
        else []
    )
    if call.no_credit_record:
        parts.append(_no_credit_words(lang))
    return (" and " if lang == "en" else " 且 ").join(parts)


@dataclass(frozen=True)
class Eligibility:
    eligible: bool | None  # None: a fact is missing, the office decides
    missing: tuple[str, ...]
    steps: tuple[str, ...]  # the engine's explanation, in words


def check_eligibility(call, organization, *, as_of: dt.date, lang: str | None = None):
    """The engine's verdict on the rule, then (when the call asks) the credit screen: a record
    in force on ``as_of`` makes the applicant ineligible, whatever the rule says."""
    rule = eligibility_rule(call)
    if rule is None:
        result = Eligibility(True, (), ())
    else:
        outcome = evaluate_rule(
            rule,
            enterprise_facts(organization),
            as_of,
            lang=_lang(lang),
            names=code_names(_lang(lang)),
        )[0]
        steps = tuple(
            step["text"]
            for step in outcome.explanation
            if step.get("step") in ("condition", "group")
        )
        result = Eligibility(outcome.eligible, tuple(outcome.missing), steps)
    if not call.no_credit_record:
        return result
    records = credit_exclusions([organization.pk], as_of).get(organization.pk)
    with translation.override("en" if _lang(lang) == "en" else "zh-hans"):
        if records:
            step = _("Credit record in force: %(records)s") % {"records": credit_reason(records)}
            return Eligibility(False, result.missing, (*result.steps, step))
        step = _("No credit record in force")
    return Eligibility(result.eligible, result.missing, (*result.steps, step))
