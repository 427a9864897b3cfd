"""The diagnosis module's words in the user's language: problems found by the core (model
files, answers files), the reasons of levels and allocations, the scoring rules as sentences,
answer labels and number formats."""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhizao_core.diagnosis import ModelError, Problem, answer_code
from zhizao_core.diagnosis import round_half_up as rhu

from .enums import AnswerValue


def lang_text(text: dict | None) -> str:
    """The active language's half of a {"zh", "en"} text (Chinese when English is missing)."""
    if not text:
        return ""
    lang = (get_language() or "zh-hans").lower()
    return (text.get("en") if lang.startswith("en") else text.get("zh")) or text.get("zh") or ""


ENTERPRISE_TYPE_LABELS = {"discrete": "discrete", "process": "process"}


def _messages() -> dict[str, str]:
    return {
        "not_a_mapping": _("must be a mapping (key: value)"),
        "not_a_list": _("must be a list"),
        "empty_list": _("must not be empty"),
        "too_many": _("has %(count)s entries; at most %(limit)s are allowed"),
        "bad_id": _("“%(value)s” is not a valid id (letters, digits, “-”, “_” or “.”, at most 80)"),
        "not_bilingual": _("must give a Chinese (zh) and an English (en) text"),
        "missing_text": _("text is missing"),
        "text_too_long": _("text is longer than %(limit)s characters"),
        "unknown_keys": _("unknown keys: %(keys)s"),
        "unknown_key": _("unknown key"),
        "not_a_number": _("“%(value)s” is not a number"),
        "negative_or_infinite": _("“%(value)s” must be a finite number of at least 0"),
        "unknown_enterprise_type": _("“%(value)s” is not an enterprise type (discrete, process)"),
        "weight_type_missing": _("no weight for enterprise type “%(type)s”"),
        "missing_version": _("a version is required"),
        "bad_choice": _("“%(value)s” is not one of %(choices)s"),
        "out_of_range": _("must be greater than %(low)s and at most %(high)s"),
        "level_sequence": _("levels must be numbered 1, 2, 3 … in order; expected %(expected)s"),
        "duplicate_id": _("id “%(value)s” is already used at %(first)s"),
        "bad_tags": _("tags must be a list of short texts"),
        "unknown_subdomain": _("unknown sub-domain “%(value)s”"),
        "unknown_level": _("unknown level “%(value)s”"),
        "not_a_boolean": _("must be true or false"),
        "all_weights_zero": _("every weight here is 0 for enterprise type “%(type)s”"),
        "unknown_requirement": _("unknown requirement id “%(value)s”"),
        "invalid_answer": _(
            "“%(value)s” is not an answer; use 1, 0.8, 0.5, 0 or “na” (not applicable)"
        ),
        "na_not_allowed": _("this requirement cannot be answered “not applicable”"),
        "missing_answer": _("no answer given"),
        "file_unreadable": _("cannot be read: %(detail)s"),
        "version_changed": _(
            "version %(version)s of this model is already loaded with different content; "
            "give the changed file a new version"
        ),
    }


def problem_text(problem: Problem) -> str:
    template = _messages().get(problem.code, problem.code)
    params = {
        k: (", ".join(map(str, v)) if isinstance(v, list) else v) for k, v in problem.params.items()
    }
    try:
        detail = template % params
    except (KeyError, TypeError, ValueError):
        detail = template
    return f"{problem.path}: {detail}"


def problems_text(problems: list[Problem], *, prefix: str = "") -> list[str]:
    return [f"{prefix}{problem_text(p)}" for p in problems]


# The national level shares the report quotes as the outside reference (CESI 智能制造成熟度指数
# 报告 2022, via docs/diagnosis-models.md): ≤ L1 63 %, L2 21 %, L3 12 %, ≥ L4 4 %.
NATIONAL_SHARES = (("≤ 1", 63), ("2", 21), ("3", 12), ("≥ 4", 4))


def fmt(value: Fraction, places: int = 2) -> str:
    return rhu(value, places)


def reason_text(reason: str) -> str:
    return {
        "met": _("met: the level score reaches the threshold and every lower level is met"),
        "below_threshold": _("not met: the level score is below the threshold"),
        "nothing_applies": _(
            "not met: no requirement of this level applies (none exists or all are answered "
            "“not applicable”), so its score is 0"
        ),
        "lower_level_not_met": _("not credited: a lower level is not met"),
    }.get(reason, reason)


def rules_text(model, assessment) -> list[str]:
    threshold = fmt(model.threshold, 2)
    lines = [
        _("Model: %(name)s, version %(version)s; enterprise type: %(type)s.")
        % {
            "name": lang_text(model.name),
            "version": model.version,
            "type": assessment.get_enterprise_type_display(),
        },
        _(
            "Each requirement scores 1 (fully met), 0.8 (mostly met), 0.5 (partly met) or 0 "
            "(not met); “not applicable” answers are left out."
        ),
        _("A sub-domain's score at a level is the mean of its requirement scores at that level."),
        _(
            "Domains, elements and the level score are weighted means of their children, with "
            "the weights for this enterprise type renormalised over the children that apply at "
            "that level."
        ),
        _(
            "Levels are judged from the bottom: a level is met when its score is at least "
            "%(threshold)s and every level below it is met."
        )
        % {"threshold": threshold},
    ]
    if model.level_rule == "full_credit":
        lines.append(
            _(
                "Total score S = number of levels met + the score of the first level not met "
                "(full credit for met levels)."
            )
        )
    else:
        lines.append(
            _(
                "Total score S = the sum of the scores of the levels met + the score of the "
                "first level not met (actual scores)."
            )
        )
    lines.append(_("Scores are computed exactly and rounded half-up only for display."))
    lines.append(
        _(
            "A self-assessment is not a certified maturity level; certification follows "
            "GB/T 39117-2020 through an accredited assessment body."
        )
    )
    return lines


def answer_label(value) -> str:
    if value is None:
        return _("not answered")
    return AnswerValue(answer_code(value)).label


def distance_labels() -> dict[str, str]:
    return {
        "district": _("same district"),
        "city": _("same city"),
        "province": _("same province"),
        "service_region": _("in its service region"),
    }


def allocation_reason(code: str) -> str:
    return {
        "budget_exhausted": _("the budget pays for no more diagnoses"),
        "no_provider_in_region": _("no provider serves its region"),
        "conflict_of_interest": _("every provider serving its region has a stake in it"),
        "no_capacity": _("the providers serving its region have no quota left"),
        "outside_service_region": _("the enterprise lies outside the provider's service regions"),
        "quota_full": _("the provider's quota is full"),
        "removed_by_operator": _("removed by an operator"),
    }.get(code, code)


def model_errors_text(exc: ModelError) -> list[str]:
    return problems_text(exc.problems)
