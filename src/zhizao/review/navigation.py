"""Expert review in the side navigation: the pool for staff, rounds for selection offices,
assignments for experts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.accounts.roles import is_expert
from zhizao.common.navigation import register_nav

from .access import can_see_rounds, can_view_pool

register_nav(
    "review:round_list",
    label=_("Expert review"),
    icon="audit",
    order=86,
    active_on=(
        "review:round_list",
        "review:round_new",
        "review:round_detail",
        "review:round_replay",
        "review:round_exclusions",
        "review:round_ranking",
    ),
    visible=can_see_rounds,
)
register_nav(
    "review:expert_list",
    label=_("Expert pool"),
    icon="users",
    order=87,
    active_on=(
        "review:expert_list",
        "review:expert_new",
        "review:expert_detail",
        "review:expert_edit",
    ),
    visible=can_view_pool,
)
register_nav(
    "review:my_assignments",
    label=_("My reviews"),
    icon="shield",
    order=88,
    active_on=("review:my_assignments", "review:assignment_detail"),
    visible=is_expert,
)
