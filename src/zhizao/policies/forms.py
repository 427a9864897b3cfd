"""Forms parse input into Python values; the business rules (dates in order, intelligent
equipment within equipment, no negative amounts, unique keys) are the services'. Model forms
here only borrow labels and widgets: ``ServiceForm`` skips the model validation, and the views
put a ``PolicyError`` back on the field it names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.pickers import REGIONS, TreeChoiceField, TreeMultipleChoiceField
from zhizao.common.widgets import IsoDateInput
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Organization

from .models import CreditRecord, Loan, Policy, PolicyItem, Project, Recognition

DATE = IsoDateInput()


class ServiceForm(forms.ModelForm):
    """Labels and widgets from the model; validation of business rules in the services."""

    def _post_clean(self):
        pass

    def apply_error(self, error) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


class RegionChoiceField(TreeChoiceField):
    """A region by its names, never its code (江苏省 · 无锡市 · 锡山区), picked by narrowing
    province → city → district (``zhizao.common.pickers``); the value is the ``Region``."""

    def __init__(self, **kwargs):
        kwargs.pop("queryset", None)
        super().__init__(tree=REGIONS, **kwargs)


class RegionsChoiceField(TreeMultipleChoiceField):
    """Several regions by their names, each added by narrowing; the value is a list of
    ``Region``s."""

    def __init__(self, **kwargs):
        kwargs.pop("queryset", None)
        super().__init__(tree=REGIONS, **kwargs)


class PolicyForm(ServiceForm):
    region = RegionChoiceField(
        label=_("region"),
        required=False,
        help_text=_("Where the policy applies; empty means no regional restriction."),
    )
    attachment = forms.FileField(
        label=_("policy text"),
        required=False,
        help_text=_("PDF, Word (.docx) or text file."),
    )

    class Meta:
        model = Policy
        fields = [
            "title",
            "doc_number",
            "issuing_unit",
            "level",
            "region",
            "valid_from",
            "valid_to",
            "window_start",
            "window_end",
            "budget_yuan",
            "first_come",
            "summary",
        ]
        widgets = {
            "valid_from": DATE,
            "valid_to": DATE,
            "window_start": DATE,
            "window_end": DATE,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def service_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "attachment"}


class ItemForm(ServiceForm):
    class Meta:
        model = PolicyItem
        fields = ["key", "name", "category", "subject", "proactive", "budget_yuan"]
        help_texts = {
            "key": _("Lowercase letters, digits and hyphens, e.g. wuxi-im-transformation."),
            "budget_yuan": _("Empty: the policy's budget applies."),
        }


class ProjectForm(ServiceForm):
    region = RegionChoiceField(label=_("location"), required=False)

    class Meta:
        model = Project
        fields = [
            "name",
            "kind",
            "status",
            "region",
            "start_date",
            "completion_date",
            "equipment_yuan",
            "intelligent_equipment_yuan",
            "software_yuan",
            "services_yuan",
            "other_yuan",
            "description",
        ]
        widgets = {
            "start_date": DATE,
            "completion_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            **{
                name: forms.NumberInput(attrs={"step": "0.01", "min": "0", "data-sum": "total"})
                for name in ("equipment_yuan", "software_yuan", "services_yuan", "other_yuan")
            },
        }
        help_texts = {
            "intelligent_equipment_yuan": _("The part of the equipment that is intelligent."),
            "equipment_yuan": _("Leave empty when not known yet (not 0)."),
        }


class LoanForm(ServiceForm):
    lender = forms.ModelChoiceField(
        label=_("lender"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("A bank in the registry, or type its name below."),
    )

    class Meta:
        model = Loan
        fields = [
            "lender",
            "lender_name",
            "amount_yuan",
            "annual_rate",
            "start_date",
            "end_date",
            "interest_paid_yuan",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}
        labels = {"lender_name": _("Lender name")}
        help_texts = {"annual_rate": _("As a fraction: 0.0345 means 3.45 percent.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lender"].queryset = Organization.objects.filter(
            kind=OrganizationKind.BANK, is_active=True
        ).order_by("name_sort")


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"))


class RecognitionForm(ServiceForm):
    class Meta:
        model = Recognition
        fields = ["title", "level", "since", "reference"]
        labels = {"title": pgettext_lazy("recognition", "Title")}
        widgets = {"since": DATE}


class CreditRecordForm(ServiceForm):
    class Meta:
        model = CreditRecord
        fields = ["kind", "start_date", "end_date", "description", "source"]
        labels = {"kind": pgettext_lazy("credit record kind", "Kind")}
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 2}),
        }


class EndCreditRecordForm(forms.Form):
    end_date = forms.DateField(label=_("end date"), widget=DATE)
