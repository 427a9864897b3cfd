"""The shared matching vocabulary (``zhizao_core.matching.vocabulary``) in the active language:
category and kind names for choices, selects and reasons."""

from __future__ import annotations

from django.utils.translation import get_language

from zhizao_core.matching.vocabulary import CATEGORIES, KINDS


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def category_name(code: str) -> str:
    names = CATEGORIES.get(code)
    if names is None:
        return code
    return names[1] if _english() else names[0]


def kind_name(code: str) -> str:
    names = KINDS.get(code)
    if names is None:
        return code
    return names[1] if _english() else names[0]


def category_choices() -> list[tuple[str, str]]:
    """(code, name) of every category, in the vocabulary's order, in the active language."""
    return [(code, category_name(code)) for code in CATEGORIES]


def is_category(code: str) -> bool:
    return code in CATEGORIES
