"""The review lists as ``common/lists.py`` specs: the review rounds — what can be searched,
filtered, sorted and exported."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.lists import Choice, Column, DateRange, ListSpec, Sort, state_filter

from .enums import RoundKind, RoundState


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


KIND = pgettext_lazy("round kind", "Kind")

ROUNDS = ListSpec(
    name="review-rounds",
    title=_("Review rounds"),
    search=("name", "call__title"),
    search_placeholder=_("Round or call"),
    filters=(
        Choice("kind", KIND, "kind", RoundKind.choices, all_label=_("All kinds")),
        state_filter(RoundState.choices),
        DateRange("deadline", _("Deadline"), "deadline"),
    ),
    sorts=(
        Sort("deadline", _("Deadline"), ("deadline",)),
        Sort("created", _("Created"), ("created_at",)),
    ),
    default_sort="-created",
    columns=(
        Column(_("Round"), lambda r: r.name),
        Column(_("Call"), lambda r: r.call.title),
        Column(KIND, lambda r: r.get_kind_display()),
        Column(_("Deadline"), lambda r: _when(r.deadline)),
        Column(_("State"), lambda r: r.get_state_display()),
        Column(_("Created"), lambda r: _when(r.created_at)),
    ),
)
