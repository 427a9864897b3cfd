"""The calls lists as ``common/lists.py`` specs: the calls and the catalogues — what can be
searched, filtered, sorted and exported on each."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.lists import Choice, Column, ListSpec, Sort

from .enums import CallKind, CallState


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
        Choice("state", _("State"), "state", CallState.choices, all_label=_("All states")),
        Choice("year", _("Year"), "year", year_choices, all_label=_("All years")),
    ),
    sorts=(
        Sort("year", _("Year"), ("year",)),
        Sort("office", _("Selection office"), ("host__name_sort",)),
        Sort("updated", _("Updated"), ("updated_at",)),
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
