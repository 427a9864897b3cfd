"""Parsing of the dashboard filters and the report's forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.policies.forms import RegionChoiceField
from zhizao.registry.enums import SizeClass
from zhizao.registry.models import Region
from zhizao_core.insights import MonthError, parse_month
from zhizao_core.insights.sections import ACTIVITY_SECTIONS, SECTIONS

from .access import access_region
from .selectors import Filters, default_period


class MonthField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except MonthError as error:
            raise forms.ValidationError(str(error)) from None


class FilterForm(forms.Form):
    region = forms.RegexField(label=_("Region"), regex=r"^\d{6}$", required=False)
    cluster = forms.SlugField(label=_("Cluster"), required=False)
    chain = forms.SlugField(label=_("Industrial chain"), required=False)
    division = forms.RegexField(label=_("Industry division"), regex=r"^\d{2}$", required=False)
    size = forms.ChoiceField(label=_("Size"), required=False)
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["size"].choices = [("", _("All sizes")), *SizeClass.choices]

    def filters(self, membership) -> Filters:
        """The filters inside the membership's scope (404 for a region outside it)."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {
                k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors
            }
        )
        scope = access_region(membership, data.get("region") or "")
        start, end = default_period()
        start = data.get("start") or start
        end = data.get("end") or end
        if start > end:
            start, end = end, start
        return Filters(
            scope=scope,
            cluster=data.get("cluster") or "",
            chain="" if data.get("cluster") else (data.get("chain") or ""),
            division=data.get("division") or "",
            size=data.get("size") or "",
            start=start,
            end=end,
        )


class NewReportForm(forms.Form):
    month = MonthField(label=_("Month"), help_text=_("YYYY-MM, e.g. 2026-11"))
    # picked by name (江苏省 · 无锡市), like a unit's jurisdiction, never typed as a code
    scope = RegionChoiceField(label=_("Region (empty: all regions)"), required=False)

    def __init__(self, *args, within: Region | None = None, **kwargs):
        """``within``: the officer's jurisdiction; a region outside it is refused, by name."""
        super().__init__(*args, **kwargs)
        self.fields["scope"].within = within


class ReportForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    plan = forms.CharField(
        label=_("Next month's plan"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, zh, _en in SECTIONS[:6]:
            self.fields[f"section_{key}"] = forms.CharField(
                label=zh, widget=forms.Textarea(attrs={"rows": 3}), required=False
            )

    def section_texts(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"section_{key}", "") for key in ACTIVITY_SECTIONS}


class ActivityForm(forms.Form):
    section = forms.ChoiceField(
        label=pgettext_lazy("report section", "Section"),
        choices=[(k, zh) for k, zh, _en in SECTIONS[:6]],
    )
    date = forms.DateField(label=_("Date"))
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=300)
    detail = forms.CharField(
        label=_("Detail"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NewsForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    photo = forms.ImageField(label=_("Photo"), required=False)


class JurisdictionForm(forms.Form):
    region = RegionChoiceField(
        label=_("Jurisdiction"),
        help_text=_("The province, city or district whose figures the unit's officers see."),
    )
