"""The import's cell rules for the organisation and contact forms and the API.

One set of rules: ``zhizao_core.importing.CellRules`` decides what a value of each column
means (``"1.25亿"`` → 12500 万元, ``2008年`` → 2008, ``+86 139 1234 5678`` → ``13912345678``) and
what it refuses (a founding year of 3025, 99,999,999,999 employees, 80 products). This module
adapts them: ``check(key, value)`` answers the normalised value or raises Django's
``ValidationError`` with the message the import shows for that cell (``import_messages``), so a
form, an API operation and an import refuse the same value with the same words. The column in a
message is its header in the user's language (名称 / name), as in the import template.

Form fields (``RuleCharField``, ``RuleTreeChoiceField``) call ``check`` when they clean; the
API's fields call it from ``to_internal_value`` (``zhizao.api.registry.serializers``).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language

from zhizao.common.pickers import INDUSTRIES, REGIONS, TreeChoiceField
from zhizao_core.importing import BY_KEY, CellProblem, CellRules, ImportContext
from zhizao_core.importing import cross_cell_problems as _cross_cell_problems

from .import_messages import MESSAGES, render_error
from .models import Industry, Region

__all__ = [
    "RuleCharField",
    "RuleTreeChoiceField",
    "check",
    "choice_messages",
    "column_label",
    "cross_cell_errors",
    "problem_error",
]


class _RegionCodes:
    """The region codes an import accepts (districts and cities), asked one at a time."""

    def __contains__(self, code: object) -> bool:
        return Region.objects.filter(code=code, level__in=("district", "city")).exists()


class _IndustryCodes:
    """GB/T 4754 codes below the section letters, asked one at a time."""

    def __contains__(self, code: object) -> bool:
        return Industry.objects.filter(code=code).exclude(level="section").exists()


def _rules() -> CellRules:
    return CellRules(
        ImportContext(
            region_codes=_RegionCodes(),  # type: ignore[arg-type]
            industry_codes=_IndustryCodes(),  # type: ignore[arg-type]
            clusters={},
            chain_nodes={},
            current_year=timezone.localdate().year,
        )
    )


def column_label(key: str) -> str:
    """The column's header in the user's language, as the import template names it."""
    column = BY_KEY[key]
    return column.en if (get_language() or "zh-hans").startswith("en") else column.zh


def problem_error(key: str, code: str, params: dict | None = None) -> ValidationError:
    message = render_error(code, {"column": column_label(key), **(params or {})})
    return ValidationError(message, code=code)


def check(key: str, value: object) -> object:
    """``value`` as the import reads a cell of column ``key``, or ``ValidationError`` with the
    import's message. Empty values give the column's empty value (``""``, ``None``, ``()``)."""
    try:
        return _rules().check(key, value)
    except CellProblem as problem:
        raise problem_error(key, problem.code, problem.params) from None


def cross_cell_errors(values: dict[str, object]) -> dict[str, ValidationError]:
    """The import's rules across columns (a manufacturer needs an industry; a phone or e-mail
    needs the contact's name) on the non-empty values by column key: field → error."""
    return {
        key: problem_error(key, code, params)
        for key, code, params in _cross_cell_problems(
            {key: value for key, value in values.items() if value not in (None, "", (), [])}
        )
    }


def choice_messages(key: str) -> dict[str, object]:
    """``error_messages`` for a choice field of a vocabulary column: an unknown value is refused
    with the import's words (Django passes ``value``)."""
    code = {"kind": "kind_unknown", "size": "size_unknown"}[key]
    return {"invalid_choice": MESSAGES[code]}


class RuleCharField(forms.CharField):
    """A form field read by the import's rule for column ``key`` (no length limits of its own:
    the rule's limits and messages apply). ``cleaned_data`` holds the normalised value."""

    def __init__(self, key: str, **kwargs):
        self.key = key
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        return check(self.key, text)


class RuleTreeChoiceField(TreeChoiceField):
    """A region or industry picked by narrowing (``zhizao.common.pickers``) and read by the
    import's rule for its column first (format, existence, a section letter or lost leading
    zeros, with the import's messages); then the levels the field accepts decide."""

    def __init__(self, key: str, **kwargs):
        self.key = key
        super().__init__(tree={"region": REGIONS, "industry": INDUSTRIES}[key], **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.tree.model):
            return value
        node = self.tree.nodes([str(value).strip()]).get(str(value).strip())
        if node is not None:
            return node  # a current node: the levels this field accepts decide
        value = check(self.key, value)
        if isinstance(value, self.tree.model):
            return value
        return super().to_python(value)

    def check_node(self, node) -> None:
        if node.level not in self.accepted_levels:
            unknown = {"region": "region_unknown", "industry": "industry_unknown"}[self.key]
            if self.key == "industry":
                raise ValidationError(
                    MESSAGES[unknown], code="invalid_choice", params={"value": node.code}
                )
        super().check_node(node)
