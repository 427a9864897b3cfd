"""The policies lists as ``common/lists.py`` specs: policies, transformation projects, the
officers' scans and the announced name lists."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.lists import (
    Choice,
    Column,
    DateRange,
    ListSpec,
    Sort,
    region_filter,
    state_filter,
)
from zhizao.registry.selectors import region_filter_choices

from .enums import NameListState, PolicyLevel, PolicyState, ProjectKind, ProjectStatus, ScanState


def _day(value):
    return value.isoformat() if value else ""


POLICIES = ListSpec(
    name="policies",
    title=_("Policies"),
    search=("title", "doc_number", "issuing_unit", "summary"),
    search_placeholder=_("Title, document number or issuing unit"),
    filters=(
        Choice("level", _("Level"), "level", PolicyLevel.choices, all_label=_("All levels")),
        # A policy of Jiangsu applies in Wuxi; one of Wuxi's districts is one of Wuxi's.
        region_filter(
            "region__code",
            region_filter_choices,
            label=_("Applies in"),
            mode="covers",
            empty_covers=True,
        ),
        state_filter(PolicyState.choices),
        DateRange("valid", _("Valid from"), "valid_from", datetime=False),
    ),
    sorts=(
        Sort("valid", _("Valid from"), ("valid_from",)),
        Sort("closes", _("Application closes"), ("window_end",)),
        Sort("budget", _("Budget"), ("budget_yuan",)),
    ),
    default_sort="-valid",
    columns=(
        Column(_("Policy"), lambda p: p.title),
        Column(_("Document number"), lambda p: p.doc_number),
        Column(_("Issued by"), lambda p: p.issuing_unit),
        Column(_("Level"), lambda p: p.get_level_display()),
        Column(_("Region"), lambda p: p.region.name if p.region else _("No restriction")),
        Column(_("Valid from"), lambda p: _day(p.valid_from)),
        Column(_("Valid until"), lambda p: _day(p.valid_to)),
        Column(_("Application closes"), lambda p: _day(p.window_end)),
        Column(_("Items"), lambda p: p.n_items),
        Column(_("Budget (yuan)"), lambda p: p.budget_yuan),
        Column(_("State"), lambda p: p.get_state_display()),
    ),
)


PROJECTS = ListSpec(
    name="policies-projects",
    title=_("Transformation projects"),
    search=("name", "description", "enterprise__name"),
    search_placeholder=_("Project or enterprise"),
    filters=(
        Choice(
            "kind",
            pgettext_lazy("project kind", "Kind"),
            "kind",
            ProjectKind.choices,
            all_label=_("All kinds"),
        ),
        Choice("status", _("Status"), "status", ProjectStatus.choices, all_label=_("All states")),
        region_filter("region__code", region_filter_choices),
        DateRange("completed", _("Completion date"), "completion_date", datetime=False),
    ),
    sorts=(
        Sort("enterprise", _("Enterprise"), ("enterprise__name_sort",)),
        Sort("completed", _("Completion date"), ("completion_date",)),
        Sort("created", _("Created"), ("created_at",)),
    ),
    default_sort="-created",
    columns=(
        Column(_("Project"), lambda p: p.name),
        Column(_("Enterprise"), lambda p: p.enterprise.name),
        Column(pgettext_lazy("project kind", "Kind"), lambda p: p.get_kind_display()),
        Column(_("Status"), lambda p: p.get_status_display()),
        Column(_("Location"), lambda p: p.region.name if p.region else ""),
        Column(_("Start date"), lambda p: _day(p.start_date)),
        Column(_("Completion date"), lambda p: _day(p.completion_date)),
        Column(_("Total investment (yuan)"), lambda p: p.total_investment_yuan),
        Column(_("Loans"), lambda p: p.n_loans),
    ),
)


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


SCANS = ListSpec(
    name="policies-scans",
    title=_("Proactive scans"),
    search=("item_version__item__name", "item_version__item__policy__title"),
    search_placeholder=_("Item or policy"),
    filters=(
        state_filter(ScanState.choices),
        DateRange("as_of", _("As of"), "as_of", datetime=False),
        DateRange("started", _("Started"), "created_at"),
    ),
    sorts=(
        Sort("started", _("Started"), ("created_at",)),
        Sort("eligible", _("Eligible"), ("eligible_count",)),
        Sort("total", _("Total"), ("total_yuan",)),
    ),
    default_sort="-started",
    columns=(
        Column(_("Policy"), lambda s: s.item_version.item.policy.title),
        Column(_("Item"), lambda s: s.item_version.item.name),
        Column(_("Version"), lambda s: s.item_version.number),
        Column(_("As of"), lambda s: _day(s.as_of)),
        Column(_("State"), lambda s: s.get_state_display()),
        Column(_("Evaluated"), lambda s: s.evaluated),
        Column(_("Eligible"), lambda s: s.eligible_count),
        Column(_("Cannot tell"), lambda s: s.unknown_count),
        Column(_("Excluded by credit"), lambda s: s.excluded_count),
        Column(_("Total (yuan)"), lambda s: s.total_yuan),
        Column(_("Started"), lambda s: _when(s.created_at)),
        Column(_("Finished"), lambda s: _when(s.finished_at)),
    ),
)

PUBLIC_NAME_LIST_STATES = [
    (s.value, s.label) for s in (NameListState.ANNOUNCED, NameListState.FINAL)
]

# Announced lists show only what was frozen when they were announced (``freeze_announcement``).
PUBLIC_NAME_LISTS = ListSpec(
    name="policies-public-name-lists",
    title=_("Announced name lists (公示)"),
    search=(
        "title",
        "announced_policy_title",
        "announced_item_name",
        "announced_doc_number",
        "announced_issuing_unit",
    ),
    search_placeholder=_("Name list, policy, document number or issuing unit"),
    filters=(
        state_filter(PUBLIC_NAME_LIST_STATES),
        DateRange("announced", _("Announced on"), "announced_at"),
    ),
    sorts=(
        Sort("announced", _("Announced on"), ("announced_at",)),
        Sort("objections", _("Objections until"), ("objection_until",)),
    ),
    default_sort="-announced",
    columns=(
        Column(_("Name list"), lambda n: n.title),
        Column(_("Policy"), lambda n: n.announced_policy_title),
        Column(_("Document number"), lambda n: n.announced_doc_number),
        Column(_("Issuing unit"), lambda n: n.announced_issuing_unit),
        Column(_("Item"), lambda n: n.announced_item_name),
        Column(_("State"), lambda n: n.get_state_display()),
        Column(
            _("Announced on"), lambda n: _day(n.announced_at and timezone.localdate(n.announced_at))
        ),
        Column(_("Objections until"), lambda n: _day(n.objection_until)),
    ),
)
