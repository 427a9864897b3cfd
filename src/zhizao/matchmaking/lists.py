"""The matchmaking lists as ``common/lists.py`` specs: demands, offerings, introductions and
challenges — what can be searched, filtered, sorted and exported on each."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.lists import (
    Choice,
    Column,
    DateRange,
    Industry,
    ListSpec,
    Sort,
    region_filter,
    state_filter,
    updated_filter,
    updated_sort,
)
from zhizao.registry.selectors import industry_filter_choices, region_filter_choices

from . import codes
from .enums import (
    BudgetBand,
    ChallengeState,
    DemandState,
    IntroductionState,
    OfferingKind,
    OfferingState,
    Side,
)
from .vocabulary import category_choices, category_name, kind_name


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value):
    return value.isoformat() if value else ""


def _region(code):
    return codes.region_name(code) if code else ""


DEMANDS = ListSpec(
    name="matchmaking-demands",
    title=_("Demands"),
    search=("title", "description", "enterprise__name"),
    search_placeholder=_("Title, description or enterprise"),
    filters=(
        Choice(
            "category", _("Category"), "category", category_choices, all_label=_("All categories")
        ),
        state_filter(DemandState.choices),
        region_filter("region", region_filter_choices),
        Industry("industry", _("Industry"), "industry", industry_filter_choices),
        Choice(
            "budget", _("Budget"), "budget_band", BudgetBand.choices, all_label=_("All budgets")
        ),
        updated_filter(),
    ),
    sorts=(
        Sort("enterprise", _("Enterprise"), ("enterprise__name_sort",)),
        Sort("needed", _("Needed by"), ("needed_by",)),
        updated_sort(),
    ),
    default_sort="-updated",
    columns=(
        Column(_("Demand"), lambda d: d.title),
        Column(_("Enterprise"), lambda d: d.enterprise.name),
        Column(_("Category"), lambda d: category_name(d.category)),
        Column(_("Region"), lambda d: _region(d.region)),
        Column(_("Budget"), lambda d: d.get_budget_band_display()),
        Column(_("Needed by"), lambda d: _day(d.needed_by)),
        Column(_("State"), lambda d: d.get_state_display()),
        Column(_("Updated"), lambda d: _when(d.updated_at)),
    ),
)


OFFERINGS = ListSpec(
    name="matchmaking-offerings",
    title=_("Offerings"),
    search=("title", "description", "provider__name"),
    search_placeholder=_("Title, description or provider"),
    filters=(
        Choice(
            "category",
            _("Category"),
            "categories",
            category_choices,
            all_label=_("All categories"),
            json=True,
        ),
        Choice(
            "kind",
            pgettext_lazy("offering kind", "Kind"),
            "kind",
            OfferingKind.choices,
            all_label=_("All kinds"),
        ),
        state_filter(OfferingState.choices),
        region_filter(
            "regions", region_filter_choices, label=_("Serves region"), mode="covers", json=True
        ),
        updated_filter(),
    ),
    sorts=(
        Sort("provider", _("Provider"), ("provider__name_sort",)),
        updated_sort(),
    ),
    default_sort="-updated",
    columns=(
        Column(_("Offering"), lambda o: o.title),
        Column(_("Provider"), lambda o: o.provider.name),
        Column(pgettext_lazy("offering kind", "Kind"), lambda o: kind_name(o.kind)),
        Column(_("Categories"), lambda o: [category_name(c) for c in o.categories or []]),
        Column(_("Regions with local service"), lambda o: [_region(c) for c in o.regions or []]),
        Column(_("State"), lambda o: o.get_state_display()),
        Column(_("Updated"), lambda o: _when(o.updated_at)),
    ),
)


INTRODUCTIONS = ListSpec(
    name="matchmaking-introductions",
    title=_("Introductions"),
    search=(
        "demand__title",
        "demand__enterprise__name",
        "offering__title",
        "offering__provider__name",
    ),
    search_placeholder=_("Demand, offering, enterprise or provider"),
    filters=(
        state_filter(IntroductionState.choices),
        Choice(
            "requested_by",
            _("Requested by"),
            "requested_by",
            Side.choices,
            all_label=_("Either side"),
        ),
        region_filter("demand__region", region_filter_choices),
        DateRange("requested", _("Requested"), "requested_at"),
    ),
    sorts=(
        Sort("enterprise", _("Enterprise"), ("demand__enterprise__name_sort",)),
        Sort("provider", _("Provider"), ("offering__provider__name_sort",)),
        Sort("expires", _("Expires"), ("expires_at",)),
        updated_sort(),
    ),
    default_sort="-updated",
    columns=(
        Column(_("Demand"), lambda i: i.demand.title),
        Column(_("Enterprise"), lambda i: i.demand.enterprise.name),
        Column(_("Offering"), lambda i: i.offering.title),
        Column(_("Provider"), lambda i: i.offering.provider.name),
        Column(
            _("Requested by"),
            lambda i: i.get_requested_by_display() if i.requested_by else _("Platform suggestion"),
        ),
        Column(_("State"), lambda i: i.get_state_display()),
        Column(_("Requested"), lambda i: _when(i.requested_at)),
        Column(_("Expires"), lambda i: _when(i.expires_at)),
    ),
)


CHALLENGES = ListSpec(
    name="matchmaking-challenges",
    title=_("Challenges"),
    search=("title", "description"),
    search_placeholder=_("Title or description"),
    filters=(
        Choice(
            "category", _("Category"), "category", category_choices, all_label=_("All categories")
        ),
        state_filter(ChallengeState.choices),
        DateRange("deadline", _("Deadline"), "deadline", datetime=False),
    ),
    sorts=(
        Sort("deadline", _("Deadline"), ("deadline",)),
        Sort("created", _("Created"), ("created_at",)),
    ),
    default_sort="-created",
    columns=(
        Column(_("Challenge"), lambda c: c.title),
        Column(_("Category"), lambda c: category_name(c.category)),
        Column(_("State"), lambda c: c.get_state_display()),
        Column(_("Budget (yuan)"), lambda c: c.budget_yuan),
        Column(_("Deadline"), lambda c: _day(c.deadline)),
    ),
)
