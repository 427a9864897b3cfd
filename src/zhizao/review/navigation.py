"""Expert review in the side navigation: the pool for staff, rounds for selection offices,
assignments for experts."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhizao.accounts.roles import is_expert
from zhizao.common.navigation import (
    Action,
    Figure,
    Shortcut,
    WorkbenchPart,
    register_nav,
    register_workbench,
)

from .access import assignments_for_expert, can_see_rounds, can_view_pool
from .enums import ReviewState

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


# --- the expert's workbench: the reviews waiting for it --------------------------------------

WAITING_LIMIT = 5


def expert_workbench(request, membership) -> WorkbenchPart:
    """The reviews not yet submitted, earliest deadline first, and how many. 2 queries."""
    pending = assignments_for_expert(membership).filter(
        Q(review__isnull=True) | ~Q(review__state=ReviewState.SUBMITTED)
    )
    count = pending.count()
    actions = [
        Action(
            label=a.application.display_title(True),
            url=reverse("review:assignment_detail", args=[a.pk]),
            due=timezone.localtime(a.round.deadline).date(),
            detail=a.round.name,
            kind=_("Review"),
        )
        for a in pending.order_by("round__deadline", "application_id")[:WAITING_LIMIT]
    ]
    return WorkbenchPart(
        actions=actions,
        figures=[
            Figure(
                label=_("Reviews waiting for me"),
                value=str(count),
                url=reverse("review:my_assignments"),
            )
        ],
        shortcuts=[Shortcut(_("My reviews"), reverse("review:my_assignments"))],
    )


register_workbench(
    "review.expert", roles=("expert",), provide=expert_workbench, order=20, queries=2
)
