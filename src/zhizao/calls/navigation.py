"""The calls app's entries in the side navigation: calls for every member, the working-day
calendar for operators."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.accounts.roles import is_operator
from zhizao.common.navigation import register_nav

PAGES = (
    "call_list",
    "call_new",
    "call_detail",
    "application_detail",
    "nominations",
    "formal_review",
    "publicity",
    "objection_detail",
    "catalogue_list",
    "catalogue_detail",
)


def _member(membership) -> bool:
    return membership is not None


register_nav(
    "calls:call_list",
    label=_("Calls and selections"),
    icon="award",
    order=75,
    active_on=tuple(f"calls:{name}" for name in PAGES),
    visible=_member,
)
register_nav(
    "calls:calendar",
    label=_("Working-day calendar"),
    icon="audit",
    order=76,
    active_on=("calls:calendar",),
    visible=is_operator,
)
