"""The insights app's entries in the side navigation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import (
    ANONYMOUS,
    Shortcut,
    WorkbenchPart,
    register_nav,
    register_workbench,
)

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


def public_workbench(request, membership) -> WorkbenchPart:
    """A visitor finds the programme's published headline figures. No queries."""
    return WorkbenchPart(
        shortcuts=[Shortcut(_("Programme figures (public)"), reverse("insights:public"))]
    )


register_workbench(
    "insights.public", roles=(ANONYMOUS,), provide=public_workbench, order=95, queries=0
)
