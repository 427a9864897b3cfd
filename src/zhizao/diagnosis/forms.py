from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.common.widgets import IsoDateInput
from zhizao.policies.forms import RegionsChoiceField
from zhizao.registry.models import Organization

from .enums import EnterpriseType
from .models import Campaign, MaturityModel


class StartForm(forms.Form):
    model = forms.ModelChoiceField(
        label=_("Model"), queryset=MaturityModel.objects.none(), empty_label=None
    )
    enterprise_type = forms.ChoiceField(
        label=_("Is your enterprise a discrete or a process manufacturer?"),
        choices=EnterpriseType.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Discrete: parts and assembled products (machinery, electronics, vehicles). "
            "Process: materials made by continuous or batch processes (chemicals, steel, food, "
            "pharmaceuticals). The weights of some domains differ between the two."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = MaturityModel.objects.filter(is_current=True).order_by(
            "-is_default", "key"
        )


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "description", "model", "budget_yuan", "price_yuan", "deadline"]
        widgets = {
            "deadline": IsoDateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    target_filter = forms.CharField(
        label=_("Target enterprises"),
        max_length=1000,
        required=False,
        help_text=_(
            "Paste the address of a registry list (or just its part after “?”), e.g. "
            "region=320200&industry=34 — the campaign targets the active manufacturers it "
            "shows."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = MaturityModel.objects.filter(is_current=True)
        self.fields["model"].empty_label = None

    def clean(self):
        data = super().clean()
        budget, price = data.get("budget_yuan"), data.get("price_yuan")
        if price is not None and price <= 0:
            self.add_error("price_yuan", _("The price must be more than 0."))
        if budget is not None and budget <= 0:
            self.add_error("budget_yuan", _("The budget must be more than 0."))
        if budget and price and price > 0 and budget < price:
            self.add_error("budget_yuan", _("The budget does not pay for a single diagnosis."))
        raw = (data.get("target_filter") or "").strip()
        if "?" in raw:
            raw = raw.split("?", 1)[1]
        data["target_filter"] = raw
        return data


class CampaignProviderForm(forms.Form):
    provider = forms.CharField(
        label=_("Provider (credit code or full name)"),
        max_length=200,
        help_text=_("The unified social credit code or the full registered name of a provider."),
    )
    quota = forms.IntegerField(label=_("Quota"), min_value=1, max_value=100_000)
    # picked by name (江苏省 · 无锡市), as on the calls eligibility form, never typed as codes
    regions = RegionsChoiceField(
        label=_("Service regions"),
        required=False,
        help_text=_("Empty: the provider's province."),
    )

    conflicts = forms.CharField(
        label=_("Enterprises it has a stake in"),
        required=False,
        help_text=_("Unified social credit codes, separated by spaces or commas."),
    )

    def clean_provider(self):
        from zhizao_core.registry.uscc import normalize_uscc

        raw = (self.cleaned_data.get("provider") or "").strip()
        providers = Organization.objects.filter(kind="provider", is_active=True)
        found = (
            providers.filter(uscc=normalize_uscc(raw)).first()
            or providers.filter(name=raw).first()
            or (providers.filter(pk=int(raw)).first() if raw.isdigit() else None)
        )
        if found is None:
            raise forms.ValidationError(
                _("No active solution provider with the credit code or name “%(value)s”.")
                % {"value": raw[:60]}
            )
        return found

    def clean_regions(self) -> list[str]:
        return [region.code for region in self.cleaned_data.get("regions") or ()]

    def clean_conflicts(self):
        codes = [
            c.upper()
            for c in (self.cleaned_data.get("conflicts") or "")
            .replace(",", " ")
            .replace("，", " ")
            .split()
            if c
        ]
        orgs = list(Organization.objects.filter(uscc__in=codes))
        unknown = sorted(set(codes) - {o.uscc for o in orgs})
        if unknown:
            raise forms.ValidationError(
                _("No organisation with these credit codes: %(codes)s")
                % {"codes": ", ".join(unknown)}
            )
        return orgs


class VisitForm(forms.Form):
    visited_at = forms.DateField(label=_("Visited on"), widget=IsoDateInput())
    note = forms.CharField(
        label=_("Visit note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
