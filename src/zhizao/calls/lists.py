"""The calls lists as ``common/lists.py`` specs: the calls and the catalogues — what can be
searched, filtered, sorted and exported on each."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.lists import (
    Choice,
    Column,
    DateRange,
    Exact,
    Industry,
    ListSpec,
    Sort,
    region_filter,
    state_filter,
    updated_sort,
)
from zhizao.registry.selectors import industry_filter_choices, region_filter_choices

from .enums import ApplicationState, CallKind, CallState


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def year_choices():
    """The years a call can be of: next year back to 2020, newest first."""
    this = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this + 1, 2019, -1)]


KIND = pgettext_lazy("call kind", "Kind")

CALLS = ListSpec(
    name="calls-calls",
    title=_("Calls"),
    search=("title", "summary", "host__name"),
    search_placeholder=_("Title, summary or selection office"),
    filters=(
        Choice("kind", KIND, "kind", CallKind.choices, all_label=_("All kinds")),
        state_filter(CallState.choices),
        Choice("year", _("Year"), "year", year_choices, all_label=_("All years")),
    ),
    sorts=(
        Sort("year", _("Year"), ("year",)),
        Sort("office", _("Selection office"), ("host__name_sort",)),
        updated_sort(),
    ),
    default_sort="-year",
    columns=(
        Column(_("Call"), lambda c: c.title),
        Column(KIND, lambda c: c.get_kind_display()),
        Column(_("Year"), lambda c: c.year),
        Column(_("Selection office"), lambda c: c.host.name),
        Column(_("State"), lambda c: c.get_state_display()),
        Column(_("Updated"), lambda c: _when(c.updated_at)),
    ),
)


CATALOGUES = ListSpec(
    name="calls-catalogues",
    title=_("Catalogues"),
    search=("title", "reference", "publisher__name"),
    search_placeholder=_("Title, document number or publisher"),
    filters=(
        Choice("kind", KIND, "kind", CallKind.choices, all_label=_("All kinds")),
        Choice("year", _("Year"), "year", year_choices, all_label=_("All years")),
    ),
    sorts=(
        Sort("year", _("Year"), ("year", "published_on")),
        Sort("published", _("Published"), ("published_on",)),
    ),
    default_sort="-year",
    columns=(
        Column(_("Catalogue"), lambda c: c.title),
        Column(KIND, lambda c: c.get_kind_display()),
        Column(_("Year"), lambda c: c.year),
        Column(_("Published by"), lambda c: c.publisher.name),
        Column(_("Document number"), lambda c: c.reference),
        Column(_("Published"), lambda c: c.published_on.isoformat()),
    ),
)


def _submitted(a) -> str:
    return _when(a.submitted_at)


# The office's formal review of one call (the view restricts the rows to the call and starts on
# the applications waiting for the review: nominated, or submitted when the call has no
# nominating bodies).
FORMAL_REVIEW = ListSpec(
    name="calls-formal-review",
    title=_("Formal review"),
    search=("title", "applicant__name", "nominator__name"),
    search_placeholder=_("Application, applicant or nominating body"),
    filters=(
        state_filter(ApplicationState.choices),
        region_filter("region_code", region_filter_choices),
        Industry("industry", _("Industry"), "industry_code", industry_filter_choices),
        DateRange("submitted", _("Submitted at"), "submitted_at"),
    ),
    sorts=(
        Sort("nominator", _("Nominating body"), ("nominator__name_sort", "nomination_rank")),
        Sort("applicant", _("Applicant"), ("applicant__name_sort",)),
        Sort("submitted", _("Submitted at"), ("submitted_at",)),
    ),
    default_sort="nominator",
    columns=(
        Column(_("Application"), lambda a: a.title),
        Column(_("Applicant"), lambda a: a.applicant.name),
        Column(_("Category"), lambda a: a.category.name if a.category else ""),
        Column(_("Nominating body"), lambda a: a.nominator.name if a.nominator else ""),
        Column(_("Nomination rank"), lambda a: a.nomination_rank or ""),
        Column(_("State"), lambda a: a.get_state_display()),
        Column(_("Submitted at"), _submitted),
    ),
)


def _by(identity) -> str:
    return str(identity.verified_by) if identity.verified_by else ""


# Verified identities (实名核验): operators only, who may see every real name; the export is
# audit-logged (real names of people).
IDENTITIES = ListSpec(
    name="calls-identities",
    title=_("Verified identities"),
    search=("real_name", "user__username", "user__display_name", "note"),
    search_placeholder=_("Real name, login name or how it was checked"),
    filters=(
        DateRange("verified", _("Verified at"), "verified_at"),
        Exact("verified_by", _("Verified by (login name)"), "verified_by__username"),
    ),
    sorts=(
        Sort("verified", _("Verified at"), ("verified_at",)),
        Sort("username", _("Login name"), ("user__username",)),
    ),
    default_sort="-verified",
    columns=(
        Column(_("Login name"), lambda i: i.user.username),
        Column(_("Real name"), lambda i: i.real_name),
        Column(_("How it was checked"), lambda i: i.note),
        Column(_("Verified at"), lambda i: _when(i.verified_at)),
        Column(_("Verified by"), _by),
    ),
    personal_data=True,
)
