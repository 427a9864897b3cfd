"""The insights lists as ``common/lists.py`` specs: the monthly reports — what can be searched,
filtered, sorted and exported."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.lists import (
    ALL_REGIONS,
    Column,
    DateRange,
    ListSpec,
    Sort,
    region_filter,
    state_filter,
    updated_sort,
)
from zhizao.registry.selectors import region_filter_choices

from .enums import ReportState


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


REPORTS = ListSpec(
    name="insights-reports",
    title=_("Monthly reports"),
    search=("title", "summary", "plan"),
    search_placeholder=_("Title, summary or plan"),
    filters=(
        state_filter(ReportState.choices),
        region_filter("scope__code", region_filter_choices),
        DateRange("month", _("Month"), "month", datetime=False, months=True),
    ),
    sorts=(
        Sort("month", _("Month"), ("month",)),
        updated_sort(),
    ),
    default_sort="-month",
    columns=(
        Column(_("Month"), lambda r: r.month.strftime("%Y-%m")),
        Column(pgettext_lazy("document", "Title"), lambda r: r.title),
        Column(_("Region"), lambda r: r.scope.name if r.scope else str(ALL_REGIONS)),
        Column(_("State"), lambda r: r.get_state_display()),
        Column(_("Published"), lambda r: _when(r.published_at)),
    ),
)


# The records behind a dashboard figure: every figure reads its own model, so the view lists
# ``records.records_rows`` (its rows annotated with the same names whatever the model) with
# ``records.records_provider(figure)`` as the provider hook (labels, links, the figure's export
# columns). The dashboard's own filters and the viewer's scope are applied before the list's.
RECORDS = ListSpec(
    name="insights-records",
    title=_("Records"),
    search=("rec_org", "rec_uscc"),
    search_placeholder=_("Organisation name or credit code"),
    filters=(DateRange("day", _("Date"), "rec_day", datetime=False),),
    sorts=(
        Sort("date", _("Date"), ("rec_date",)),
        Sort("organization", _("Organisation"), ("rec_org_sort",)),
        Sort("amount", _("Amount"), ("rec_amount", "rec_date")),
    ),
    default_sort="-date",
    columns=(
        Column(_("Date"), lambda r: r["date"].isoformat() if r["date"] else ""),
        Column(_("Organisation"), lambda r: r["organization"]),
    ),
    page_size=50,
)
