"""Forms parse input into Python values; the business rules are the services'. The views put a
``MatchError`` back on the field it names (``apply_error``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.widgets import IsoDateInput

from . import codes
from .enums import (
    ApplicationState,
    BudgetBand,
    OfferingKind,
    Timeline,
)
from .vocabulary import category_choices

DATE = IsoDateInput()
REQUIREMENT_ROWS = 5
#: suggestions offered in the requirement rows (a datalist); anything else is a text requirement
REQUIREMENT_SUGGESTIONS = (
    "CMMI3及以上",
    "ITSS2及以上",
    "等保三级",
    "ISO9001",
    "ISO27001",
    "本地服务团队",
    "同行业案例",
    "系统集成资质",
    "高新技术企业",
)


def require(field: forms.Field, message) -> None:
    """Make ``field`` required, with ``message`` (the service's words) when it is empty."""
    field.required = True
    field.error_messages = {**field.error_messages, "required": message}


class ServiceForm(forms.Form):
    def apply_error(self, error) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


def region_from(data) -> str:
    """A 6-digit code from province / city / district selects (the deepest consistent one)."""
    province, city, district = (data.get(k) or "" for k in ("province", "city", "district"))
    if (
        district
        and (not city or district[:4] == city[:4])
        and (not province or district[:2] == province[:2])
    ):
        return district
    if city and (not province or city[:2] == province[:2]):
        return city
    return province


def industry_from(data) -> str:
    division, group, klass = (data.get(k) or "" for k in ("division", "group", "industry_class"))
    if (
        klass
        and (not group or klass.startswith(group))
        and (not division or klass.startswith(division))
    ):
        return klass
    if group and (not division or group.startswith(division)):
        return group
    return division


class DemandForm(ServiceForm):
    title = forms.CharField(
        label=pgettext_lazy("listing", "Title"),
        max_length=200,
        help_text=_("What you need in one line, e.g. 注塑件外观缺陷视觉检测."),
    )
    description = forms.CharField(
        label=pgettext_lazy("listing", "Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "In your own words: the process, the problem, volumes, systems already in place. "
            "Concrete demands get better matches."
        ),
    )
    category = forms.ChoiceField(label=_("Category"), choices=())
    province = forms.CharField(required=False)
    city = forms.CharField(required=False)
    district = forms.CharField(required=False)
    division = forms.CharField(required=False)
    group = forms.CharField(required=False)
    industry_class = forms.CharField(required=False)
    budget_band = forms.ChoiceField(label=_("Budget"), choices=BudgetBand.choices)
    timeline = forms.ChoiceField(label=_("Timeline"), choices=Timeline.choices)
    needed_by = forms.DateField(label=_("Needed by"), required=False, widget=DATE)
    contact = forms.TypedChoiceField(
        label=_("Contact person"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "Passed to a provider only after you accept an introduction and only with the "
            "person's consent."
        ),
    )

    def __init__(self, *args, contacts=(), instance=None, publishing=False, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = demand_initial(instance)
        super().__init__(*args, **kwargs)
        if publishing:  # "Save and publish": what publishing requires, shown on the field
            require(self.fields["description"], _("Describe what you need before publishing."))
        self.fields["category"].choices = [("", _("Choose a category")), *category_choices()]
        self.fields["contact"].choices = [
            ("", _("No contact person")),
            *[(c.pk, f"{c.name}{' · ' + c.title if c.title else ''}") for c in contacts],
        ]
        for kind in ("must", "nice"):
            values = list((kwargs.get("initial") or {}).get(kind) or [])
            for i in range(REQUIREMENT_ROWS):
                self.fields[f"{kind}_{i}"] = forms.CharField(
                    required=False,
                    max_length=100,
                    label=_("Must-have %(n)s") % {"n": i + 1}
                    if kind == "must"
                    else _("Nice-to-have %(n)s") % {"n": i + 1},
                    initial=_requirement_text(values[i]) if i < len(values) else "",
                    widget=forms.TextInput(attrs={"list": "requirement-suggestions"}),
                )

    @property
    def must_fields(self):
        return [self[f"must_{i}"] for i in range(REQUIREMENT_ROWS)]

    @property
    def nice_fields(self):
        return [self[f"nice_{i}"] for i in range(REQUIREMENT_ROWS)]

    def apply_error(self, error) -> None:
        target = {"region": "province", "industry": "division", "must": "must_0", "nice": "nice_0"}
        field = target.get(error.field, error.field)
        self.add_error(field if field in self.fields else None, error.message)

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "category": data["category"],
            "region": region_from(data),
            "industry": industry_from(data),
            "budget_band": data["budget_band"],
            "timeline": data["timeline"],
            "needed_by": data.get("needed_by"),
            "contact": data.get("contact"),
            "must": [v for i in range(REQUIREMENT_ROWS) if (v := data.get(f"must_{i}"))],
            "nice": [v for i in range(REQUIREMENT_ROWS) if (v := data.get(f"nice_{i}"))],
        }


def _requirement_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        level = value.get("min_level")
        return f"{value.get('value')}{level}及以上" if level else str(value.get("value"))
    return str(value)


def demand_initial(demand) -> dict:
    region, industry = demand.region or "", demand.industry or ""
    return {
        "title": demand.title,
        "description": demand.description,
        "category": demand.category,
        "province": f"{region[:2]}0000" if region else "",
        "city": f"{region[:4]}00" if region and region[2:4] != "00" else "",
        "district": region if region and region[4:] != "00" else "",
        "division": industry[:2] if len(industry) >= 2 else "",
        "group": industry[:3] if len(industry) >= 3 else "",
        "industry_class": industry if len(industry) == 4 else "",
        "budget_band": demand.budget_band,
        "timeline": demand.timeline,
        "needed_by": demand.needed_by,
        "contact": demand.contact_id,
        "must": demand.must,
        "nice": demand.nice,
    }


def _industry_division_choices():
    """Divisions (2 digits) grouped by section, for multi-selects."""
    rows = codes.industry_rows()
    sections = [(c, n) for c, n, _p, level in rows if level == "section"]
    out = []
    for code, name in sections:
        inner = [(c, f"{c} {n}") for c, n, p, level in rows if level == "division" and p == code]
        if inner:
            out.append((f"{code} {name}", inner))
    return out


def _region_city_choices():
    """Provinces with their cities, for multi-selects (a province covers its cities)."""
    rows = codes.region_rows()
    out = []
    for code, name, _p, level in rows:
        if level != "province":
            continue
        cities = [(c, n) for c, n, p, lvl in rows if lvl == "city" and p == code]
        out.append((name, [(code, _("%(name)s (whole province)") % {"name": name}), *cities]))
    return out


class OfferingForm(ServiceForm):
    kind = forms.ChoiceField(
        label=pgettext_lazy("offering kind", "Kind"), choices=OfferingKind.choices
    )
    title = forms.CharField(label=pgettext_lazy("listing", "Title"), max_length=200)
    description = forms.CharField(
        label=pgettext_lazy("listing", "Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("What it does, for whom, how it is delivered; the words buyers would use."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=(), widget=forms.CheckboxSelectMultiple, required=False
    )
    industries = forms.MultipleChoiceField(
        label=_("Industries served"),
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions with local service"),
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Where you have a local team. Empty: your registered location."),
    )
    certifications = forms.CharField(
        label=_("Certifications"),
        required=False,
        help_text=_("Separated by commas, e.g. CMMI5, ITSS2, 等保三级, ISO9001."),
    )
    price_min_yuan = forms.DecimalField(label=_("Price from (yuan)"), required=False)
    price_max_yuan = forms.DecimalField(label=_("Price up to (yuan)"), required=False)

    def __init__(self, *args, instance=None, kinds=None, publishing=False, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "kind": instance.kind,
                "title": instance.title,
                "description": instance.description,
                "categories": instance.categories,
                "industries": instance.industries,
                "regions": instance.regions,
                "certifications": ", ".join(instance.certifications),
                "price_min_yuan": instance.price_min_yuan,
                "price_max_yuan": instance.price_max_yuan,
            }
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in OfferingKind.choices if c[0] in kinds]
        self.fields["categories"].choices = category_choices()
        self.fields["industries"].choices = _industry_division_choices()
        self.fields["regions"].choices = _region_city_choices()
        if publishing:  # "Save and publish": what publishing requires, shown on the field
            require(self.fields["categories"], _("Choose at least one category before publishing."))
            require(self.fields["description"], _("Describe the offering before publishing."))

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["certifications"] = data.get("certifications") or ""
        return data


class CaseForm(ServiceForm):
    title = forms.CharField(label=pgettext_lazy("reference case", "Case"), max_length=200)
    customer_industry = forms.ChoiceField(label=_("Customer industry"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    result = forms.CharField(
        label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer_industry"].choices = [
            ("", _("Choose an industry")),
            *_industry_division_choices(),
        ]
        self.fields["region"].choices = [("", _("Choose a region")), *_region_city_choices()]


class RequestForm(ServiceForm):
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Why this fits and what you propose as a next step."),
    )
    share_contact = forms.BooleanField(required=False)


class AcceptForm(ServiceForm):
    share_contact = forms.BooleanField(required=False)


class ReasonForm(ServiceForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class MeetingForm(ServiceForm):
    note = forms.CharField(
        label=_("Meeting note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DealForm(ServiceForm):
    value_yuan = forms.DecimalField(label=_("Deal value (yuan)"), min_value=0)
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("Contract, purchase order or acceptance note (PDF, image, Word, Excel)."),
    )


class ConsentForm(ServiceForm):
    contact = forms.TypedChoiceField(label=_("Contact person"), coerce=int)
    agree = forms.BooleanField(required=True)

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [
            (c.pk, f"{c.name}{' · ' + c.title if c.title else ''}") for c in contacts
        ]


class ChallengeForm(ServiceForm):
    title = forms.CharField(label=pgettext_lazy("listing", "Title"), max_length=200)
    description = forms.CharField(
        label=pgettext_lazy("listing", "Description"), widget=forms.Textarea(attrs={"rows": 6})
    )
    category = forms.ChoiceField(label=_("Category"), choices=())
    budget_yuan = forms.DecimalField(label=_("Budget (yuan)"), required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    region_prefix = forms.ChoiceField(label=_("Applicants located in"), required=False)
    certifications = forms.CharField(
        label=_("Required certifications"),
        required=False,
        help_text=_("Separated by commas, e.g. CMMI3, 等保三级. A higher level also qualifies."),
    )
    min_cases = forms.IntegerField(
        label=_("Minimum number of cases"), required=False, min_value=0, max_value=100
    )

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            rules = instance.eligibility or {}
            prefix = rules.get("region_prefix", "")
            kwargs["initial"] = {
                "title": instance.title,
                "description": instance.description,
                "category": instance.category,
                "budget_yuan": instance.budget_yuan,
                "deadline": instance.deadline,
                "region_prefix": prefix.ljust(6, "0") if prefix else "",
                "certifications": ", ".join(rules.get("certifications", [])),
                "min_cases": rules.get("min_cases"),
            }
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose a category")), *category_choices()]
        rows = codes.region_rows()
        provinces = [(c, n) for c, n, _p, level in rows if level == "province"]
        cities = [(c, n) for c, n, _p, level in rows if level == "city"]
        self.fields["region_prefix"].choices = [
            ("", _("Anywhere")),
            (_("Provinces"), provinces),
            (_("Cities"), cities),
        ]

    def service_values(self) -> dict:
        data = self.cleaned_data
        code = data.get("region_prefix") or ""
        prefix = code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
        return {
            "title": data["title"],
            "description": data["description"],
            "category": data["category"],
            "budget_yuan": data.get("budget_yuan"),
            "deadline": data["deadline"],
            "eligibility": {
                "region_prefix": prefix,
                "certifications": data.get("certifications") or "",
                "min_cases": data.get("min_cases"),
            },
        }


class ApplicationForm(ServiceForm):
    proposal = forms.CharField(
        label=_("Proposal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Approach, team, milestones within the challenge's window, references."),
    )
    file = forms.FileField(label=_("Attachment"), required=False)


class ReviewForm(ServiceForm):
    state = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ApplicationState.SHORTLISTED, ApplicationState.SHORTLISTED.label),
            (ApplicationState.REJECTED, ApplicationState.REJECTED.label),
            (ApplicationState.AWARDED, ApplicationState.AWARDED.label),
        ],
    )
    score = forms.DecimalField(label=_("Score"), required=False, max_digits=4, decimal_places=1)
    note = forms.CharField(
        label=_("Review note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnnounceForm(ServiceForm):
    announcement = forms.CharField(
        label=_("Announcement"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published on the public page with the awarded applicants."),
    )
