"""The insights app's entries in the side navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import register_nav

from .access import can_view_dashboards

register_nav(
    "insights:dashboard",
    label=_("Dashboards"),
    icon="chart",
    order=78,
    active_on=("insights:records",),
    visible=can_view_dashboards,
)
register_nav(
    "insights:report_list",
    label=_("Monthly reports"),
    icon="report",
    order=79,
    active_on=("insights:report_detail",),
    visible=can_view_dashboards,
)
