from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.validators import search_field
from zhizao_core.registry.uscc import normalize_uscc

from .enums import ChainPosition, OrganizationKind, SizeClass
from .errors import NAME_TAKEN
from .field_rules import RuleCharField, RuleTreeChoiceField, choice_messages, cross_cell_errors
from .models import ChainNode, Cluster, IndustrialChain, Organization
from .selectors import OrganizationFilter, organization_name_taken, organizations_for_listing

SORT_CHOICES = [
    ("", _("Relevance / name")),
    ("name", _("Name A→Z")),
    ("-name", _("Name Z→A")),
    ("-revenue", _("Revenue, highest first")),
    ("-employees", _("Employees, most first")),
    ("founded", _("Founded, oldest first")),
    ("-created", _("Newest in the registry")),
]
PAGE_SIZES = (25, 50, 100)


class OrganizationFilterForm(forms.Form):
    """The registry filters. Region and industry come as cascading selects (province → city →
    district, division → group → class) or directly as ``region`` / ``industry`` codes."""

    q = search_field(_("Search"))
    kind = forms.ChoiceField(label=pgettext_lazy("organisation", "Kind"), required=False)
    province = forms.CharField(label=_("Province"), required=False)
    city = forms.CharField(label=_("City"), required=False)
    district = forms.CharField(label=_("District / county"), required=False)
    region = forms.RegexField(regex=r"^\d{6}$", required=False)
    division = forms.CharField(label=_("Industry division"), required=False)
    group = forms.CharField(label=_("Industry group"), required=False)
    industry_class = forms.CharField(label=_("Industry class"), required=False)
    industry = forms.RegexField(regex=r"^([A-T]|\d{2,4})$", required=False)
    size = forms.ChoiceField(label=_("Size"), required=False)
    cluster = forms.CharField(label=_("Cluster"), required=False)
    chain = forms.CharField(label=_("Industrial chain"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        choices=[(n, n) for n in PAGE_SIZES],
        empty_value=25,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *OrganizationKind.choices]
        self.fields["size"].choices = [("", _("All sizes")), *SizeClass.choices]
        # The sort field also accepts the column sorts of the table headers.
        from .selectors import SORTS

        extra = [(key, key) for key in SORTS if key not in dict(SORT_CHOICES)]
        self.fields["sort"].choices = [*SORT_CHOICES, *extra]

    def to_filter(self) -> OrganizationFilter:
        if not self.is_valid():
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            data = self.cleaned_data
        region = (
            _most_specific(
                [
                    (data.get("province") or "", 2),
                    (data.get("city") or "", 4),
                    (data.get("district") or "", 6),
                ]
            )
            or data.get("region")
            or ""
        )
        industry = (
            _most_specific(
                [
                    (data.get("division") or "", 2),
                    (data.get("group") or "", 3),
                    (data.get("industry_class") or "", 4),
                ]
            )
            or data.get("industry")
            or ""
        )
        return OrganizationFilter(
            q=(data.get("q") or "").strip(),
            kind=data.get("kind") or "",
            region=region.strip(),
            industry=industry.strip(),
            size=data.get("size") or "",
            cluster=data.get("cluster") or "",
            chain=data.get("chain") or "",
            sort=data.get("sort") or "",
        )

    def page_size(self) -> int:
        value = self.cleaned_data.get("per_page") if hasattr(self, "cleaned_data") else None
        return value if value in PAGE_SIZES else 25


def _most_specific(levels: list[tuple[str, int]]) -> str:
    """The deepest chosen level that lies inside the level above it (a stale city left over
    from another province is ignored, with or without JavaScript)."""
    chosen, prefix = "", ""
    for value, width in levels:
        value = value.strip()
        if not value:
            continue
        if prefix and not value.startswith(prefix):
            break
        chosen = value
        prefix = value[:width]
    return chosen


def _label(name: str):
    return capfirst(Organization._meta.get_field(name).verbose_name)


def _number_input(mode: str = "numeric") -> forms.TextInput:
    """Numbers are typed as text and read by the import's rule (2008年, 1.25亿, 320人)."""
    return forms.TextInput(attrs={"inputmode": mode})


class OrganizationForm(forms.ModelForm):
    """The organisation's profile. Every field the import also reads is checked by the
    import's rule for that column (``field_rules``): the same values are accepted, normalised
    and refused, with the same messages."""

    name = RuleCharField("name", label=_label("name"), required=True)
    uscc = RuleCharField("uscc", label=_label("uscc"), required=True)
    kind = forms.ChoiceField(
        label=_label("kind"),
        choices=OrganizationKind.choices,
        error_messages=choice_messages("kind"),
    )
    region = RuleTreeChoiceField(
        "region", label=_("Region (district / county)"), levels=("district",)
    )
    industry = RuleTreeChoiceField(
        "industry",
        label=_("Industry (GB/T 4754)"),
        levels=("division", "group", "class"),
        required=False,
    )
    size = forms.ChoiceField(
        label=_label("size"),
        choices=[("", "—"), *SizeClass.choices],
        required=False,
        error_messages=choice_messages("size"),
    )
    founded_year = RuleCharField(
        "founded_year", label=_label("founded_year"), widget=_number_input()
    )
    employees = RuleCharField("employees", label=_label("employees"), widget=_number_input())
    revenue_wan = RuleCharField(
        "revenue_wan",
        label=_label("revenue_wan"),
        widget=_number_input("decimal"),
        help_text=_("In 万元; 1.25亿 and 12500万 are understood too."),
    )
    address = RuleCharField("address", label=_label("address"))
    website = RuleCharField(
        "website",
        label=_label("website"),
        help_text=_("A bare domain such as www.example.cn is read as https://www.example.cn."),
    )
    description = RuleCharField(
        "description", label=_label("description"), widget=forms.Textarea(attrs={"rows": 3})
    )
    products_text = RuleCharField(
        "products",
        label=_("Main products"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separate items with commas, 、 or new lines."),
    )
    capabilities_text = RuleCharField(
        "capabilities",
        label=_("Capabilities"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separate items with commas, 、 or new lines."),
    )
    clusters = forms.ModelMultipleChoiceField(
        label=_("Clusters"),
        queryset=Cluster.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    chain_nodes = forms.ModelMultipleChoiceField(
        label=_("Industrial chain nodes"),
        queryset=ChainNode.objects.select_related("chain"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    name_change_reason = forms.CharField(
        label=_("Reason for the name change"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when you change the name: e.g. the registration change approved by the market "
            "regulator on 2026-03-01. An operator reviews the new name; until then the current "
            "name stays."
        ),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "uscc",
            "kind",
            "region",
            "industry",
            "size",
            "founded_year",
            "employees",
            "revenue_wan",
            "address",
            "website",
            "description",
        ]

    def __init__(self, *args, can_change_identity: bool = True, can_rename: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_rename = can_rename
        if can_rename or not self.instance.pk:
            del self.fields["name_change_reason"]
        else:
            self.fields["name"].help_text = _(
                "A new name takes effect after an operator has reviewed it."
            )
        self.fields["chain_nodes"].label_from_instance = lambda node: (
            f"{node.chain.name} / {node.name}"
        )
        if self.instance.pk:
            self.fields["products_text"].initial = "、".join(self.instance.products or [])
            self.fields["capabilities_text"].initial = "、".join(self.instance.capabilities or [])
            self.fields["clusters"].initial = list(self.instance.clusters.all())
            self.fields["chain_nodes"].initial = list(self.instance.chain_nodes.all())
        if not can_change_identity:
            # An organisation edits its own profile but not its credit code or kind.
            for name in ("uscc", "kind"):
                self.fields[name].disabled = True

    def clean_name(self):
        name = self.cleaned_data["name"]
        unchanged = self.instance.pk and name == self.instance.name
        if not unchanged and organization_name_taken(name, exclude=self.instance.pk):
            raise forms.ValidationError(NAME_TAKEN, code="name_taken")
        return name

    def clean(self):
        data = super().clean()
        values = {
            "kind": data.get("kind"),
            "industry": data.get("industry") if "industry" not in self.errors else "?",
        }
        for key, error in cross_cell_errors(values).items():
            self.add_error(key, error)
        return data

    def profile_data(self) -> dict:
        data = {
            key: self.cleaned_data[key]
            for key in self.Meta.fields
            if key not in {"region", "industry"}
        }
        data["region_id"] = self.cleaned_data["region"].code
        industry = self.cleaned_data.get("industry")
        data["industry_id"] = industry.code if industry else None
        data["products"] = list(self.cleaned_data.get("products_text") or ())
        data["capabilities"] = list(self.cleaned_data.get("capabilities_text") or ())
        for key in ("size", "address", "website", "description"):
            data[key] = data.get(key) or ""
        return data


class ContactForm(forms.Form):
    """A contact person; name, phone and e-mail follow the import's contact columns."""

    name = RuleCharField("contact_name", label=pgettext_lazy("person", "Name"), required=True)
    title = forms.CharField(label=pgettext_lazy("person", "Title"), max_length=100, required=False)
    phone = RuleCharField(
        "contact_phone",
        label=_("Phone"),
        help_text=_("A mainland mobile number (11 digits) or a landline such as 0510-88886666."),
    )
    email = RuleCharField("contact_email", label=_("E-mail"))
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.ZHIZAO_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max_mb)s MB.")
                % {"max_mb": settings.ZHIZAO_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class OrganizationSearchForm(forms.Form):
    """The registry search behind the chain-leader combobox: a name or a credit code."""

    q = search_field(_("Search"))


def find_leader(text: str) -> Organization:
    """The active organisation a chain-leader field names: its credit code, its exact name, or
    the one organisation a search for the text finds. Raises ``ValidationError`` saying why
    not (none found, several found, naming them)."""
    code = normalize_uscc(text)
    org = Organization.objects.filter(uscc=code, is_active=True).first()
    if org is None:
        org = Organization.objects.filter(name=" ".join(text.split()), is_active=True).first()
    if org is not None:
        return org
    found = list(organizations_for_listing(OrganizationFilter(q=text))[:6])
    if len(found) == 1:
        return found[0]
    if not found:
        raise forms.ValidationError(
            _("No organisation in the registry has this name or code."), code="leader_unknown"
        )
    raise forms.ValidationError(
        _("Several organisations match: %(names)s. Choose one from the list or give its code."),
        code="leader_ambiguous",
        params={"names": "、".join(o.name for o in found[:5]) + ("…" if len(found) > 5 else "")},
    )


class ChainForm(forms.ModelForm):
    leader = forms.CharField(
        label=_("Chain-leader enterprise"),
        required=False,
        max_length=200,
        help_text=_(
            "Type a name or a unified social credit code and pick the enterprise from the list."
        ),
    )

    class Meta:
        model = IndustrialChain
        fields = ["name_zh", "name_en", "description_zh", "description_en", "weak_link_threshold"]
        widgets = {
            "description_zh": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.leader_id:
            self.fields["leader"].initial = self.instance.leader.name
        # Progressive enhancement: with htmx the field searches as one types and offers the
        # matches (registry:organization_search); without it the server reads name or code.
        self.fields["leader"].widget.attrs.update(
            {
                "autocomplete": "off",
                "aria-controls": "leader-options",
                "hx-get": search_url,
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#leader-options",
                "hx-swap": "innerHTML",
                "name": "leader",
            }
        )

    def clean_leader(self):
        text = (self.cleaned_data.get("leader") or "").strip()
        return find_leader(text) if text else None


class ChainNodeForm(forms.Form):
    """A node of a chain: its names and where it sits (upstream, midstream, downstream)."""

    name_zh = forms.CharField(label=_("Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=300, required=False)
    position = forms.ChoiceField(label=_("Position in the chain"), choices=ChainPosition.choices)
