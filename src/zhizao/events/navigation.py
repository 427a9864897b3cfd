"""The events app's entry in the side navigation (every member)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import register_nav

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
