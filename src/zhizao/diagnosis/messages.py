"""Problems found by the core (model files, answers files) in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhizao_core.diagnosis import Problem

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
