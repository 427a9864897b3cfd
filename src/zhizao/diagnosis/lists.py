"""The diagnosis lists as ``common/lists.py`` specs: what can be searched, filtered, sorted and
exported on each."""

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

from .enums import AssessmentKind, AssessmentState, CampaignState


def _level_choices():
    return [(str(n), _("Level %(n)s") % {"n": n}) for n in range(1, 6)]


def _score(a):
    return None if a.score is None else round(float(a.score), 2)


ASSESSMENTS = ListSpec(
    name="diagnosis-assessments",
    title=_("Assessments"),
    search=("organization__name", "provider__name", "model__name_zh", "model__name_en"),
    search_placeholder=_("Enterprise, provider or model"),
    filters=(
        Choice(
            "kind",
            pgettext_lazy("assessment kind", "Kind"),
            "kind",
            AssessmentKind.choices,
            all_label=_("All kinds"),
        ),
        state_filter(AssessmentState.choices),
        Choice("level", _("Level"), "level", _level_choices, all_label=_("All levels")),
        region_filter("organization__region__code", region_filter_choices),
        Industry(
            "industry", _("Industry"), "organization__industry_division", industry_filter_choices
        ),
        updated_filter(),
    ),
    sorts=(
        Sort("enterprise", _("Enterprise"), ("organization__name_sort",)),
        Sort("score", _("Score"), ("score",)),
        Sort("level", _("Level"), ("level", "score")),
        updated_sort(),
    ),
    default_sort="-updated",
    columns=(
        Column(_("Enterprise"), lambda a: a.organization.name),
        Column(pgettext_lazy("assessment kind", "Kind"), lambda a: a.get_kind_display()),
        Column(_("Model"), lambda a: f"{a.model.name} {a.model.version}"),
        Column(_("State"), lambda a: a.get_state_display()),
        Column(_("Answered"), lambda a: a.answered_count),
        Column(_("Requirements"), lambda a: a.asked_count),
        Column(_("Score"), _score),
        Column(_("Level"), lambda a: a.level),
        Column(_("Provider"), lambda a: a.provider.name if a.provider else ""),
        Column(_("Updated"), lambda a: timezone.localtime(a.updated_at).strftime("%Y-%m-%d %H:%M")),
    ),
)


CAMPAIGNS = ListSpec(
    name="diagnosis-campaigns",
    title=_("Diagnosis campaigns"),
    search=("name", "description"),
    search_placeholder=_("Name or description"),
    filters=(
        state_filter(CampaignState.choices),
        DateRange("deadline", _("Deadline"), "deadline", datetime=False),
    ),
    sorts=(
        Sort("created", _("Created"), ("created_at",)),
        Sort("deadline", _("Deadline"), ("deadline",)),
        Sort("budget", _("Budget"), ("budget_yuan",)),
    ),
    default_sort="-created",
    # the view annotates the progress counts (n_targets, n_planned, n_reported)
    columns=(
        Column(_("Campaign"), lambda c: c.name),
        Column(_("State"), lambda c: c.get_state_display()),
        Column(_("Budget (yuan)"), lambda c: c.budget_yuan),
        Column(_("Price per diagnosis (yuan)"), lambda c: c.price_yuan),
        Column(_("Targets"), lambda c: c.n_targets),
        Column(_("Planned"), lambda c: c.n_planned),
        Column(_("Reported"), lambda c: c.n_reported),
        Column(_("Deadline"), lambda c: c.deadline.isoformat() if c.deadline else ""),
    ),
)
