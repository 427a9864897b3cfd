"""The eligibility rule of a call, edited with a form: regions and industries picked by name
(each becomes a code-prefix condition), and rows of the policy rule editor's ``ConditionForm``
(maturity level at least N, titles held, revenue, employees, …), combined with “all” or “any”,
and the box “no credit record in force” (``Call.no_credit_record``, outside the engine).

The rows are the policy editor's own forms (``zhizao.policies.forms_editor``), so a call's rule
accepts exactly what a policy rule's conditions do, with the same messages; a stored rule the
form cannot show (nested groups, a project fact) is found by the policy editor's
``initial_from_rule`` and saving the form is then refused, naming the part. Numbers are kept as
literals (a call's rule has no parameters)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhizao.common.pickers import INDUSTRIES, TreeMultipleChoiceField
from zhizao.policies.forms import RegionsChoiceField
from zhizao.policies.forms_editor import (
    ConditionForm,
    GeneralForm,
    initial_from_rule,
    lang_of,
    plain,
    unsupported_label,
)
from zhizao.registry.models import Industry, Region
from zhizao_core.policy.rules import FACTS

REGION = "enterprise.region"
INDUSTRY = "enterprise.industry"
#: industry levels offered by name (a class, four digits, is finer than any call asks)
INDUSTRY_LEVELS = ("section", "division", "group")


def region_prefix(code: str) -> str:
    """320000 → 32, 320200 → 3202, 320214 → 320214."""
    for size in (2, 4):
        if code[size:] == "0" * (6 - size):
            return code[:size]
    return code


def region_code(prefix: str) -> str:
    return (prefix + "000000")[:6] if len(prefix) in (2, 4) else prefix


class PickersForm(forms.Form):
    combine = GeneralForm.base_fields["combine"]
    regions = RegionsChoiceField(
        label=gettext_lazy("Registered in (any of these regions)"),
        required=False,
        help_text=gettext_lazy("A province or city includes every district in it."),
    )
    industries = TreeMultipleChoiceField(
        tree=INDUSTRIES,
        levels=INDUSTRY_LEVELS,
        label=gettext_lazy("Industry (any of these, with everything under it)"),
        required=False,
    )
    no_credit_record = forms.BooleanField(
        label=gettext_lazy("No credit record in force"),
        required=False,
        help_text=gettext_lazy(
            "Dishonest judgment debtors, serious violations, the abnormal operation list and "
            "administrative penalties recorded on the platform make the applicant ineligible."
        ),
    )


def _literal(value):
    """Form values → JSON-safe rule literals (amounts in yuan and fractions as strings)."""
    if isinstance(value, list):
        return [_literal(v) for v in value]
    if isinstance(value, Decimal):
        return plain(value)
    return value


def _whole(value):
    return [_whole(v) for v in value] if isinstance(value, list) else int(value)


def _picked(leaf, fact: str, known) -> list[str] | None:
    """The codes a stored ``prefix`` condition picks, when each is a code the picker offers."""
    if not isinstance(leaf, dict) or leaf.get("fact") != fact or leaf.get("op") != "prefix":
        return None
    values = leaf.get("value")
    if not isinstance(values, list) or not values:
        return None
    codes = [region_code(str(v)) if fact == REGION else str(v) for v in values]
    return codes if all(known(code) for code in codes) else None


class EligibilityEditor:
    """The pickers and the condition rows of one call. Build with ``EligibilityEditor(call)``
    (the stored rule) or ``EligibilityEditor(call, data=request.POST)``."""

    prefix = "cond"

    def __init__(self, call, *, data=None, lang: str = "zh"):
        self.call = call
        self.lang = lang_of(lang)
        stored = call.eligibility or {}
        self.unsupported: list[str] = []
        initial_pickers: dict = {"combine": "all", "no_credit_record": call.no_credit_record}
        rows: list[dict] = []
        if stored:
            initial, self.unsupported = initial_from_rule(
                {"conditions": stored}, valid_from=None, valid_to=None
            )
            initial_pickers["combine"] = initial["general"]["combine"]
            leaves = next(iter(stored.values())) if set(stored) <= {"all", "any"} else [stored]
            rows = list(initial["cond"])
            if not self.unsupported and isinstance(leaves, list):
                rows, picked = self._take_pickers(leaves, rows)
                initial_pickers.update(picked)
            if any(row.get("fact", "").startswith("project.") for row in rows):
                self.unsupported = sorted({*self.unsupported, "conditions"})
        self.pickers = PickersForm(data, initial=initial_pickers, prefix="elig")
        factory = formset_factory(ConditionForm, extra=2, can_delete=True, max_num=30)
        self.rows = factory(
            data,
            initial=rows,
            prefix=self.prefix,
            form_kwargs={"subject": "enterprise", "lang": self.lang},
        )
        for form in self.rows.forms:
            form.name_controls()
            # a call's rule keeps its numbers as they are: no parameter label to give
            form.fields.pop("label", None)
            form.fields.pop("param", None)

    @staticmethod
    def _take_pickers(leaves: list, rows: list[dict]) -> tuple[list[dict], dict]:
        """The leading region and industry prefix conditions go to the pickers (the form saves
        them first, so a rule saved by the form reads back the same)."""
        picked: dict = {}
        index = 0
        for fact, name, known in (
            (REGION, "regions", lambda c: Region.objects.filter(code=c).exists()),
            (
                INDUSTRY,
                "industries",
                lambda c: Industry.objects.filter(code=c, level__in=INDUSTRY_LEVELS).exists(),
            ),
        ):
            if index < len(leaves):
                codes = _picked(leaves[index], fact, known)
                if codes is not None:
                    picked[name] = codes
                    index += 1
        return rows[index:], picked

    def unsupported_reason(self) -> str:
        return _(
            "This rule has parts the form cannot show: %(parts)s. Saving the form would lose "
            "them, so it is refused; clear the rule to start again."
        ) % {"parts": "；".join(unsupported_label(part) for part in self.unsupported)}

    def is_valid(self) -> bool:
        if self.unsupported:
            return False
        valid = self.pickers.is_valid()
        return self.rows.is_valid() and valid

    def conditions(self) -> dict:
        """The rule's conditions (``{}`` when there are none). Call ``is_valid`` first."""
        data = self.pickers.cleaned_data
        leaves: list[dict] = []
        if data["regions"]:
            codes = sorted(region.code for region in data["regions"])
            leaves.append(
                {"fact": REGION, "op": "prefix", "value": [region_prefix(c) for c in codes]}
            )
        if data["industries"]:
            codes = sorted(industry.code for industry in data["industries"])
            leaves.append({"fact": INDUSTRY, "op": "prefix", "value": codes})
        for form in self.rows.forms:
            if form.is_blank():
                continue
            node = {key: _literal(value) for key, value in form.cleaned_data["node"].items()}
            if FACTS.get(node.get("fact")) == "int":
                # whole numbers as numbers, as the call templates write them
                node["value"] = _whole(node["value"])
            leaves.append(node)
        return {data["combine"]: leaves} if leaves else {}

    def no_credit_record(self) -> bool:
        return bool(self.pickers.cleaned_data.get("no_credit_record"))

    def errors(self) -> list[str]:
        """Every problem with its place: the picker's label or “Condition row N · column”."""
        if self.unsupported:
            return [self.unsupported_reason()]
        out = []
        for name, errors in self.pickers.errors.items():
            label = self.pickers.fields[name].label if name in self.pickers.fields else ""
            out += [f"{label}: {e}" if label else str(e) for e in errors]
        out += [str(e) for e in self.rows.non_form_errors()]
        for i, form in enumerate(self.rows.forms):
            where = _("Condition row %(n)s") % {"n": i + 1}
            for name, errors in form.errors.items():
                field = "" if name == "__all__" else f"{form.fields[name].label}: "
                out += [f"{where} · {field}{e}" for e in errors]
        return out
