"""The sections of the alliance's monthly progress report (进展情况月报), in their order, and
the sorting of the month's activities into them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# (key, Chinese title, English title). The first six hold activities; 重点推进情况 holds the
# news items; 下月工作计划 the plan.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("consulting", "战略咨询", "Strategic consulting"),
    ("exchange", "技术交流", "Technical exchange"),
    ("cooperation", "产学研融合", "Industry–university–research"),
    ("talent", "人才培养", "Talent development"),
    ("international", "国际智能制造联盟", "International alliance"),
    ("self", "自身建设", "Self-building"),
    ("highlights", "重点推进情况", "Key progress"),
    ("plan", "下月工作计划", "Next month's plan"),
)
ACTIVITY_SECTIONS = tuple(key for key, _zh, _en in SECTIONS[:6])


@dataclass(frozen=True)
class Activity:
    section: str
    date: dt.date
    title: str
    detail: str = ""
    source: str = ""  # "manual" or the provider's name
    link: str = ""


def sort_activities(activities: list[Activity]) -> dict[str, list[Activity]]:
    """Every activity section (in report order) with its activities by date, then title. An
    activity naming an unknown section goes to 自身建设, so nothing is dropped."""
    out: dict[str, list[Activity]] = {key: [] for key in ACTIVITY_SECTIONS}
    for activity in activities:
        key = activity.section if activity.section in out else "self"
        out[key].append(activity)
    for items in out.values():
        items.sort(key=lambda a: (a.date, a.title))
    return out
