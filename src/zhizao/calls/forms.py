"""Forms of the calls pages; each maps a ``CallError`` back on the field it names
(``apply_error``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.widgets import IsoDateTimeInput

from .enums import FieldType, Prefill
from .templates_data import call_templates


class ErrorMixin:
    def apply_error(self, error) -> None:
        field = (error.field or "").split(".")[0].split("[")[0]
        self.add_error(field if field in self.fields else None, error.message)


def template_choices():
    lang = "zh"
    return [("", _("From scratch"))] + [
        (key, data["name"][lang]) for key, data in call_templates().items()
    ]


class CallCreateForm(ErrorMixin, forms.Form):
    template = forms.ChoiceField(label=_("Template"), required=False, choices=())
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = template_choices()
        self.fields["year"].initial = timezone.localdate().year


class CallSettingsForm(ErrorMixin, forms.Form):
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    blind_review = forms.BooleanField(label=_("Blind review"), required=False)
    requires_nomination = forms.BooleanField(label=_("Requires nomination"), required=False)
    publicity_working_days = forms.IntegerField(
        label=_("Public notice (working days)"), min_value=1, max_value=30
    )
    reviewers_per_application = forms.IntegerField(
        label=_("Reviewers per application"), min_value=1, max_value=15
    )
    conflict_years = forms.IntegerField(
        label=_("Conflict window (years)"), min_value=0, max_value=10
    )
    max_experts_per_organisation = forms.IntegerField(
        label=_("Experts of one organisation per application"), min_value=1, max_value=10
    )
    max_named_exclusions = forms.IntegerField(
        label=_("Experts an applicant may exclude"), min_value=0, max_value=10
    )
    allow_bidding = forms.BooleanField(label=_("Experts may bid"), required=False)


class FieldForm(ErrorMixin, forms.Form):
    """The form editor: one field with the options of its type."""

    code = forms.SlugField(label=_("Code"), max_length=40)
    label = forms.CharField(label=_("Label"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=FieldType.choices)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    help_text = forms.CharField(label=_("Help"), max_length=400, required=False)
    prefill = forms.ChoiceField(label=_("Prefill from"), choices=Prefill.choices, required=False)
    blind_hidden = forms.BooleanField(
        label=_("Hide from the experts on a blind review"),
        required=False,
        help_text=_(
            "Always hidden: the applicant's name, credit code and address, contact people, "
            "phone numbers and e-mail addresses."
        ),
    )
    max_length = forms.IntegerField(
        label=_("Text: at most (characters)"), required=False, min_value=1
    )
    min_length = forms.IntegerField(
        label=_("Text: at least (characters)"), required=False, min_value=0
    )
    minimum = forms.DecimalField(label=_("Number: minimum"), required=False)
    maximum = forms.DecimalField(label=_("Number: maximum"), required=False)
    choices = forms.CharField(
        label=_("Choices (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    multiple = forms.BooleanField(label=_("Several choices allowed"), required=False)
    file_types = forms.CharField(label=_("File types (e.g. pdf, xlsx)"), required=False)
    max_mb = forms.IntegerField(label=_("File: at most (MB)"), required=False, min_value=1)
    columns = forms.CharField(
        label=_("Table columns (one per line: code:label)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_values(self) -> dict:
        d = self.cleaned_data
        options: dict = {}
        kind = d["type"]
        if kind == FieldType.TEXT:
            options = {
                "max_length": d.get("max_length") or 2000,
                "min_length": d.get("min_length") or 0,
            }
        elif kind in (FieldType.NUMBER, FieldType.MONEY):
            options = {
                k: str(v)
                for k, v in (("min", d.get("minimum")), ("max", d.get("maximum")))
                if v is not None
            }
        elif kind == FieldType.CHOICE:
            options = {
                "choices": [c.strip() for c in (d.get("choices") or "").splitlines() if c.strip()],
                "multiple": d.get("multiple", False),
            }
        elif kind == FieldType.FILE:
            options = {
                "types": [
                    t.strip()
                    for t in (d.get("file_types") or "pdf").replace("，", ",").split(",")
                    if t.strip()
                ],
                "max_mb": d.get("max_mb") or 10,
            }
        elif kind == FieldType.TABLE:
            columns = []
            for line in (d.get("columns") or "").splitlines():
                if ":" in line or "：" in line:
                    code, label = line.replace("：", ":").split(":", 1)
                    columns.append({"code": code.strip(), "label": label.strip()})
            options = {"columns": columns}
        return {
            "code": d["code"],
            "label": d["label"],
            "type": kind,
            "required": d.get("required", False),
            "help_text": d.get("help_text", ""),
            "prefill": d.get("prefill") or "",
            "blind_hidden": d.get("blind_hidden", False),
            "options": options,
        }


class QuotaForm(ErrorMixin, forms.Form):
    nominator = forms.IntegerField(label=_("Nominating body"))
    category = forms.IntegerField(label=_("Category"), required=False)
    quota = forms.IntegerField(label=_("Quota"), min_value=0)


class StartApplicationForm(ErrorMixin, forms.Form):
    title = forms.CharField(label=_("Title of the project"), max_length=200)
    category = forms.IntegerField(label=_("Category"), required=False)
    nominator = forms.IntegerField(label=_("Nominating body"), required=False)


class ReturnForm(ErrorMixin, forms.Form):
    request = forms.CharField(label=_("What to correct"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateTimeField(label=_("Correct by"), widget=IsoDateTimeInput())


class ObjectionForm(ErrorMixin, forms.Form):
    application = forms.IntegerField(label=_("Entry"))
    name = forms.CharField(label=_("Your name (signed)"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    body = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 4}))


class AnswerObjectionForm(ErrorMixin, forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))
    reopen_review = forms.BooleanField(
        label=_("Reopen the application's expert review"), required=False
    )


class NamedExclusionsForm(ErrorMixin, forms.Form):
    """The applicant's 回避申请: up to the call's ``max_named_exclusions`` rows, each an expert
    or an organisation by name, with the reason; an empty row is left out."""

    def __init__(self, *args, rows: int, initial_entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        entries = [
            e if isinstance(e, dict) else {"kind": "expert", "name": e, "reason": ""}
            for e in initial_entries
        ]
        for i in range(rows):
            entry = entries[i] if i < len(entries) else {}
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("Exclude"),
                choices=[("expert", _("an expert")), ("organisation", _("an organisation"))],
                initial=entry.get("kind", "expert"),
                required=False,
            )
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Name"), max_length=100, required=False, initial=entry.get("name", "")
            )
            self.fields[f"reason_{i}"] = forms.CharField(
                label=_("Reason"), max_length=300, required=False, initial=entry.get("reason", "")
            )

    def row_fields(self):
        return [
            (self[f"kind_{i}"], self[f"name_{i}"], self[f"reason_{i}"]) for i in range(self.rows)
        ]

    def entries(self) -> list[dict]:
        d = self.cleaned_data
        out = []
        for i in range(self.rows):
            name, reason = d.get(f"name_{i}", "").strip(), d.get(f"reason_{i}", "").strip()
            if name or reason:
                out.append({"kind": d.get(f"kind_{i}") or "expert", "name": name, "reason": reason})
        return out

    def apply_error(self, error) -> None:
        field = error.field or ""
        if field.startswith("named_exclusions[") and "]." in field:
            i = field.split("[", 1)[1].split("]", 1)[0]
            name = field.rsplit(".", 1)[1]
            key = f"{name}_{i}"
            if key in self.fields:
                self.add_error(key, error.message)
                return
        self.add_error(None, error.message)


class VerifyIdentityForm(ErrorMixin, forms.Form):
    username = forms.CharField(label=_("Login name"), max_length=150)
    real_name = forms.CharField(label=_("Real name"), max_length=100)
    note = forms.CharField(label=_("How it was checked"), max_length=200, required=False)
