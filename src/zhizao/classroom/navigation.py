"""The classroom's entry in the side navigation (every member)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import register_nav

PAGES = (
    "catalogue",
    "my_learning",
    "course_detail",
    "lesson",
    "quiz",
    "my_courses",
    "course_new",
    "course_edit",
    "staff",
    "statistics",
)


def _member(membership) -> bool:
    return membership is not None


register_nav(
    "classroom:catalogue",
    label=_("Cloud classroom"),
    icon="award",
    order=78,
    active_on=tuple(f"classroom:{name}" for name in PAGES),
    visible=_member,
)
