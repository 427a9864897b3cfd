"""A call's eligibility rule: the conditions of the policy engine (region and industry
prefixes, maturity level at least N, titles held, revenue, employees), shown in words before
the applicant starts and evaluated by the engine against the applicant's facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import get_language

from zhizao.policies.adapters import enterprise_facts
from zhizao.policies.describe import describe_conditions
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


def describe_eligibility(call, lang: str | None = None) -> str:
    rule = eligibility_rule(call)
    if rule is None:
        return ""
    return describe_conditions(rule.conditions, _lang(lang))


@dataclass(frozen=True)
class Eligibility:
    eligible: bool | None  # None: a fact is missing, the office decides
    missing: tuple[str, ...]
    steps: tuple[str, ...]  # the engine's explanation, in words


def check_eligibility(call, organization, *, as_of: dt.date, lang: str | None = None):
    rule = eligibility_rule(call)
    if rule is None:
        return Eligibility(True, (), ())
    outcome = evaluate_rule(rule, enterprise_facts(organization), as_of, lang=_lang(lang))[0]
    steps = tuple(
        step["text"] for step in outcome.explanation if step.get("step") in ("condition", "group")
    )
    return Eligibility(outcome.eligible, tuple(outcome.missing), steps)
