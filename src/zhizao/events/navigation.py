"""The events app's entry in the side navigation (every member)."""

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

PAGES = (
    "event_list",
    "event_new",
    "event_detail",
    "agenda",
    "meetings",
    "meeting_detail",
    "procurement",
    "need_detail",
    "booth_edit",
    "leads",
    "booth_analytics",
    "organize",
    "timetable",
    "registrations",
    "checkin",
    "session_checkin",
    "schedule",
    "analytics",
)


def _member(membership) -> bool:
    return membership is not None


register_nav(
    "events:event_list",
    label=_("Events and expo"),
    icon="globe",
    order=77,
    active_on=tuple(f"events:{name}" for name in PAGES),
    visible=_member,
)


def public_workbench(request, membership) -> WorkbenchPart:
    """A visitor finds the events' public pages (programme, speakers, halls, exhibitors).
    No queries."""
    return WorkbenchPart(
        shortcuts=[Shortcut(_("Events (public programme)"), reverse("events:public_list"))]
    )


register_workbench(
    "events.public", roles=(ANONYMOUS,), provide=public_workbench, order=70, queries=0
)
