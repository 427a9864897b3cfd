"""The form-based rule editor: rows of conditions, amount parts, tiers, title amounts, caps and
stages, turned into rule data (``RuleEditor.rule_data``) and back (``RuleEditor.from_rule``);
example cases (``CaseForm``) in the format of the shipped YAML cases; the advanced JSON.

Forms parse what the officer types (amounts with 万/亿, percentages, code prefixes, dates) and
name the row of each problem; whether the rule as a whole is acceptable is the engine's
(``zhizao_core.policy.parse_rule``), and the editor maps each problem's place back to its row.
Every rate, threshold, fixed amount and cap entered becomes a named parameter with its label
and the date it applies from, so the explanation can say “parameter X = 8% from 2024-01-01”.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhizao.common.pickers import INDUSTRIES, REGIONS, TreeChoiceField
from zhizao.common.widgets import IsoDateInput
from zhizao_core.policy.phrases import CAPS, FACT_LABELS, pick
from zhizao_core.policy.rules import CAP_SCOPES, FACTS, OPS_BY_TYPE, STACKING_MODES
from zhizao_core.text.amounts import AmountError, parse_amount

from .enums import ProjectKind, RecognitionLevel, RecognitionTitle

DATE = IsoDateInput()
TITLES_FACT = "enterprise.titles"
PARAM_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
SPLIT = re.compile(r"[\s,，、;；]+")
NUMERIC = ("money", "int", "ratio")
OP_ORDER = ("gt", "ge", "lt", "le", "eq", "ne", "between", "in", "not_in", "prefix", "not_prefix")
OP_LABELS = {
    "gt": gettext_lazy("greater than"),
    "ge": gettext_lazy("at least"),
    "lt": gettext_lazy("less than"),
    "le": gettext_lazy("at most"),
    "eq": gettext_lazy("equals"),
    "ne": gettext_lazy("not equal to"),
    "between": gettext_lazy("between"),
    "in": gettext_lazy("is one of"),
    "not_in": gettext_lazy("is none of"),
    "prefix": gettext_lazy("starts with (code prefix)"),
    "not_prefix": gettext_lazy("does not start with (code prefix)"),
}
PART_KINDS = (
    ("fixed", gettext_lazy("Fixed amount")),
    ("percent", gettext_lazy("Percentage of investment")),
    ("interest", gettext_lazy("Interest subsidy (points)")),
    ("loan_percent", gettext_lazy("Percentage of the loan amount")),
    ("tiers", gettext_lazy("Tiers (table below)")),
    ("title_table", gettext_lazy("By title held (table below)")),
)
STACKING_LABELS = {
    "highest": gettext_lazy("take the highest"),
    "exclusive": gettext_lazy("mutually exclusive"),
    "difference": gettext_lazy("pay the difference"),
    "total_le_investment": gettext_lazy("total not above the investment"),
}
#: rule facts an officer can choose per subject, in the order of the form
ENTERPRISE_FACTS = (
    "enterprise.region",
    "enterprise.industry",
    "enterprise.maturity_level",
    "enterprise.revenue",
    "enterprise.employees",
)
PROJECT_FACTS = (
    "project.kind",
    "project.start_date",
    "project.region",
    "project.equipment",
    "project.intelligent_equipment",
    "project.software",
    "project.services",
    "project.other",
    "project.total_investment",
    "project.loan_amount",
    "project.intelligent_equipment_share",
)
PROJECT_BASES = (
    "project.equipment",
    "project.intelligent_equipment",
    "project.software",
    "project.services",
    "project.other",
    "project.total_investment",
    "project.loan_amount",
)
#: words of generated parameter labels (both languages go into the rule data)
LABEL_WORDS = {
    "threshold": ("{fact}门槛", "{fact} threshold"),
    "rate": ("{bases}比例", "{bases} rate"),
    "fixed": ("定额（元）", "fixed amount (yuan)"),
    "interest": ("贴息点数", "interest points"),
    "loan_percent": ("贷款额比例", "share of the loan amount"),
    "cap": ("{cap}（元）", "{cap} (yuan)"),
}
OP_SUFFIX = {"gt": "gt", "ge": "ge", "lt": "lt", "le": "le", "eq": "eq", "ne": "ne"}


def lang_of(lang: str) -> str:
    return "en" if (lang or "").startswith("en") else "zh"


def fact_label(fact: str, lang: str) -> str:
    return pick(FACT_LABELS[fact], lang_of(lang))


def plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 30000000, 0.08, 1234.5."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


# --- reading what the officer types --------------------------------------------------------


def read_money(text: str) -> Decimal:
    """``3000万``, ``1.2亿``, ``30,000,000`` → yuan."""
    try:
        return parse_amount(text, unit="yuan")
    except AmountError:
        raise forms.ValidationError(
            _("“%(value)s” is not an amount (e.g. 3000万 or 30000000)."), params={"value": text}
        ) from None


def read_percent(text: str, *, limit: Decimal = Decimal(100)) -> Decimal:
    """``8``, ``8%``, ``0.5％`` (percent) → the fraction (0.08)."""
    cleaned = (text or "").strip().rstrip("%％").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value > limit:
        raise forms.ValidationError(
            _("“%(value)s” is not a percentage between 0 and %(limit)s."),
            params={"value": text, "limit": limit},
        )
    return value / 100


def read_integer(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise forms.ValidationError(
            _("“%(value)s” is not a whole number."), params={"value": text}
        ) from None


def read_date(text: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise forms.ValidationError(
            _("“%(value)s” is not a date (YYYY-MM-DD)."), params={"value": text}
        ) from None


def read_list(text: str) -> list[str]:
    return [part for part in SPLIT.split(text or "") if part]


def kind_value(text: str) -> str:
    """A project kind by its value or its label in either language."""
    for value, label in ProjectKind.choices:
        if text in (value, str(label)):
            return value
    from django.utils import translation

    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            for value, label in ProjectKind.choices:
                if text == str(label):
                    return value
    raise forms.ValidationError(
        _("“%(value)s” is not a project kind (%(kinds)s)."),
        params={"value": text, "kinds": "、".join(str(label) for _v, label in ProjectKind.choices)},
    )


def read_scalar(kind: str, text: str):
    """One value of a fact of ``kind`` as rule data (a string)."""
    text = (text or "").strip()
    if not text:
        raise forms.ValidationError(_("Enter a value."))
    if kind == "money":
        return plain(read_money(text))
    if kind == "ratio":
        return plain(read_percent(text))
    if kind == "int":
        return str(read_integer(text))
    if kind == "date":
        return read_date(text)
    if kind == "text":
        return kind_value(text)
    if kind == "code" and not re.fullmatch(r"\d{2,6}", text):
        raise forms.ValidationError(
            _("“%(value)s” is not a region code or prefix (2–6 digits, e.g. 3202)."),
            params={"value": text},
        )
    if kind == "industry":
        text = text.upper()
        if not re.fullmatch(r"[A-T]|\d{2,4}", text):
            raise forms.ValidationError(
                _(
                    "“%(value)s” is not an industry code (a section letter such as C, or 2–4 digits)."
                ),
                params={"value": text},
            )
    return text


# --- showing rule data in the form ----------------------------------------------------------


def money_input(value) -> str:
    """Yuan as the form shows it: whole 万 as ``3000万``, else yuan."""
    amount = Decimal(str(value))
    if amount and amount % 10000 == 0:
        return f"{plain(amount / 10000)}万"
    return plain(amount)


def percent_input(value) -> str:
    return f"{plain(Decimal(str(value)) * 100)}%"


def scalar_input(kind: str, value) -> str:
    if kind == "money":
        return money_input(value)
    if kind == "ratio":
        return percent_input(value)
    return str(value)


# --- widgets --------------------------------------------------------------------------------


class FactSelect(forms.Select):
    """Options carry ``data-kind`` (the fact's type) so the page can offer matching operators."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == TITLES_FACT:
            option["attrs"]["data-kind"] = "titles"
        elif value in FACTS:
            option["attrs"]["data-kind"] = FACTS[value]
        return option


class OperatorSelect(forms.Select):
    """Options carry ``data-kinds``: the fact types the operator applies to."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["data-kinds"] = " ".join(
                kind for kind, ops in OPS_BY_TYPE.items() if value in ops
            )
        return option


def _checkboxes(choices):
    return forms.MultipleChoiceField(
        choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


# --- the row forms --------------------------------------------------------------------------


ROW_NAMES = {
    "cond": gettext_lazy("Condition row %(n)s"),
    "part": gettext_lazy("Amount row %(n)s"),
    "tier": gettext_lazy("Tier row %(n)s"),
    "title": gettext_lazy("Title row %(n)s"),
    "cap": gettext_lazy("Cap row %(n)s"),
    "stage": gettext_lazy("Stage row %(n)s"),
}


class RowForm(forms.Form):
    """A row of a formset; ``subject`` (enterprise/project) and ``lang`` shape the choices."""

    def __init__(self, *args, subject: str = "project", lang: str = "zh", **kwargs):
        self.subject = subject
        self.lang = lang_of(lang)
        super().__init__(*args, **kwargs)

    def name_controls(self) -> None:
        """Each control of a table row gets its accessible name: the row and the column (“条件
        第 2 行 · 运算”), since a table cell has no ``<label>``. Groups of checkboxes keep the
        label of each box (their ``<fieldset>`` in the template names the group)."""
        section = self.prefix.split("-", 1)[0] if self.prefix else ""
        index = self.prefix.rsplit("-", 1)[-1] if self.prefix else ""
        row = ROW_NAMES[section] % {"n": int(index) + 1} if index.isdigit() else ""
        for name, field in self.fields.items():
            widget = field.widget
            if widget.is_hidden or isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            label = _("Remove") if name == "DELETE" else field.label
            widget.attrs["aria-label"] = f"{row} · {label}" if row else str(label)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return not data or data.get("DELETE") or not data.get(self.key_field)


class ConditionForm(RowForm):
    key_field = "fact"
    fact = forms.ChoiceField(
        label=gettext_lazy("Fact"),
        required=False,
        widget=FactSelect(attrs={"data-fact-select": ""}),
    )
    op = forms.ChoiceField(
        label=gettext_lazy("Operator"),
        required=False,
        choices=[("", "—"), *((op, OP_LABELS[op]) for op in OP_ORDER)],
        widget=OperatorSelect(attrs={"data-op-select": ""}),
    )
    value = forms.CharField(
        label=gettext_lazy("Value"),
        required=False,
        help_text=gettext_lazy(
            "Amounts as 3000万 or 30000000; several codes separated by commas; dates YYYY-MM-DD."
        ),
    )
    value_to = forms.CharField(label=gettext_lazy("up to (for “between”)"), required=False)
    titles = _checkboxes(RecognitionTitle.choices)
    levels = _checkboxes(RecognitionLevel.choices)
    label = forms.CharField(label=gettext_lazy("Parameter label"), required=False, max_length=120)
    param = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        facts = ENTERPRISE_FACTS + (PROJECT_FACTS if self.subject == "project" else ())
        choices = [("", "—")] + [(f, fact_label(f, self.lang)) for f in facts]
        choices.insert(4, (TITLES_FACT, _("holds a title (荣誉资质)")))
        self.fields["fact"].choices = choices
        self.fields["titles"].label = _("Titles")
        self.fields["levels"].label = _("Levels (none ticked: any level)")

    def clean(self):
        data = super().clean()
        fact = data.get("fact")
        if not fact or data.get("DELETE"):
            return data
        if fact == TITLES_FACT:
            if not data.get("titles"):
                self.add_error("titles", _("Tick at least one title."))
                return data
            node = {"title": list(data["titles"])}
            if data.get("levels"):
                node["levels"] = list(data["levels"])
            data["node"] = node
            return data
        kind = FACTS[fact]
        op = data.get("op")
        if op not in OPS_BY_TYPE[kind]:
            self.add_error(
                "op",
                _("“%(op)s” does not apply to %(fact)s; use one of: %(ops)s.")
                % {
                    "op": OP_LABELS.get(op, op or "—"),
                    "fact": fact_label(fact, self.lang),
                    "ops": "、".join(str(OP_LABELS[o]) for o in OP_ORDER if o in OPS_BY_TYPE[kind]),
                },
            )
            return data
        try:
            if op in ("in", "not_in", "prefix", "not_prefix"):
                values = read_list(data.get("value"))
                if not values:
                    raise forms.ValidationError(_("Enter a value."))
                value = [read_scalar(kind, v) for v in values]
            elif op == "between":
                value = [read_scalar(kind, data.get("value")), None]
                try:
                    value[1] = read_scalar(kind, data.get("value_to"))
                except forms.ValidationError as error:
                    self.add_error("value_to", error)
                    return data
            else:
                value = read_scalar(kind, data.get("value"))
        except forms.ValidationError as error:
            self.add_error("value", error)
            return data
        data["node"] = {"fact": fact, "op": op, "value": value}
        return data


class AmountPartForm(RowForm):
    key_field = "kind"
    kind = forms.ChoiceField(
        label=gettext_lazy("Amount part"), required=False, choices=[("", "—"), *PART_KINDS]
    )
    value = forms.CharField(
        label=gettext_lazy("Amount, rate or points"),
        required=False,
        help_text=gettext_lazy(
            "Fixed: 50万; percentage: 8 (%); interest: percentage points, e.g. 1."
        ),
    )
    bases = _checkboxes(())
    not_above_rate = forms.BooleanField(
        label=gettext_lazy("not above the loan's own rate"), required=False
    )
    tier_fact = forms.ChoiceField(label=gettext_lazy("Tiers by"), required=False)
    label = forms.CharField(label=gettext_lazy("Parameter label"), required=False, max_length=120)
    param = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bases = PROJECT_BASES if self.subject == "project" else ("enterprise.revenue",)
        self.fields["bases"].choices = [(b, fact_label(b, self.lang)) for b in bases]
        self.fields["bases"].label = _("of (bases, summed)")
        facts = ENTERPRISE_FACTS + (PROJECT_FACTS if self.subject == "project" else ())
        self.fields["tier_fact"].choices = [("", "—")] + [
            (f, fact_label(f, self.lang)) for f in facts if FACTS[f] in NUMERIC
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind or data.get("DELETE"):
            return data
        text = (data.get("value") or "").strip()
        try:
            if kind == "fixed":
                data["number"] = plain(read_money(text))
            elif kind in ("percent", "loan_percent"):
                data["number"] = plain(read_percent(text))
            elif kind == "interest":
                data["number"] = plain(read_percent(text, limit=Decimal(20)))
        except forms.ValidationError as error:
            self.add_error("value", error)
        if kind == "percent" and not data.get("bases"):
            self.add_error("bases", _("Tick at least one base."))
        if kind == "tiers" and not data.get("tier_fact"):
            self.add_error("tier_fact", _("Choose the fact the tiers are over."))
        return data


class TierForm(RowForm):
    key_field = "threshold"
    bound = forms.ChoiceField(
        label=gettext_lazy("From"),
        choices=[("from", gettext_lazy("at least (≥)")), ("above", gettext_lazy("above (>)"))],
        required=False,
    )
    threshold = forms.CharField(label=gettext_lazy("Threshold"), required=False)
    amount = forms.CharField(label=gettext_lazy("Amount"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("threshold") or data.get("DELETE"):
            return data
        try:
            data["yuan"] = plain(read_money(data.get("amount") or ""))
        except forms.ValidationError as error:
            self.add_error("amount", error)
        return data


class TitleAmountForm(RowForm):
    key_field = "title"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].label = _("Levels (none ticked: any level)")

    title = forms.ChoiceField(
        label=pgettext_lazy("recognition", "Title"),
        required=False,
        choices=[("", "—"), *RecognitionTitle.choices],
    )
    levels = _checkboxes(RecognitionLevel.choices)
    amount = forms.CharField(label=gettext_lazy("Amount"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("title") or data.get("DELETE"):
            return data
        try:
            data["yuan"] = plain(read_money(data.get("amount") or ""))
        except forms.ValidationError as error:
            self.add_error("amount", error)
        return data


class CapForm(RowForm):
    key_field = "per"
    per = forms.ChoiceField(label=gettext_lazy("Cap"), required=False)
    amount = forms.CharField(label=gettext_lazy("Amount"), required=False)
    label = forms.CharField(label=gettext_lazy("Parameter label"), required=False, max_length=120)
    param = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scopes = [s for s in CAP_SCOPES if self.subject == "project" or s.startswith("enterprise")]
        self.fields["per"].choices = [("", "—")] + [(s, pick(CAPS[s], self.lang)) for s in scopes]

    def clean(self):
        data = super().clean()
        if not data.get("per") or data.get("DELETE"):
            return data
        try:
            data["number"] = plain(read_money(data.get("amount") or ""))
        except forms.ValidationError as error:
            self.add_error("amount", error)
        return data


class StageForm(RowForm):
    key_field = "label"
    label = forms.CharField(label=gettext_lazy("Stage"), required=False, max_length=80)
    percent = forms.CharField(label=gettext_lazy("Percent"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("label") or data.get("DELETE"):
            return data
        try:
            data["share"] = read_percent(data.get("percent") or "")
        except forms.ValidationError as error:
            self.add_error("percent", error)
        return data


class GeneralForm(forms.Form):
    combine = forms.ChoiceField(
        label=gettext_lazy("Conditions"),
        choices=[
            ("all", gettext_lazy("all met (全部满足)")),
            ("any", gettext_lazy("any met (满足其一)")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
    valid_from = forms.DateField(label=gettext_lazy("valid from"), widget=DATE)
    valid_to = forms.DateField(label=gettext_lazy("valid until"), widget=DATE, required=False)
    params_since = forms.DateField(
        label=gettext_lazy("Parameters in force from"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Empty: from “valid from”."),
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference (document number, article)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    stacking_group = forms.SlugField(
        label=gettext_lazy("Stacking group"),
        required=False,
        max_length=80,
        help_text=gettext_lazy("Items with the same group do not stack; e.g. wuxi-grants."),
    )
    stacking_mode = forms.ChoiceField(
        label=gettext_lazy("Stacking"),
        required=False,
        choices=[("", "—"), *((m, STACKING_LABELS[m]) for m in STACKING_MODES)],
    )
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if (
            data.get("valid_to")
            and data.get("valid_from")
            and data["valid_to"] < data["valid_from"]
        ):
            self.add_error("valid_to", _("“Valid until” cannot be before “valid from”."))
        if data.get("stacking_group") and not data.get("stacking_mode"):
            self.add_error("stacking_mode", _("Choose how the group stacks."))
        if data.get("stacking_mode") and not data.get("stacking_group"):
            self.add_error("stacking_group", _("Name the stacking group."))
        return data


SECTIONS = (
    ("cond", ConditionForm),
    ("part", AmountPartForm),
    ("tier", TierForm),
    ("title", TitleAmountForm),
    ("cap", CapForm),
    ("stage", StageForm),
)
EXTRA_ROWS = {"cond": 2, "part": 2, "tier": 1, "title": 1, "cap": 1, "stage": 1}


class RuleEditor:
    """The general form and the six row formsets of one draft, with the conversion to rule
    data. Build with ``RuleEditor(item, version, data=request.POST)`` or
    ``RuleEditor.from_rule(item, rule_data, version=…)``."""

    def __init__(
        self, item, *, number: int, data=None, initial=None, lang="zh", extra=None, base_rule=None
    ):
        self.item = item
        self.number = number
        self.lang = lang_of(lang)
        initial = initial or {}
        #: the stored rule the form edits (its English texts are kept)
        self.base_rule = base_rule if base_rule is not None else (initial.get("rule") or {})
        self.general = GeneralForm(data, initial=initial.get("general"), prefix="rule")
        self.formsets = {}
        for prefix, form_class in SECTIONS:
            factory = formset_factory(
                form_class, extra=(extra or EXTRA_ROWS)[prefix], can_delete=True, max_num=50
            )
            self.formsets[prefix] = factory(
                data,
                initial=initial.get(prefix),
                prefix=prefix,
                form_kwargs={"subject": item.subject, "lang": self.lang},
            )
        for formset in self.formsets.values():
            for form in formset.forms:
                form.name_controls()
        self.places: dict[str, tuple[str, int]] = {}
        self.engine_errors: list[str] = []
        #: the parts of the stored rule the form cannot show (saving the form is then refused)
        self.unsupported: list[str] = (
            initial_from_rule(self.base_rule, valid_from=None, valid_to=None)[1]
            if self.base_rule
            else []
        )

    # -- reading ------------------------------------------------------------------------------
    def unsupported_reason(self) -> str:
        """Why the form may not save this rule: the parts it would lose, named."""
        return _(
            "This rule has parts the form cannot show: %(parts)s. Saving the form would lose "
            "them, so it is refused; edit the rule under “Advanced: rule data”."
        ) % {"parts": "；".join(unsupported_label(part) for part in self.unsupported)}

    def is_valid(self) -> bool:
        if self.unsupported:
            # Never save a rule with parts dropped: what the form cannot show stays as it is.
            self.general.is_valid()
            self.general.add_error(None, self.unsupported_reason())
            return False
        valid = self.general.is_valid()
        for formset in self.formsets.values():
            valid = formset.is_valid() and valid
        if valid:
            shares = [f.cleaned_data["share"] for f in self.rows("stage")]
            if shares and sum(shares) != 1:
                self.general.add_error(
                    None,
                    _("Stage percentages add up to %(sum)s%%, not 100%%.")
                    % {"sum": plain(sum(shares) * 100)},
                )
                valid = False
            kinds = [f.cleaned_data["kind"] for f in self.rows("part")]
            for kind, section in (("tiers", "tier"), ("title_table", "title")):
                if kinds.count(kind) > 1:
                    self.general.add_error(
                        None,
                        _("The form has one tier table and one title table; use one row each."),
                    )
                    valid = False
                elif kind in kinds and not self.rows(section):
                    self.general.add_error(
                        None,
                        _("Fill in the table of the “%(part)s” part.")
                        % {"part": dict(PART_KINDS)[kind]},
                    )
                    valid = False
            tier_fact = next(
                (
                    f.cleaned_data["tier_fact"]
                    for f in self.rows("part")
                    if f.cleaned_data["kind"] == "tiers"
                ),
                None,
            )
            for row in self.rows("tier") if tier_fact else ():
                try:
                    row.cleaned_data["bound_value"] = read_scalar(
                        FACTS[tier_fact], row.cleaned_data["threshold"]
                    )
                except forms.ValidationError as error:
                    row.add_error("threshold", error)
                    valid = False
        return valid

    def rows(self, prefix: str) -> list:
        return [f for f in self.formsets[prefix].forms if not f.is_blank()]

    def rule_data(self) -> dict:
        """The rule data of the valid forms (call ``is_valid`` first)."""
        g = self.general.cleaned_data
        params: dict[str, dict] = {}
        since = g.get("params_since")

        def param(form, preferred: str, value: str, generated: tuple[str, str]):
            stored = form.cleaned_data.get("param")
            label = (form.cleaned_data.get("label") or "").strip()
            name = (
                stored
                if stored and PARAM_NAME.match(stored) and stored not in params
                else preferred
            )
            base, n = name, 2
            while name in params:
                name, n = f"{base}_{n}", n + 1
            self.places[f"parameters.{name}"] = (form.prefix.split("-", 1)[0], form.prefix)
            stored_spec = (self.base_rule.get("parameters") or {}).get(name)
            stored_label = stored_spec.get("label") if isinstance(stored_spec, dict) else None
            if not label:
                pair = {"zh": generated[0], "en": generated[1]}
            elif isinstance(stored_label, dict) and stored_label.get("zh") == label:
                pair = {"zh": label, "en": stored_label.get("en") or label}
            else:
                pair = {"zh": label, "en": label}
            spec = {"value": value, "label": pair}
            if since:
                spec["since"] = since.isoformat()
            if isinstance(stored_spec, dict) and stored_spec.get("reference"):
                spec["reference"] = stored_spec["reference"]
            params[name] = spec
            return {"param": name}

        def generated(key: str, **names) -> tuple[str, str]:
            zh, en = LABEL_WORDS[key]
            return (
                zh.format(**{k: v[0] for k, v in names.items()}),
                en.format(**{k: v[1] for k, v in names.items()}),
            )

        rule: dict = {
            "id": self.item.key,
            "name": {
                "zh": self.item.name,
                "en": (
                    (self.base_rule.get("name") or {})
                    if isinstance(self.base_rule.get("name"), dict)
                    else {}
                ).get("en")
                or self.item.name,
            },
            "subject": self.item.subject,
            "category": self.item.category,
            "version": self.number,
            "valid_from": g["valid_from"].isoformat(),
        }
        if g.get("valid_to"):
            rule["valid_to"] = g["valid_to"].isoformat()
        if g.get("reference"):
            rule["reference"] = g["reference"].strip()
        # conditions
        leaves = []
        for form in self.rows("cond"):
            node = dict(form.cleaned_data["node"])
            fact = node.get("fact")
            if (
                fact
                and FACTS[fact] in NUMERIC
                and node["op"] not in ("between",)
                and not isinstance(node["value"], list)
            ):
                pair = FACT_LABELS[fact]
                node["value"] = param(
                    form,
                    f"{fact.split('.', 1)[1]}_{OP_SUFFIX[node['op']]}",
                    node["value"],
                    generated("threshold", fact=pair),
                )
            self.places[f"conditions.{g['combine']}[{len(leaves)}]"] = ("cond", form.prefix)
            leaves.append(node)
        if leaves:
            rule["conditions"] = {g["combine"]: leaves}
        # amount
        parts = []
        for form in self.rows("part"):
            d = form.cleaned_data
            kind = d["kind"]
            if kind == "fixed":
                node = {"fixed": param(form, "fixed_yuan", d["number"], generated("fixed"))}
            elif kind == "percent":
                bases = list(d["bases"])
                pairs = (
                    "+".join(FACT_LABELS[b][0] for b in bases),
                    " + ".join(FACT_LABELS[b][1] for b in bases),
                )
                name = "_".join(b.split(".", 1)[1] for b in bases) + "_rate"
                node = {
                    "percent": param(form, name, d["number"], generated("rate", bases=pairs)),
                    "of": bases,
                }
            elif kind == "interest":
                inner = {
                    "points": param(form, "interest_points", d["number"], generated("interest"))
                }
                if d.get("not_above_rate"):
                    inner["not_above_rate"] = True
                node = {"interest": inner}
            elif kind == "loan_percent":
                node = {
                    "loan_percent": param(form, "loan_rate", d["number"], generated("loan_percent"))
                }
            elif kind == "tiers":
                fact = d["tier_fact"]
                bands = []
                for row in self.rows("tier"):
                    self.places[f"amount.tiers.bands[{len(bands)}]"] = ("tier", row.prefix)
                    bound = row.cleaned_data["bound_value"]
                    bands.append(
                        {
                            row.cleaned_data.get("bound") or "from": bound,
                            "amount": {"fixed": row.cleaned_data["yuan"]},
                        }
                    )
                node = {"tiers": {"fact": fact, "bands": bands}}
            else:
                table = []
                for row in self.rows("title"):
                    entry = {"title": row.cleaned_data["title"]}
                    if row.cleaned_data.get("levels"):
                        entry["levels"] = list(row.cleaned_data["levels"])
                    entry["yuan"] = row.cleaned_data["yuan"]
                    table.append(entry)
                node = {"title_table": table}
            parts.append((form.prefix, node))
        if len(parts) == 1:
            self.places["amount"] = ("part", parts[0][0])
            rule["amount"] = parts[0][1]
        elif parts:
            for i, (prefix, _node) in enumerate(parts):
                self.places[f"amount.sum[{i}]"] = ("part", prefix)
            rule["amount"] = {"sum": [node for _prefix, node in parts]}
        # caps, stages, stacking
        caps = []
        for form in self.rows("cap"):
            d = form.cleaned_data
            self.places[f"caps[{len(caps)}]"] = ("cap", form.prefix)
            caps.append(
                {
                    "per": d["per"],
                    "yuan": param(
                        form, f"cap_{d['per']}", d["number"], generated("cap", cap=CAPS[d["per"]])
                    ),
                }
            )
        if caps:
            rule["caps"] = caps
        stages = []
        stored_stages = self.base_rule.get("stages")
        stored_labels = {
            stage["label"].get("zh"): stage["label"]
            for stage in (stored_stages if isinstance(stored_stages, list) else [])
            if isinstance(stage, dict) and isinstance(stage.get("label"), dict)
        }
        for form in self.rows("stage"):
            self.places[f"stages[{len(stages)}]"] = ("stage", form.prefix)
            label = form.cleaned_data["label"].strip()
            stages.append(
                {
                    # a label given in both languages keeps its English while the Chinese stays
                    "label": stored_labels.get(label, label),
                    "share": plain(form.cleaned_data["share"]),
                }
            )
        if stages:
            rule["stages"] = stages
        if g.get("stacking_group"):
            rule["stacking"] = {"group": g["stacking_group"], "mode": g["stacking_mode"]}
        if params:
            rule["parameters"] = params
        return rule

    def add_engine_problems(self, problems, lang: str) -> None:
        """Put each engine problem next to the row it is about (longest matching place)."""
        for problem in problems:
            target = None
            for place in sorted(self.places, key=len, reverse=True):
                if problem.path == place or problem.path.startswith((place + ".", place + "[")):
                    target = self.places[place]
                    break
            text = problem.text(lang)
            if target is not None:
                prefix, form_prefix = target
                for form in self.formsets[prefix].forms:
                    if form.prefix == form_prefix:
                        form.add_error(None, text)
            self.engine_errors.append(self.place_name(problem.path, target) + text)

    def place_name(self, path: str, target) -> str:
        if target is None:
            return ""
        prefix, form_prefix = target
        index = int(form_prefix.rsplit("-", 1)[1]) + 1
        names = {
            "cond": _("Condition row %(n)s"),
            "part": _("Amount row %(n)s"),
            "cap": _("Cap row %(n)s"),
            "stage": _("Stage row %(n)s"),
            "tier": _("Tier row %(n)s"),
            "title": _("Title row %(n)s"),
        }
        return (names[prefix] % {"n": index}) + " · "

    def all_errors(self) -> list[str]:
        """Every problem with the row it is in, for the summary at the top."""
        out = [str(e) for e in self.general.non_field_errors()]
        for name, errors in self.general.errors.items():
            if name != "__all__":
                out += [f"{self.general.fields[name].label}: {e}" for e in errors]
        labels = {
            "cond": _("Condition row %(n)s"),
            "part": _("Amount row %(n)s"),
            "tier": _("Tier row %(n)s"),
            "title": _("Title row %(n)s"),
            "cap": _("Cap row %(n)s"),
            "stage": _("Stage row %(n)s"),
        }
        for prefix, formset in self.formsets.items():
            out += [str(e) for e in formset.non_form_errors()]
            for i, form in enumerate(formset.forms):
                for name, errors in form.errors.items():
                    where = labels[prefix] % {"n": i + 1}
                    field = "" if name == "__all__" else f"{form.fields[name].label}: "
                    out += [
                        f"{where} · {field}{e}"
                        for e in errors
                        if name != "__all__" or not self.engine_errors
                    ]
        if self.engine_errors:
            out += [e for e in self.engine_errors if e not in out]
        return out

    # -- from rule data --------------------------------------------------------------------------
    @classmethod
    def from_rule(cls, item, rule: dict, *, number: int, valid_from, valid_to, note="", lang="zh"):
        initial, unsupported = initial_from_rule(
            rule, valid_from=valid_from, valid_to=valid_to, note=note
        )
        editor = cls(item, number=number, initial=initial, lang=lang)
        editor.unsupported = unsupported
        return editor

    def with_more_rows(self, data) -> RuleEditor:
        """The same bound forms with two more empty rows in each table."""
        data = data.copy()
        for prefix, _form in SECTIONS:
            key = f"{prefix}-TOTAL_FORMS"
            try:
                data[key] = str(int(data.get(key, 0)) + 2)
            except ValueError:
                pass
        return RuleEditor(
            self.item, number=self.number, data=data, lang=self.lang, base_rule=self.base_rule
        )


def _number(raw, params: dict):
    """A rule number (literal or ``{"param": name}``) → (value, param name, label zh)."""
    if isinstance(raw, dict) and "param" in raw:
        spec = params.get(raw["param"])
        if not isinstance(spec, dict):
            spec = {"value": spec}
        label = spec.get("label")
        if isinstance(label, dict):
            label = label.get("zh") or ""
        return str(spec.get("value")), raw["param"], label or ""
    return str(raw), "", ""


#: the top-level keys of rule data the form reads and writes
RULE_KEYS = frozenset(
    {
        "id",
        "name",
        "subject",
        "category",
        "version",
        "valid_from",
        "valid_to",
        "reference",
        "parameters",
        "conditions",
        "amount",
        "caps",
        "stages",
        "stacking",
    }
)
#: what each part the form cannot show is, in words (the key is also a rule data key)
UNSUPPORTED_LABELS = {
    "conditions": gettext_lazy(
        "conditions nested in groups (“all of” inside “any of”) or of a kind the rows lack"
    ),
    "amount": gettext_lazy(
        "an amount the rows cannot build (by case, the lower of several, a second table)"
    ),
    "caps": gettext_lazy("caps that apply only under a condition"),
    "parameters": gettext_lazy("parameters in force from different dates, or not used by any row"),
}


def unsupported_label(part: str) -> str:
    label = UNSUPPORTED_LABELS.get(part)
    if label is None:
        return _("the rule data “%(key)s”") % {"key": part}
    return str(label)


def _param_names(node) -> set[str]:
    if isinstance(node, dict):
        if set(node) == {"param"} and isinstance(node["param"], str):
            return {node["param"]}
        return set().union(*(_param_names(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_param_names(value) for value in node))
    return set()


def _unsupported_parameters(rule: dict, params) -> list[str]:
    """Parameters the form would not carry over: one “in force from” date serves them all,
    and a parameter no row uses has no row to keep it."""
    if not isinstance(params, dict) or not params:
        return []
    sinces = {
        str(spec.get("since")) if isinstance(spec, dict) and spec.get("since") else None
        for spec in params.values()
    }
    used = _param_names({k: v for k, v in rule.items() if k != "parameters"})
    if len(sinces) > 1 or set(params) - used:
        return ["parameters"]
    return []


def initial_from_rule(rule: dict, *, valid_from, valid_to, note="") -> tuple[dict, list[str]]:
    """Rule data → the editor's initial rows, and what the form cannot show (then only the
    advanced JSON shows the rule as it is)."""
    rule = rule or {}
    params = rule.get("parameters") or {}
    unsupported: list[str] = []
    sinces = {
        str(spec.get("since"))
        for spec in params.values()
        if isinstance(spec, dict) and spec.get("since")
    }
    general = {
        "combine": "all",
        "valid_from": valid_from,
        "valid_to": valid_to,
        "reference": rule.get("reference") or "",
        "note": note,
        "params_since": sinces.pop() if len(sinces) == 1 else None,
    }
    stacking = rule.get("stacking") or {}
    if isinstance(stacking, dict):
        general["stacking_group"] = stacking.get("group") or ""
        general["stacking_mode"] = stacking.get("mode") or ""
    cond_rows = []
    conditions = rule.get("conditions")
    leaves = []
    if isinstance(conditions, dict):
        key = next((k for k in ("all", "any") if k in conditions), None)
        if key is not None and isinstance(conditions[key], list):
            general["combine"] = key
            leaves = conditions[key]
        elif "fact" in conditions or "title" in conditions:
            leaves = [conditions]
        else:
            unsupported.append("conditions")
    for leaf in leaves:
        if not isinstance(leaf, dict):
            unsupported.append("conditions")
            continue
        if "title" in leaf:
            titles = leaf["title"] if isinstance(leaf["title"], list) else [leaf["title"]]
            cond_rows.append(
                {"fact": TITLES_FACT, "titles": titles, "levels": leaf.get("levels") or []}
            )
            continue
        fact = leaf.get("fact")
        if fact not in FACTS:
            unsupported.append("conditions")
            continue
        kind = FACTS[fact]
        value = leaf.get("value")
        row = {"fact": fact, "op": leaf.get("op")}
        if isinstance(value, list) and leaf.get("op") == "between" and len(value) == 2:
            lo, _p, _l = _number(value[0], params) if kind in NUMERIC else (value[0], "", "")
            hi, _p, _l = _number(value[1], params) if kind in NUMERIC else (value[1], "", "")
            row["value"], row["value_to"] = scalar_input(kind, lo), scalar_input(kind, hi)
        elif isinstance(value, list):
            row["value"] = ", ".join(scalar_input(kind, v) for v in value)
        elif kind in NUMERIC:
            number, name, label = _number(value, params)
            row.update(value=scalar_input(kind, number), param=name, label=label)
        elif isinstance(value, dict):
            unsupported.append("conditions")
            continue
        else:
            row["value"] = str(value)
        cond_rows.append(row)
    part_rows, tier_rows, title_rows = [], [], []
    amount = rule.get("amount")
    nodes = (
        amount["sum"]
        if isinstance(amount, dict) and isinstance(amount.get("sum"), list)
        else ([amount] if amount else [])
    )
    for node in nodes:
        if not isinstance(node, dict):
            unsupported.append("amount")
            continue
        if "fixed" in node:
            number, name, label = _number(node["fixed"], params)
            part_rows.append(
                {"kind": "fixed", "value": money_input(number), "param": name, "label": label}
            )
        elif "percent" in node:
            number, name, label = _number(node["percent"], params)
            bases = node.get("of") or []
            part_rows.append(
                {
                    "kind": "percent",
                    "value": percent_input(number),
                    "bases": bases if isinstance(bases, list) else [bases],
                    "param": name,
                    "label": label,
                }
            )
        elif "interest" in node and isinstance(node["interest"], dict):
            number, name, label = _number(node["interest"].get("points"), params)
            part_rows.append(
                {
                    "kind": "interest",
                    "value": plain(Decimal(number) * 100),
                    "not_above_rate": bool(node["interest"].get("not_above_rate")),
                    "param": name,
                    "label": label,
                }
            )
        elif "loan_percent" in node:
            number, name, label = _number(node["loan_percent"], params)
            part_rows.append(
                {
                    "kind": "loan_percent",
                    "value": percent_input(number),
                    "param": name,
                    "label": label,
                }
            )
        elif "tiers" in node and isinstance(node["tiers"], dict) and not tier_rows:
            fact = node["tiers"].get("fact")
            ok = fact in FACTS
            rows = []
            for band in node["tiers"].get("bands") or []:
                fixed = (band.get("amount") or {}).get("fixed") if isinstance(band, dict) else None
                bound_key = "above" if isinstance(band, dict) and "above" in band else "from"
                if fixed is None or not ok:
                    ok = False
                    break
                threshold, _n, _l = _number(band[bound_key], params)
                amount_value, _n, _l = _number(fixed, params)
                rows.append(
                    {
                        "bound": bound_key,
                        "threshold": scalar_input(FACTS[fact], threshold),
                        "amount": money_input(amount_value),
                    }
                )
            if not ok:
                unsupported.append("amount")
                continue
            tier_rows = rows
            part_rows.append({"kind": "tiers", "tier_fact": fact})
        elif "title_table" in node and isinstance(node["title_table"], list) and not title_rows:
            for row in node["title_table"]:
                value, _n, _l = _number(row.get("yuan"), params)
                title_rows.append(
                    {
                        "title": row.get("title"),
                        "levels": row.get("levels") or [],
                        "amount": money_input(value),
                    }
                )
            part_rows.append({"kind": "title_table"})
        else:
            unsupported.append("amount")
    unsupported += _unsupported_parameters(rule, params)
    unsupported += [key for key in rule if key not in RULE_KEYS]
    cap_rows = []
    for cap in rule.get("caps") or []:
        if not isinstance(cap, dict) or cap.get("when") is not None:
            unsupported.append("caps")
            continue
        number, name, label = _number(cap.get("yuan"), params)
        cap_rows.append(
            {"per": cap.get("per"), "amount": money_input(number), "param": name, "label": label}
        )
    stage_rows = []
    for stage in rule.get("stages") or []:
        label = stage.get("label")
        if isinstance(label, dict):
            label = label.get("zh") or ""
        stage_rows.append({"label": label, "percent": percent_input(stage.get("share"))})
    initial = {
        "rule": rule,
        "general": general,
        "cond": cond_rows,
        "part": part_rows,
        "tier": tier_rows,
        "title": title_rows,
        "cap": cap_rows,
        "stage": stage_rows,
    }
    return initial, sorted(
        set(unsupported), key=lambda part: (part not in UNSUPPORTED_LABELS, part)
    )


# --- example cases --------------------------------------------------------------------------

ELIGIBLE_CHOICES = (
    ("yes", gettext_lazy("eligible")),
    ("no", gettext_lazy("not eligible")),
    ("unknown", gettext_lazy("cannot tell (data missing)")),
)
PROJECT_MONEY = (
    ("equipment", "equipment_yuan"),
    ("intelligent_equipment", "intelligent_equipment_yuan"),
    ("software", "software_yuan"),
    ("services", "services_yuan"),
    ("other", "other_yuan"),
)


class CaseForm(forms.Form):
    """One example case: a small enterprise with one project (and one loan), the date, and what
    the officer expects. Empty fields are unknown, as in the facts file."""

    index = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    name = forms.CharField(label=gettext_lazy("Case name"), max_length=200)
    as_of = forms.DateField(label=gettext_lazy("as of"), widget=DATE)
    # picked by name, narrowing province → city → district and section → … → class; the case
    # keeps the codes (``clean_region``, ``clean_industry``)
    region = TreeChoiceField(tree=REGIONS, label=gettext_lazy("Registered region"), required=False)
    industry = TreeChoiceField(
        tree=INDUSTRIES, label=gettext_lazy("Industry (GB/T 4754)"), required=False
    )
    maturity_level = forms.IntegerField(
        label=gettext_lazy("Maturity level"), required=False, min_value=0, max_value=5
    )
    titles_national = _checkboxes(RecognitionTitle.choices)
    titles_provincial = _checkboxes(RecognitionTitle.choices)
    titles_city = _checkboxes(RecognitionTitle.choices)
    titles_unknown = forms.BooleanField(label=gettext_lazy("titles not known"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Project kind"),
        required=False,
        choices=[("", "—"), *ProjectKind.choices],
    )
    start_date = forms.DateField(
        label=gettext_lazy("Project start date"), widget=DATE, required=False
    )
    equipment = forms.CharField(label=gettext_lazy("Equipment"), required=False)
    intelligent_equipment = forms.CharField(
        label=gettext_lazy("of which intelligent equipment"), required=False
    )
    software = forms.CharField(label=gettext_lazy("Software"), required=False)
    services = forms.CharField(label=gettext_lazy("Technical services"), required=False)
    other = forms.CharField(label=gettext_lazy("Other"), required=False)
    loan_amount = forms.CharField(label=gettext_lazy("Loan amount"), required=False)
    loan_rate = forms.CharField(label=gettext_lazy("Loan rate (%)"), required=False)
    loan_start = forms.DateField(label=gettext_lazy("Loan start"), widget=DATE, required=False)
    loan_end = forms.DateField(label=gettext_lazy("Loan end"), widget=DATE, required=False)
    expect_eligible = forms.ChoiceField(
        label=gettext_lazy("Expected result"), choices=ELIGIBLE_CHOICES
    )
    expect_amount = forms.CharField(
        label=gettext_lazy("Expected amount"),
        required=False,
        help_text=gettext_lazy("To the fen; 万 and 亿 accepted. Empty for “cannot tell”."),
    )

    def __init__(self, *args, subject: str = "project", **kwargs):
        self.subject = subject
        super().__init__(*args, **kwargs)
        self.fields["titles_national"].label = _("National titles")
        self.fields["titles_provincial"].label = _("Provincial titles")
        self.fields["titles_city"].label = _("City titles")

    def clean(self):
        data = super().clean()
        for field, _key in (*PROJECT_MONEY, ("loan_amount", "")):
            text = (data.get(field) or "").strip()
            if text:
                try:
                    data[field] = plain(read_money(text))
                except forms.ValidationError as error:
                    self.add_error(field, error)
        if (data.get("loan_rate") or "").strip():
            try:
                data["loan_rate"] = plain(read_percent(data["loan_rate"]))
            except forms.ValidationError as error:
                self.add_error("loan_rate", error)
        amount = (data.get("expect_amount") or "").strip()
        if amount:
            try:
                data["expect_amount"] = f"{read_money(amount):.2f}"
            except forms.ValidationError as error:
                self.add_error("expect_amount", error)
        elif data.get("expect_eligible") == "yes":
            self.add_error("expect_amount", _("Enter the amount an eligible case gets."))
        if (
            data.get("loan_amount")
            and not (data.get("loan_start") and data.get("loan_end"))
            and self.subject == "project"
        ):
            self.add_error("loan_start", _("A loan needs its start and end dates."))
        return data

    def clean_region(self) -> str:
        region = self.cleaned_data.get("region")
        return region.code if region is not None else ""

    def clean_industry(self) -> str:
        industry = self.cleaned_data.get("industry")
        return industry.code if industry is not None else ""

    def case(self) -> dict:
        """The case in the format of the shipped YAML cases."""
        d = self.cleaned_data
        enterprise: dict = {}
        for key in ("region", "industry"):
            if d.get(key):
                enterprise[key] = d[key]
        if d.get("maturity_level") is not None:
            enterprise["maturity_level"] = d["maturity_level"]
        if not d.get("titles_unknown"):
            enterprise["titles"] = [
                {"title": title, "level": level}
                for level in ("national", "provincial", "city")
                for title in d.get(f"titles_{level}") or []
            ]
        project_id = None
        if self.subject == "project":
            project_id = "p1"
            project: dict = {"id": project_id}
            if d.get("kind"):
                project["kind"] = d["kind"]
            if d.get("start_date"):
                project["start_date"] = d["start_date"].isoformat()
            for field, key in PROJECT_MONEY:
                if d.get(field):
                    project[key] = d[field]
            if d.get("loan_amount"):
                loan = {
                    "amount_yuan": d["loan_amount"],
                    "start_date": d["loan_start"].isoformat(),
                    "end_date": d["loan_end"].isoformat(),
                }
                if d.get("loan_rate"):
                    loan["annual_rate"] = d["loan_rate"]
                project["loans"] = [loan]
            enterprise["projects"] = [project]
        eligible = {"yes": True, "no": False, "unknown": "unknown"}[d["expect_eligible"]]
        expect: dict = {"project": project_id, "eligible": eligible}
        if d.get("expect_amount"):
            expect["amount_yuan"] = d["expect_amount"]
        elif eligible is False:
            expect["amount_yuan"] = "0.00"
        return {
            "name": d["name"].strip(),
            "as_of": d["as_of"].isoformat(),
            "enterprise": enterprise,
            "expect": [expect],
        }


def case_initial(case: dict, index: int) -> dict | None:
    """A stored case → the case form, or None when the form cannot show it (several
    projects or loans, amounts already received, several expectations)."""
    if not isinstance(case, dict):
        return None
    enterprise = case.get("enterprise") or {}
    expect = case.get("expect") or []
    projects = enterprise.get("projects") or []
    if len(expect) != 1 or len(projects) > 1 or enterprise.get("received"):
        return None
    initial = {
        "index": index,
        "name": case.get("name") or "",
        "as_of": str(case.get("as_of") or ""),
        "region": enterprise.get("region") or "",
        "industry": enterprise.get("industry") or "",
        "maturity_level": enterprise.get("maturity_level"),
        "titles_unknown": "titles" not in enterprise,
    }
    for level in ("national", "provincial", "city"):
        initial[f"titles_{level}"] = [
            t.get("title") for t in enterprise.get("titles") or [] if t.get("level") == level
        ]
    if projects:
        project = projects[0]
        loans = project.get("loans") or []
        if len(loans) > 1:
            return None
        initial.update(kind=project.get("kind") or "", start_date=project.get("start_date") or "")
        for field, key in PROJECT_MONEY:
            if project.get(key) is not None:
                initial[field] = money_input(project[key])
        if loans:
            loan = loans[0]
            initial.update(
                loan_amount=money_input(loan.get("amount_yuan") or 0),
                loan_rate=percent_input(loan["annual_rate"]) if loan.get("annual_rate") else "",
                loan_start=loan.get("start_date") or "",
                loan_end=loan.get("end_date") or "",
            )
    want = expect[0]
    eligible = want.get("eligible")
    initial["expect_eligible"] = {True: "yes", False: "no"}.get(eligible, "unknown")
    if want.get("amount_yuan") is not None and eligible is not False:
        initial["expect_amount"] = money_input(want["amount_yuan"])
    return initial


class AdvancedForm(forms.Form):
    """The rule data and the test cases as JSON, for what the form rows cannot express."""

    rule_json = forms.CharField(
        label=gettext_lazy("Rule data (JSON)"),
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
    )
    cases_json = forms.CharField(
        label=gettext_lazy("Test cases (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )

    def _json(self, name: str, expected: type):
        text = self.cleaned_data.get(name) or ""
        if not text.strip():
            return expected()
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("JSON error at line %(line)s, column %(column)s: %(message)s"),
                params={"line": error.lineno, "column": error.colno, "message": error.msg},
            ) from None
        if not isinstance(value, expected):
            raise forms.ValidationError(
                _("Rule data must be a JSON object.")
                if expected is dict
                else _("Test cases must be a JSON list.")
            )
        return value

    def clean_rule_json(self):
        return self._json("rule_json", dict)

    def clean_cases_json(self):
        return self._json("cases_json", list)
